package org.memshare.spark;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.memshare.Matrix;
import org.memshare.apply.ApplyException;
import org.memshare.apply.Margin;

/** memApply on a real local-cluster: results in index order over uneven blocks, rows and shared variables, failures, progress. */
class SparkApplyTest {
    private static JavaSparkContext sc;
    private static final int NROW = 13, NCOL = 103;
    private static HostMatrix x;
    private static HostMatrix w;

    @BeforeAll
    static void startCluster() {
        sc = SparkTestCluster.start("SparkApplyTest");
        x = HostMatrix.broadcast(sc, "X", Matrix.of(NROW, NCOL, HostMatrixTest.columnMajor(NROW, NCOL)));
        double[] weights = new double[NCOL];
        for (int j = 0; j < NCOL; j++) weights[j] = j % 3 - 1;  // -1, 0, 1, ...
        w = HostMatrix.broadcast(sc, "w", Matrix.of(NCOL, 1, weights));
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        if (sc == null) return;
        assertEquals(List.of(), SparkTestCluster.stopAndCollectLeftovers(sc), "the application's end leaves nothing in /dev/shm");
    }

    @Test
    void columnResultsComeInIndexOrderOverUnevenBlocks() {
        List<Double> sums = SparkApply.memApply(sc, x, Margin.COLUMNS, (col, vars) -> {
            double s = 0;
            while (col.hasRemaining()) s += col.get();
            return s;
        }, Map.of(), SparkApplyOptions.defaults().withPartitions(10));  // 103 columns in blocks of 10 and 11
        assertEquals(NCOL, sums.size());
        for (int j = 0; j < NCOL; j++) {
            double want = 0;
            for (int i = 0; i < NROW; i++) want += HostMatrixTest.value(i, j);
            assertEquals(want, sums.get(j), "column " + j);
        }
    }

    @Test
    void rowsSeeTheSharedVariables() {
        List<Double> dots = SparkApply.memApply(sc, x, Margin.ROWS, (row, vars) -> {
            var weights = vars.array("w").column(0);
            double s = 0;
            for (int j = 0; j < row.limit(); j++) s += row.get(j) * weights.get(j);
            return s;
        }, Map.of("w", w), SparkApplyOptions.defaults().withPartitions(4));
        assertEquals(NROW, dots.size());
        for (int i = 0; i < NROW; i++) {
            double want = 0;
            for (int j = 0; j < NCOL; j++) want += HostMatrixTest.value(i, j) * (j % 3 - 1);
            assertEquals(want, dots.get(i), "row " + i);
        }
    }

    @Test
    void aFailingFunctionIsAnApplyExceptionNamingTheColumnWithTheCause() {
        ApplyException e = assertThrows(ApplyException.class, () -> SparkApply.memApply(sc, x, Margin.COLUMNS, (col, vars) -> {
            if (col.get(0) == HostMatrixTest.value(0, 42)) throw new IllegalStateException("no good: column 42");
            return 1;
        }, Map.of()));
        assertEquals(42, e.index());
        IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("no good: column 42", cause.getMessage());
        assertTrue(e.getMessage().contains("column 42 of 'X'"), e.getMessage());
    }

    @Test
    void progressCountsUpToTheTotal() {
        List<long[]> calls = new ArrayList<>();
        SparkApply.memApply(sc, x, Margin.COLUMNS, (col, vars) -> col.get(0), Map.of(),
                SparkApplyOptions.defaults().withPartitions(5).withProgress((done, total) -> {
                    synchronized (calls) {
                        calls.add(new long[] {done, total});
                    }
                }));
        assertTrue(!calls.isEmpty());
        long previous = 0;
        for (long[] c : calls) {
            assertEquals(NCOL, c[1]);
            assertTrue(c[0] > previous, "done increases: " + c[0] + " after " + previous);
            previous = c[0];
        }
        assertEquals(NCOL, calls.get(calls.size() - 1)[0], "the last call reports the total");
    }

    /**
     * An exception in Spark's listener thread would stop the SparkContext: the handlers catch and
     * log. The progress callback throws on every call made from that thread (all but the last,
     * which comes from the caller's thread), during a real call over 5 partitions.
     */
    @Test
    void progressHandlersNeverThrowIntoSparksListenerThread() {
        List<Double> firsts = SparkApply.memApply(sc, x, Margin.COLUMNS, (col, vars) -> col.get(0), Map.of(),
                SparkApplyOptions.defaults().withPartitions(5).withProgress((done, total) -> {
                    // A LinkageError, like the NoSuchMethodError of a Spark version mismatch: Spark's
                    // listener bus survives ordinary exceptions but stops the context on this one.
                    if (done < total) throw new LinkageError("a callback that throws");
                }));
        assertEquals(NCOL, firsts.size());
        assertDoesNotThrow(() -> sc.sc().listenerBus().waitUntilEmpty(120_000), "the listener bus did not drain");
        assertFalse(sc.sc().isStopped(), "the callback's exception stopped the SparkContext");
        assertEquals(3L, sc.parallelize(List.of(1, 2, 3), 2).count(), "the context still runs jobs");
        ApplyProgress p = ApplyProgress.start(sc, List.<long[]>of(new long[] {0, 1}), 1, (done, total) -> {});
        try {
            assertDoesNotThrow(() -> p.onStageSubmitted(null));
            assertDoesNotThrow(() -> p.onTaskEnd(null));
        } finally {
            p.stop();
        }
    }
}
