package org.memshare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memshare.facade.Memshare;

/**
 * 1,000 register/view/release cycles leave the number of /dev/shm entries, open file descriptors
 * and shared mappings (/proc/self/maps lines with an 's' in their permissions) where they were.
 * Every handle is closed explicitly; the mappings behind buffers go when the buffers are
 * collected, so the check gives the GC time.
 *
 * <p>Only shared mappings count: every segment this library maps is MAP_SHARED, so a leaked page
 * or view shows there. Private anonymous mappings are the JVM's and glibc's own (a malloc arena
 * for a new thread, a grown code heap) and come on their own schedule; a CI run once failed on
 * two such lines that had nothing to do with memshare. The private placeholders that retire a
 * view's range while a buffer still holds it are counted exactly by the C++ LeakTest
 * (tests/cpp/shm/leak_test.cpp), whose process has no JVM mapping alongside.
 */
class LeakTest extends MemshareTestBase {
    private static final int WARMUP = 30;
    private static final int CYCLES = 1_000;

    private record Counts(int shm, int fds, int maps) {
        /** /dev/shm entries of this JVM's tests only: other processes on the machine come and go. */
        static Counts now() {
            return new Counts(Fixtures.shmEntriesStartingWith(Fixtures.PREFIX).size(), Fixtures.fdCount(),
                    sharedMaps().size());
        }

        boolean notAbove(Counts base) {
            return shm <= base.shm && fds <= base.fds && maps <= base.maps;
        }
    }

    /** Lines of /proc/self/maps whose permissions (second field, e.g. "r--s") mark a shared mapping. */
    private static List<String> sharedMaps() {
        List<String> shared = new ArrayList<>();
        for (String line : Fixtures.maps()) {
            String[] fields = line.split("\\s+", 3);
            if (fields.length > 1 && fields[1].length() == 4 && fields[1].charAt(3) == 's') shared.add(line);
        }
        return shared;
    }

    private final double[] matrix = new double[64 * 8];
    private final double[] vector = {1, 2, 3};

    {
        for (int i = 0; i < matrix.length; i++) matrix[i] = i * 0.5 + 1;
    }

    /** One cycle, alternating the facade and the object API; every handle closed. */
    @SuppressWarnings("try")
    private void cycle(int k) {
        if (k % 2 == 0) {
            Map<String, Object> vars = new LinkedHashMap<>();
            vars.put("m", Matrix.of(64, 8, matrix));
            vars.put("L", List.of(vector, Matrix.of(2, 2, new double[] {4, 5, 6, 7})));
            Memshare.registerVariables(ns, vars);
            Map<String, View> views = Memshare.retrieveViews(ns, "m", "L");
            MatrixView m = (MatrixView) views.get("m");
            if (m.get(63, 7) != matrix[511]) fail("cycle " + k + ": read " + m.get(63, 7));
            if (((ListView) views.get("L")).get(1).get(3) != 7.0) fail("cycle " + k + ": list element");
            Memshare.releaseViews(ns, "m", "L");
            Memshare.releaseVariables(ns, "m", "L");
        } else {
            Namespace space = Namespace.of(ns);
            try (Page p = space.register("v", vector);
                 ArrayPage a = space.allocateMatrix("a", ElementType.INT32, 16, 4)) {
                a.setLong(63, 9);
                a.publish();
                try (VectorView v = space.vector("v"); MatrixView am = space.matrix("a")) {
                    DoubleBuffer col = v.column(0);
                    if (col.get(2) != 3.0 || am.getLong(15, 3) != 9) fail("cycle " + k + ": read back");
                    double[] copy = new double[3];
                    v.copyTo(copy);
                    assertArrayEquals(vector, copy);
                }
            }
        }
    }

    @Test
    void thousandCyclesLeaveNoSegmentsDescriptorsOrMappings() throws Exception {
        for (int k = 0; k < WARMUP; k++) cycle(k);
        // Let the cleaners of the warm-up buffers run before taking the baseline.
        List<Counts> samples = new ArrayList<>();
        Fixtures.gcUntil(() -> {
            samples.add(Counts.now());
            int n = samples.size();
            return n >= 5 && samples.get(n - 1).equals(samples.get(n - 2)) && samples.get(n - 2).equals(samples.get(n - 3));
        }, 10_000);
        Counts base = samples.get(samples.size() - 1);
        List<String> baseMaps = sharedMaps();

        for (int k = 0; k < CYCLES; k++) cycle(WARMUP + k);
        assertEquals(List.of(), Memshare.pageList());
        assertEquals(List.of(), Memshare.viewList());
        assertEquals(List.of(), Fixtures.shmEntries(ns));

        Counts[] last = new Counts[1];
        boolean settled = Fixtures.gcUntil(() -> (last[0] = Counts.now()).notAbove(base), 30_000);
        System.out.println("LeakTest: baseline " + base + ", after " + CYCLES + " cycles " + last[0]);
        if (!settled) {
            List<String> extra = new ArrayList<>(sharedMaps());
            extra.removeAll(baseMaps);
            fail("after " + CYCLES + " cycles and GC: " + last[0] + " vs baseline " + base + "; new shared maps lines (first 20): "
                    + extra.subList(0, Math.min(20, extra.size())));
        }
    }
}
