package org.memshare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Variables over 2 GiB (larger than any one ByteBuffer) round-trip: values around the 1 GiB
 * chunk boundaries and at the end, copies across boundaries, long indexes beyond 2^31. Skipped,
 * with the reason printed, where /dev/shm or RAM is too small ({@code -Dmemshare.big.tests=false}
 * skips them too).
 */
class BigVariableTest extends MemshareTestBase {
    private static final long GIB = 1L << 30;
    private static final long NEEDED = 3 * GIB;

    static long memAvailable() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/meminfo")))
            if (line.startsWith("MemAvailable:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        return 0;
    }

    @BeforeEach
    void assumeRoom() throws IOException {
        String why = null;
        if (!Boolean.parseBoolean(System.getProperty("memshare.big.tests", "true"))) why = "-Dmemshare.big.tests=false";
        long shmFree = Files.getFileStore(Fixtures.SHM).getUsableSpace();
        long ram = memAvailable();
        if (why == null && shmFree < NEEDED) why = "/dev/shm has " + (shmFree >> 20) + " MiB free, need " + (NEEDED >> 20);
        if (why == null && ram < NEEDED) why = "MemAvailable is " + (ram >> 20) + " MiB, need " + (NEEDED >> 20);
        if (why != null) System.out.println("BigVariableTest skipped: " + why);
        Assumptions.assumeTrue(why == null, why);
    }

    private static double value(long i) {
        return i + 0.5;                                // never 0, exact for these i
    }

    @Test
    void vectorOfTwoAndAHalfGiB() throws IOException {
        long n = (5 * GIB / 2) / 8;                    // 335,544,320 doubles
        long oneGiB = GIB / 8, twoGiB = 2 * GIB / 8;   // element indexes of the chunk boundaries
        long[] positions = {0, 1, oneGiB - 1, oneGiB, oneGiB + 1, twoGiB - 3, n / 2 + 7, n - 2, n - 1};
        Namespace space = Namespace.of(ns);
        ArrayPage page = hold(space.allocateVector("big", ElementType.FLOAT64, n));
        assertEquals(5 * GIB / 2, Files.size(Fixtures.dataPath(ns, "big")));
        for (long p : positions) page.set(p, value(p));
        // A block that straddles the 2 GiB boundary, written in one copy.
        double[] block = {value(twoGiB - 2), value(twoGiB - 1), value(twoGiB), value(twoGiB + 1)};
        page.copyFrom(twoGiB - 2, block, 0, 4);
        page.publish();

        try (VectorView v = space.vector("big")) {
            assertEquals(n, v.length());
            assertEquals(5 * GIB / 2, v.info().sizeBytes());
            for (long p : positions) assertEquals(value(p), v.get(p), "get(" + p + ")");
            for (long p = twoGiB - 2; p < twoGiB + 2; p++) assertEquals(value(p), v.get(p), "get(" + p + ")");
            assertEquals(0.0, v.get(oneGiB + 2));      // untouched: zero-filled
            assertEquals(0.0, v.get(n - 3));
            double[] back = new double[6];
            v.copyTo(twoGiB - 3, back, 0, 6);
            assertArrayEquals(new double[] {value(twoGiB - 3), value(twoGiB - 2), value(twoGiB - 1), value(twoGiB),
                value(twoGiB + 1), 0.0}, back);
            v.copyTo(oneGiB - 1, back, 0, 3);
            assertEquals(value(oneGiB - 1), back[0]);
            assertEquals(value(oneGiB), back[1]);
            assertEquals(value(oneGiB + 1), back[2]);
            assertThrows(UnsupportedOperationException.class, () -> v.column(0), "2.5 GiB do not fit one buffer");
            assertThrows(UnsupportedOperationException.class, () -> v.columnBytes(0));
            assertThrows(IndexOutOfBoundsException.class, () -> v.get(n));
        }
        page.close();
    }

    @Test
    void matrixColumnAcrossTheOneGiBChunkBoundary() {
        int nrow = 1_000_000, ncol = 135;              // 1.08e9 bytes; column 134 spans [1.072e9, 1.080e9)
        long firstOfChunk1 = (GIB - 134L * nrow * 8) / 8;   // row 217,728 of column 134 starts at 1 GiB
        Namespace space = Namespace.of(ns);
        ArrayPage page = hold(space.allocateMatrix("m", ElementType.FLOAT64, nrow, ncol));
        DoubleBuffer w = page.column(134);             // writable, itself across the boundary
        for (int i = 0; i < nrow; i++) w.put(i, i * 0.25 + 1);
        page.set(5, 133, -1.5);
        page.publish();
        try (MatrixView v = space.matrix("m")) {
            ByteBuffer bytes = v.columnBytes(134);
            assertEquals(8L * nrow, bytes.remaining());
            assertEquals(ByteOrder.nativeOrder(), bytes.order());
            DoubleBuffer col = v.column(134);
            for (long i : new long[] {0, 1, firstOfChunk1 - 1, firstOfChunk1, firstOfChunk1 + 1, nrow - 1}) {
                double expected = i * 0.25 + 1;
                assertEquals(expected, bytes.getDouble((int) (8 * i)), "columnBytes(134) row " + i);
                assertEquals(expected, col.get((int) i), "column(134) row " + i);
                assertEquals(expected, v.get(i, 134), "get(" + i + ", 134)");
            }
            assertEquals(-1.5, v.column(133).get(5));
            assertEquals(0.0, v.column(133).get(6));
        }
        page.close();
    }

    @Test
    void int8VectorIndexedBeyondTwoToThe31() {
        long n = (1L << 31) + 4096;
        long[] positions = {0, (1L << 30) - 1, 1L << 30, Integer.MAX_VALUE, 1L << 31, n - 1};
        Namespace space = Namespace.of(ns);
        ArrayPage page = hold(space.allocateVector("b", ElementType.INT8, n));
        int k = 0;
        for (long p : positions) page.setLong(p, ++k * 11 - 60);
        page.publish();
        try (VectorView v = space.vector("b")) {
            assertEquals(n, v.length());
            k = 0;
            for (long p : positions) assertEquals(++k * 11 - 60, v.getLong(p), "getLong(" + p + ")");
            assertEquals(0, v.getLong((1L << 31) + 1));
            byte[] back = new byte[3];
            v.copyTo(Integer.MAX_VALUE - 1, back, 0, 3);
            assertArrayEquals(new byte[] {0, 4 * 11 - 60, 5 * 11 - 60}, back);
        }
        page.close();
    }
}
