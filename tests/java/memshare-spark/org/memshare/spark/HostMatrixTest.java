package org.memshare.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.Matrix;
import org.memshare.MatrixView;
import org.memshare.apply.ApplyException;

/**
 * Host copies on a real local-cluster (two executor JVMs on this one host, so one host copy for
 * both): one segment, views cached per executor, one owner, the create race, a filler that
 * never publishes (bounded wait, clear error), a filler killed mid-fill (taken over), and the
 * application's end leaving nothing in /dev/shm.
 */
class HostMatrixTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void startCluster() {
        sc = SparkTestCluster.start("HostMatrixTest");
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        if (sc == null) return;
        List<String> left = SparkTestCluster.stopAndCollectLeftovers(sc);
        assertEquals(List.of(), left, "the application's end leaves nothing of it in /dev/shm");
    }

    /** The value at (i, j) of the test matrices: distinct per cell, exact in float64. */
    static double value(long i, long j) {
        return j * 1_000_003.0 + i * 0.5;
    }

    static double[] columnMajor(int nrow, int ncol) {
        double[] v = new double[nrow * ncol];
        for (int j = 0; j < ncol; j++) for (int i = 0; i < nrow; i++) v[j * nrow + i] = value(i, j);
        return v;
    }

    /** What each task saw: its executor's pid, the identity of the view object, whether that JVM owns the copy, cells wrong. */
    record Seen(long pid, int viewIdentity, boolean owns, long wrongCells) implements java.io.Serializable {}

    static List<Seen> readEverywhere(HostMatrix m, int tasks) {
        return sc.parallelize(IntStream.range(0, tasks).boxed().toList(), tasks).map(t -> {
            MatrixView v = m.view();
            long wrong = 0;
            for (long j = 0; j < v.ncol(); j++)
                for (long i = 0; i < v.nrow(); i++) if (v.get(i, j) != value(i, j)) wrong++;
            return new Seen(ProcessHandle.current().pid(), System.identityHashCode(v), HostCopies.owns(m.namespace()), wrong);
        }).collect();
    }

    static void assertOneCopy(HostMatrix m, List<Seen> seen) {
        for (Seen s : seen) assertEquals(0, s.wrongCells(), "cells read wrong in executor " + s.pid());
        Map<Long, Set<Integer>> viewsPerPid = new HashMap<>();
        Set<Long> owners = new HashSet<>();
        for (Seen s : seen) {
            viewsPerPid.computeIfAbsent(s.pid(), k -> new HashSet<>()).add(s.viewIdentity());
            if (s.owns()) owners.add(s.pid());
        }
        viewsPerPid.forEach((pid, ids) -> assertEquals(1, ids.size(), "executor " + pid + " must cache one view, saw " + ids));
        assertEquals(1, owners.size(), "exactly one executor owns the host copy: " + owners + " of " + viewsPerPid.keySet());
        assertTrue(!viewsPerPid.containsKey(ProcessHandle.current().pid()), "tasks ran in executor JVMs, not the driver");
        assertEquals(List.of(m.namespace() + ".md.x", m.namespace() + ".x"), SparkTestCluster.shmEntries(m.namespace() + "."),
                "one copy (data and metadata segment) on this host");
    }

    @Test
    void executorsRunOnTheDriversJdk() {
        String driver = System.getProperty("java.home") + " " + System.getProperty("java.version");
        List<String> seen = sc.parallelize(List.of(0, 1), 2)
                .map(t -> System.getProperty("java.home") + " " + System.getProperty("java.version")).distinct().collect();
        assertEquals(List.of(driver), seen, "the executors run the driver's JDK");
    }

    @Test
    void broadcastGivesOneCopyPerHostAndOneCachedViewPerExecutor() throws InterruptedException {
        int nrow = 50, ncol = 7;
        HostMatrix m = HostMatrix.broadcast(sc, "B", Matrix.of(nrow, ncol, columnMajor(nrow, ncol)));
        assertTrue(m.namespace().length() + ".md.x".length() <= 31, "segment names fit macOS's 31 characters: " + m.namespace());
        List<Seen> first = readEverywhere(m, 8);
        List<Seen> second = readEverywhere(m, 8);  // a second job reuses the cached views
        List<Seen> all = new ArrayList<>(first);
        all.addAll(second);
        assertOneCopy(m, all);
        // No executor keeps the broadcast: the filler dropped its blocks, the others never fetched them.
        // The filler drops them on a thread of its own after the publish: allow it a while.
        long id = ((HostSource.Broadcast) m.source()).values().id();
        List<String> holding = SparkTestCluster.awaitEmpty(() -> sc.parallelize(IntStream.range(0, 8).boxed().toList(), 8).map(t -> {
            var bm = org.apache.spark.SparkEnv.get().blockManager();
            boolean value = bm.getStatus(new org.apache.spark.storage.BroadcastBlockId(id, "")).isDefined();
            boolean piece = bm.getStatus(new org.apache.spark.storage.BroadcastBlockId(id, "piece0")).isDefined();
            return value || piece ? "executor " + ProcessHandle.current().pid() + (value ? " value" : "") + (piece ? " piece0" : "") : "";
        }).collect().stream().filter(h -> !h.isEmpty()).toList());
        assertEquals(List.of(), holding, "blocks of broadcast " + id + " left on executors after 60 s");
    }

    @Test
    void fileIsStreamedIntoOneCopyWhenExecutorsRaceForIt(@TempDir Path dir) throws IOException {
        int nrow = 2_000, ncol = 300;  // 4.8 MB: filling takes long enough for the second executor to find it taken
        Path file = dir.resolve("m.f64");
        writeColumnMajor(file, nrow, ncol);
        HostMatrix m = HostMatrix.fromFile(sc, "F", file, nrow, ncol);
        assertOneCopy(m, readEverywhere(m, 2));  // two tasks start at once, one per executor
    }

    @Test
    void aNumpyFileInFortranOrderIsReadByteForByte() {
        // tests/data/npy/x_f8_fortran.npy: numpy.save of 40 x 3 float64 in Fortran order (make_npy.py's formulas, computed here too).
        HostMatrix m = HostMatrix.fromFile(sc, "npy", Path.of("tests/data/npy/x_f8_fortran.npy"));
        assertEquals(40, m.nrow());
        assertEquals(3, m.ncol());
        List<Long> wrong = sc.parallelize(List.of(0, 1), 2).map(t -> {
            MatrixView v = m.view();
            long bad = 0;
            for (int i = 0; i < 40; i++) {
                double[] want = {(i % 7) * 0.5 + i * 0.01, ((i * 13) % 17) / 4.0, i % 4 + (i % 3) * 0.25};
                for (int j = 0; j < 3; j++) if (v.get(i, j) != want[j]) bad++;
            }
            return bad;
        }).collect();
        assertEquals(List.of(0L, 0L), wrong);
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> HostMatrix.fromFile(sc, "c", Path.of("tests/data/npy/x_f8_c.npy")));
        assertTrue(c.getMessage().contains("x_f8_c.npy holds dtype '<f8' in C order; a host copy is read byte for byte from "
                + "little-endian float64 in Fortran order: save it with numpy.save(f, numpy.asfortranarray(x, dtype='<f8'))"), c.getMessage());
        IllegalArgumentException i4 = assertThrows(IllegalArgumentException.class,
                () -> HostMatrix.fromFile(sc, "i4", Path.of("tests/data/npy/x_i4_fortran.npy")));
        assertTrue(i4.getMessage().contains("holds dtype '<i4' in Fortran order"), i4.getMessage());
    }

    @Test
    void fromFileNamesAFileOfTheWrongSize(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("short.f64");
        writeColumnMajor(file, 10, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostMatrix.fromFile(sc, "S", file, 10, 4));
        assertTrue(e.getMessage().contains("short.f64 has 240 bytes; a 10 x 4 float64 matrix has 320"), e.getMessage());
    }

    @Test
    void aFillerThatNeverPublishesFailsTasksInBoundedTimeAndIsTakenOverOnceDead() throws Exception {
        int nrow = 40, ncol = 5;
        HostMatrix m = HostMatrix.broadcast(sc, "K", Matrix.of(nrow, ncol, columnMajor(nrow, ncol))).withPublishTimeout(2_000);
        Process filler = startFiller(m);
        try {
            String hello = new BufferedReader(new InputStreamReader(filler.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertTrue(hello != null && hello.startsWith("FILLING "), "filler child said: " + hello);
            long pid = filler.pid();
            // Alive but stuck: the tasks give up after the timeout, naming the process they waited for.
            ApplyException stuck = assertThrows(ApplyException.class, () -> SparkApply.memApply(sc, m, org.memshare.apply.Margin.COLUMNS,
                    (col, vars) -> col.get(0), Map.of()));
            String why = causes(stuck);
            assertTrue(why.contains("HostMatrixException") && why.contains("waited 2000 ms for process " + pid), why);
            assertTrue(stuck.getMessage().contains("waited 2000 ms for process " + pid) && !stuck.getMessage().contains("\n"),
                    "one line saying why: " + stuck.getMessage());
        } finally {
            filler.destroyForcibly();  // SIGKILL: killed mid-fill, its page an orphan in the filling state
            assertTrue(filler.waitFor(30, TimeUnit.SECONDS));
        }
        // Dead: the next task sweeps the orphan and fills the copy itself.
        assertOneCopy(m, readEverywhere(m, 4));
    }

    @Test
    void tasksOfOneExecutorWaitBoundedlyForTheOneFillingIt() throws Exception {
        // In this JVM, as two tasks of one executor: the first fills slowly, the second gives up after the timeout.
        java.util.concurrent.CountDownLatch filling = new java.util.concurrent.CountDownLatch(1);
        HostSource slow = (page, nrow, ncol) -> {
            filling.countDown();
            try {
                Thread.sleep(6_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        HostMatrix m = new HostMatrix("slow", HostNames.namespace("HostMatrixTest-" + ProcessHandle.current().pid(), 1), 4, 2, slow, 1_000);
        java.util.concurrent.FutureTask<MatrixView> first = new java.util.concurrent.FutureTask<>(m::view);
        new Thread(first).start();
        try {
            assertTrue(filling.await(60, TimeUnit.SECONDS));
            HostMatrixException e = assertThrows(HostMatrixException.class, m::view);
            assertTrue(e.getMessage().contains("waited 1000 ms for another task of this executor to fill it"), e.getMessage());
            assertEquals(4, first.get(60, TimeUnit.SECONDS).nrow(), "the filler itself succeeds");
        } finally {
            HostCopies.releaseAll();
        }
        assertEquals(List.of(), SparkTestCluster.shmEntries(m.namespace() + "."), "released");
    }

    private static Process startFiller(HostMatrix m) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                FillerChild.class.getName(), m.namespace(), Long.toString(m.nrow()), Long.toString(m.ncol()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static String causes(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (; t != null; t = t.getCause()) sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" <- ");
        return sb.toString();
    }

    /** value(i, j) for every cell, little-endian float64, column-major: written here, not by the code under test. */
    static void writeColumnMajor(Path file, int nrow, int ncol) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8 * nrow).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int j = 0; j < ncol; j++) {
                buf.clear();
                for (int i = 0; i < nrow; i++) buf.putDouble(value(i, j));
                buf.flip();
                while (buf.hasRemaining()) ch.write(buf);
            }
        }
    }
}
