package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.memshare.Matrix;
import org.memshare.facade.Memshare;
import org.memshare.StartsProcesses;

/** Failures: they propagate with the index named, and nothing is ever left in /dev/shm. */
@StartsProcesses
class ApplyFailureTest extends ApplyTestBase {
    /** One item per task, so that failures and progress are seen item by item. */
    static ApplyOptions options(String mode) {
        return ApplyTestBase.options(mode).withChunkSize(1);
    }

    private static Matrix matrix(int nrow, int ncol) {
        double[] x = new double[nrow * ncol];
        for (int i = 0; i < x.length; i++) x[i] = i;
        return Matrix.of(nrow, ncol, x);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void anExceptionInTheFunctionNamesTheIndexAndCarriesTheCause(String mode) {
        ApplyException e = assertThrows(ApplyException.class, () -> Apply.memApplyDouble(matrix(4, 8), Margin.COLUMNS,
                (col, vars) -> {
                    if (col.get(0) == 12) throw new IllegalStateException("bad column");  // column 3 starts with 12
                    return col.get(0);
                }, options(mode)));
        assertEquals(3, e.index());
        assertTrue(e.getMessage().contains("column 3 of "), e.getMessage());
        if (mode.equals("threads")) {
            assertInstanceOf(IllegalStateException.class, e.getCause());
        } else {
            RemoteException remote = assertInstanceOf(RemoteException.class, e.getCause());
            assertEquals(IllegalStateException.class.getName(), remote.remoteClass());
            assertTrue(remote.remoteStackTrace().contains("bad column"), remote.remoteStackTrace());
            assertTrue(remote.remoteStackTrace().contains("at org.memshare.apply."), remote.remoteStackTrace());
        }
        // The cluster is still usable after a failed call.
        assertEquals(8, Apply.memApplyDouble(matrix(4, 8), Margin.COLUMNS, (col, vars) -> 1.0, options(mode)).length);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void progressReportsEveryItem(String mode) {
        List<long[]> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        Apply.memApplyDouble(matrix(3, 50), Margin.COLUMNS, (col, vars) -> col.get(0),
                options(mode).withProgress((done, total) -> seen.add(new long[] {done, total})));
        assertEquals(50, seen.size());  // chunk size 1: one report per column
        assertTrue(seen.stream().allMatch(p -> p[1] == 50));
        assertEquals(50, seen.stream().mapToLong(p -> p[0]).max().getAsLong());
    }

    @ParameterizedTest
    @MethodSource("modes")
    void anInterruptedCallerGetsAnExceptionPromptlyAndNothingIsLeft(String mode) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                Apply.memApplyDouble(matrix(2, 40), Margin.COLUMNS, (col, vars) -> {
                    Thread.sleep(100);
                    return 0;
                }, options(mode).withVars(Map.of("y", new double[] {1, 2})));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        caller.start();
        Thread.sleep(400);
        long t0 = System.nanoTime();
        caller.interrupt();
        caller.join(10_000);
        assertTrue(!caller.isAlive(), "the caller returned");
        assertTrue((System.nanoTime() - t0) / 1e6 < 2_000, "within 2 s of the interrupt");
        ApplyException e = assertInstanceOf(ApplyException.class, thrown.get());
        assertInstanceOf(InterruptedException.class, e.getCause());
        // The registrations of the call are gone already; let the workers finish their item.
        ApplyTestSupport.assertNoNewSegments(shmBefore);
        Thread.sleep(300);
    }

    @Test
    void xByNameWithoutANamespaceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Apply.memApply("X", Margin.COLUMNS, (col, vars) -> 1, ApplyOptions.defaults()));
        assertTrue(e.getMessage().contains("NAMESPACE"), e.getMessage());
    }

    @Test
    void varNamesWithoutANamespaceAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Apply.memApply(matrix(2, 2),
                Margin.COLUMNS, (col, vars) -> 1, ApplyOptions.defaults().withVarNames("y")));
        assertTrue(e.getMessage().contains("NAMESPACE"), e.getMessage());
    }

    @Test
    void aVariableSharedTwiceIsRefusedAndNothingIsLeft() {
        String ns = "twice" + ProcessHandle.current().pid();
        Memshare.registerVariables(ns, Map.of("y", new double[] {1}));
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Apply.memApply(matrix(2, 2),
                    Margin.COLUMNS, (col, vars) -> 1,
                    ApplyOptions.defaults().withNamespace(ns).withVars(Map.of("y", new double[] {2})).withVarNames("y")));
            assertTrue(e.getMessage().contains("'y' is shared twice"), e.getMessage());
        } finally {
            Memshare.releaseVariables(ns, "y");
        }
    }

    /** A result type the parent does not accept unless told. */
    record Stats(double first, double last) implements Serializable {}

    @Test
    void resultClassesFromWorkersAreFiltered() throws IOException {
        try (WorkerCluster own = WorkerCluster.start(1)) {
            ApplyOptions o = ApplyOptions.defaults().withCluster(own);
            ApplyException e = assertThrows(ApplyException.class, () -> Apply.memApply(matrix(2, 3), Margin.COLUMNS,
                    (col, vars) -> new Stats(col.get(0), col.get(1)), o));
            assertTrue(e.getMessage().contains("acceptResultClasses"), e.getMessage());
        }
        try (WorkerCluster own = WorkerCluster.start(1)) {
            List<Stats> ok = Apply.memApply(matrix(2, 3), Margin.COLUMNS, (col, vars) -> new Stats(col.get(0), col.get(1)),
                    ApplyOptions.defaults().withCluster(own).acceptResultClasses(Stats.class.getName()));
            assertEquals(List.of(new Stats(0, 1), new Stats(2, 3), new Stats(4, 5)), ok);
        }
    }

    @Test
    void aKilledWorkerFailsTheCallWithinBoundedTimeNamingIt() throws Exception {
        try (WorkerCluster own = WorkerCluster.start(2)) {
            long victim = own.pids().get(0);
            Thread killer = new Thread(() -> {
                try {
                    Thread.sleep(500);
                    new ProcessBuilder("kill", "-9", Long.toString(victim)).start().waitFor();
                } catch (Exception ignored) {
                    // the assertion below reports it
                }
            });
            killer.start();
            long t0 = System.nanoTime();
            ApplyException e = assertThrows(ApplyException.class, () -> Apply.memApplyDouble(matrix(2, 60), Margin.COLUMNS,
                    (col, vars) -> {
                        Thread.sleep(50);
                        return 1;
                    }, ApplyOptions.defaults().withCluster(own).withChunkSize(1).withVars(Map.of("y", new double[] {1}))));
            double seconds = (System.nanoTime() - t0) / 1e9;
            killer.join();
            assertTrue(e.getMessage().contains("worker 1 (pid " + victim + ")"), e.getMessage());
            assertTrue(e.getMessage().contains("killed by signal 9"), e.getMessage());
            assertTrue(seconds < 5, "failed within " + seconds + " s");
            assertEquals(1, own.liveWorkers());
            ApplyTestSupport.assertNoNewSegments(shmBefore);
            // The surviving worker still serves calls.
            assertEquals(3, Apply.memApplyDouble(matrix(2, 3), Margin.COLUMNS, (col, vars) -> 1,
                    ApplyOptions.defaults().withCluster(own)).length);
        }
    }
}
