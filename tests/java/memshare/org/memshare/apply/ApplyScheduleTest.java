package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.memshare.Matrix;
import org.memshare.StartsProcesses;

/**
 * How a call is cut into chunks. Every chunk's size depends only on where it starts, so the set
 * of sizes is the same whatever order the workers take them in; progress reports one chunk at a
 * time, so the differences between its reports are the chunks' sizes.
 */
@StartsProcesses
class ApplyScheduleTest extends ApplyTestBase {

    /** The guided schedule as docs/APPLY.md states it: a quarter of each worker's remaining share, 1 to 256. */
    private static List<Long> guided(long total, int workers) {
        List<Long> sizes = new ArrayList<>();
        for (long from = 0; from < total; ) {
            long size = Math.max(1, Math.min(256, (total - from) / (4L * workers)));
            size = Math.min(size, total - from);
            sizes.add(size);
            from += size;
        }
        return sizes;
    }

    private static List<Long> chunkSizes(String mode, int ncol, ApplyOptions options) {
        List<Long> reports = Collections.synchronizedList(new ArrayList<>());
        double[] got = Apply.memApplyDouble(Matrix.of(1, ncol, new double[ncol]), Margin.COLUMNS, (col, vars) -> 1.0,
                options.withProgress((done, total) -> reports.add(done)));
        assertEquals(ncol, got.length);
        List<Long> sizes = new ArrayList<>();
        long before = 0;
        for (long done : reports) {
            sizes.add(done - before);
            before = done;
        }
        return sizes;
    }

    @ParameterizedTest
    @MethodSource("modes")
    void chunksShrinkTowardsOneItemAtTheEnd(String mode) {
        int ncol = 5000;
        List<Long> got = chunkSizes(mode, ncol, options(mode));
        List<Long> expected = guided(ncol, 2);
        Collections.sort(got);
        Collections.sort(expected);
        assertEquals(expected, got);
        assertEquals(1L, got.get(0), "the last chunks are single items");
        assertEquals(256L, got.get(got.size() - 1), "the first chunks are capped");
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aFixedChunkSizeIsKept(String mode) {
        List<Long> got = chunkSizes(mode, 100, options(mode).withChunkSize(7));
        Collections.sort(got);
        List<Long> expected = new ArrayList<>(Collections.nCopies(14, 7L));
        expected.add(0, 2L);  // 100 = 14 x 7 + 2
        assertEquals(expected, got);
    }
}
