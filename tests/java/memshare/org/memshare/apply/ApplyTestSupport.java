package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.DoubleBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Helpers for the apply tests: /dev/shm snapshots and serial reference computations. */
final class ApplyTestSupport {
    private ApplyTestSupport() {}

    /** Entries of /dev/shm now. */
    static TreeSet<String> shm() {
        try (Stream<Path> s = Files.list(Paths.get("/dev/shm"))) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Fails if /dev/shm gained entries since {@code before} (other test JVMs do not run concurrently). */
    static void assertNoNewSegments(TreeSet<String> before) {
        TreeSet<String> now = shm();
        now.removeAll(before);
        assertEquals(new TreeSet<String>(), now, "segments left in /dev/shm");
    }

    /** Pearson correlation, computed plainly. */
    static double cor(double[] a, double[] b) {
        int n = a.length;
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    static double[] toArray(DoubleBuffer b) {
        double[] out = new double[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    static double[] column(double[] colMajor, int nrow, int j) {
        double[] c = new double[nrow];
        System.arraycopy(colMajor, j * nrow, c, 0, nrow);
        return c;
    }
}
