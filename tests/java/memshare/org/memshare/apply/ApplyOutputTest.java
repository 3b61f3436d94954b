package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.memshare.ArrayPage;
import org.memshare.ElementType;
import org.memshare.Matrix;
import org.memshare.Namespace;
import org.memshare.StartsProcesses;

/**
 * memApplyInto: workers write their items' blocks of one shared output in place, on threads and
 * on worker processes; the output equals a serial computation bit for bit, writes outside a block
 * fail the call, a failed call (a killed worker included) leaves nothing in /dev/shm, and the
 * published output reads as R's format from its raw bytes.
 */
@StartsProcesses
class ApplyOutputTest extends ApplyTestBase {
    private static final int NROW = 37, NCOL = 23;

    /** (x - mean) / sd of one vector, plainly: the serial reference and the workers run this. */
    static double[] standardize(double[] x) {
        double sum = 0;
        for (double v : x) sum += v;
        double mean = sum / x.length, ss = 0;
        for (double v : x) ss += (v - mean) * (v - mean);
        double sd = Math.sqrt(ss / (x.length - 1));
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (x[i] - mean) / sd;
        return out;
    }

    static double[] data(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextDouble() * 10 - 3;
        return x;
    }

    static String ns(String mode) {
        return "ao" + ProcessHandle.current().pid() + mode.charAt(0);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void standardisingEveryColumnEqualsTheSerialComputationBitForBit(String mode) {
        double[] x = data(NROW * NCOL, 7);
        double[] expected = new double[x.length];
        for (int j = 0; j < NCOL; j++)
            System.arraycopy(standardize(ApplyTestSupport.column(x, NROW, j)), 0, expected, j * NROW, NROW);
        try (Namespace space = Namespace.of(ns(mode))) {
            space.register("X", Matrix.of(NROW, NCOL, x));
            ArrayPage z = space.allocateMatrix("Z", ElementType.FLOAT64, NROW, NCOL);
            Apply.memApplyInto("X", Margin.COLUMNS, (col, out, vars) -> out.put(standardize(ApplyTestSupport.toArray(col))), z,
                    options(mode).withNamespace(space.name()).withChunkSize(3));
            assertTrue(z.isPublished());
            try (var view = space.matrix("Z")) {  // a reader's view of the published output
                assertArrayEquals(expected, view.toDoubleArray());  // exact: assertArrayEquals on doubles compares bits
            }
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void overRowsEachRowWritesItsOwnRowOfAnNrowByKOutput(String mode) {
        double[] x = data(NROW * NCOL, 8);
        double[] expected = new double[NROW * 2];  // column-major NROW x 2: min and max of each row
        for (int i = 0; i < NROW; i++) {
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < NCOL; j++) {
                min = Math.min(min, x[i + j * NROW]);
                max = Math.max(max, x[i + j * NROW]);
            }
            expected[i] = min;
            expected[i + NROW] = max;
        }
        try (Namespace space = Namespace.of(ns(mode))) {
            space.register("X", Matrix.of(NROW, NCOL, x));
            ArrayPage z = space.allocateMatrix("MinMax", ElementType.FLOAT64, NROW, 2);
            Apply.memApplyInto("X", Margin.ROWS, (row, out, vars) -> {
                double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < row.limit(); j++) {
                    min = Math.min(min, row.get(j));
                    max = Math.max(max, row.get(j));
                }
                out.set(0, min);
                out.set(1, max);
            }, z, options(mode).withNamespace(space.name()));
            try (var view = space.matrix("MinMax")) {
                assertArrayEquals(expected, view.toDoubleArray());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aWriteOutsideTheBlockFailsTheCallAndTheOutputIsNeitherPublishedNorLeft(String mode) {
        try (Namespace space = Namespace.of(ns(mode))) {
            space.register("X", Matrix.of(NROW, NCOL, data(NROW * NCOL, 9)));
            ArrayPage z = space.allocateMatrix("Z", ElementType.FLOAT64, NROW, NCOL);
            ApplyException e = assertThrows(ApplyException.class, () -> Apply.memApplyInto("X", Margin.COLUMNS,
                    (col, out, vars) -> {
                        out.set(0, 1.0);
                        if (out.item() == 5) out.set(NROW, 2.0);  // row 0 of column 6: another item's block
                    }, z, options(mode).withNamespace(space.name())));
            assertEquals(5, e.index(), e.getMessage());
            String cause = mode.equals("threads") ? e.getCause().getClass().getName()
                    : assertInstanceOf(RemoteException.class, e.getCause()).remoteClass();
            assertEquals(IndexOutOfBoundsException.class.getName(), cause);
            assertTrue(e.getCause().getMessage().contains("outside this item's block"), e.getCause().getMessage());
            assertTrue(z.isClosed(), "the output page is released");
            assertFalse(z.isPublished());
            assertFalse(space.exists("Z"));
        }
        // nothingLeft() (after each test) checks /dev/shm
    }

    @Test
    void aWorkerKilledMidWriteFailsTheCallAndLeavesNothingInDevShm() throws IOException {
        long parent = ProcessHandle.current().pid();
        try (WorkerCluster own = WorkerCluster.start(2); Namespace space = Namespace.of(ns("kill"))) {
            space.register("X", Matrix.of(NROW, NCOL, data(NROW * NCOL, 10)));
            ArrayPage z = space.allocateMatrix("Z", ElementType.FLOAT64, NROW, NCOL);
            ApplyException e = assertThrows(ApplyException.class, () -> Apply.memApplyInto("X", Margin.COLUMNS,
                    (col, out, vars) -> {
                        for (int i = 0; i < NROW / 2; i++) out.set(i, 42);  // half the block written, then SIGKILL
                        long me = ProcessHandle.current().pid();
                        if (out.item() == 11 && me != parent) {
                            new ProcessBuilder("kill", "-9", Long.toString(me)).start().waitFor();
                            Thread.sleep(60_000);  // the signal ends this process first
                        }
                    }, z, ApplyOptions.defaults().withNamespace(space.name()).withCluster(own).withChunkSize(1)));
            assertTrue(e.getMessage().contains("killed by signal 9"), e.getMessage());
            assertTrue(z.isClosed());
            assertFalse(space.exists("Z"));
            assertEquals(1, own.liveWorkers());
        }
    }

    /**
     * The published output read the way R memshare reads it (docs/FORMAT.md §1, §2): the files
     * /dev/shm/ns.md.Z (a 24-byte record: int32 type 0, uint64 nrow, uint64 ncol, little-endian)
     * and /dev/shm/ns.Z (nrow × ncol doubles, column-major), as raw bytes, not through our views.
     */
    @ParameterizedTest
    @MethodSource("modes")
    void thePublishedOutputReadsAsAnRMatrixFromItsRawBytes(String mode) throws IOException {
        double[] x = data(NROW * NCOL, 11);
        String ns = ns(mode);
        try (Namespace space = Namespace.of(ns)) {
            space.register("X", Matrix.of(NROW, NCOL, x));
            ArrayPage z = space.allocateMatrix("Z", ElementType.FLOAT64, 2, NCOL);  // k x ncol: mean and sd of each column
            Apply.memApplyInto("X", Margin.COLUMNS, (col, out, vars) -> {
                double[] c = ApplyTestSupport.toArray(col);
                double mean = java.util.Arrays.stream(c).sum() / c.length;
                out.set(0, mean);
                out.set(1, c[0] - mean);
            }, z, options(mode).withNamespace(ns));
            ByteBuffer md = ByteBuffer.wrap(Files.readAllBytes(Paths.get("/dev/shm", ns + ".md.Z"))).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(0, md.getInt(0), "R's type code of a matrix, published");
            assertEquals(2, md.getLong(8));
            assertEquals(NCOL, md.getLong(16));
            // Exactly the doubles (then the page rounding's zeros, where the library rounds: §8).
            ByteBuffer data = ByteBuffer.wrap(org.memshare.Fixtures.segmentBytes(Paths.get("/dev/shm", ns + ".Z"), 8 * 2 * NCOL))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (int j = 0; j < NCOL; j++) {
                double[] c = ApplyTestSupport.column(x, NROW, j);
                double mean = java.util.Arrays.stream(c).sum() / c.length;
                assertEquals(mean, data.getDouble(8 * (2 * j)), "mean of column " + j);
                assertEquals(c[0] - mean, data.getDouble(8 * (2 * j + 1)), "row 1 of column " + j);
            }
        }
    }

    @Test
    void anOutputOfTheWrongShapeIsRefusedNamingBothShapes() {
        try (Namespace space = Namespace.of(ns("shape"))) {
            space.register("X", Matrix.of(NROW, NCOL, data(NROW * NCOL, 12)));
            ArrayPage z = space.allocateMatrix("Z", ElementType.FLOAT64, NROW, NCOL + 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Apply.memApplyInto("X",
                    Margin.COLUMNS, (col, out, vars) -> {}, z, options("threads").withNamespace(space.name())));
            assertTrue(e.getMessage().contains((NCOL + 1) + " columns, X has " + NCOL), e.getMessage());
        }
    }
}
