package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.Matrix;
import org.memshare.StartsProcesses;
import org.memshare.facade.Memshare;

/**
 * Failures of a call on worker processes that are the results' or the caller's, not the workers':
 * each fails the call naming what went wrong, every worker lives and drops the call's views (the
 * job is ended), and the next call on the same cluster gives the right answer.
 */
@StartsProcesses
class ApplyClusterStaysWholeTest {
    private static final double[] SUMS = {1, 5, 9, 13};  // column sums of X below
    private WorkerCluster cluster;
    private TreeSet<String> shmBefore;
    private Map<Long, Set<String>> mappedBefore;

    @BeforeEach
    void start() throws IOException {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/maps")),
                "no /proc/<pid>/maps on this system: cannot see which segments a worker maps");
        shmBefore = ApplyTestSupport.shm();
        cluster = WorkerCluster.start(2);
        mappedBefore = new HashMap<>();  // before any call: after one, its unanswered EndJob may still be on its way
        for (long pid : cluster.pids()) mappedBefore.put(pid, shmMappings(pid));
    }

    @AfterEach
    void stop() {
        if (cluster != null) cluster.close();
        Memshare.releaseAll();
        if (shmBefore != null) ApplyTestSupport.assertNoNewSegments(shmBefore);
    }

    private static Matrix x() {
        return Matrix.of(2, 4, new double[] {0, 1, 2, 3, 4, 5, 6, 7});
    }

    /** One item per chunk, so that the failing item is the one named, on the test's cluster. */
    private ApplyOptions options() {
        return ApplyOptions.defaults().withCluster(cluster).withChunkSize(1);
    }

    /** A result that is not serializable, by its own class. */
    static final class NotSerializable {
        final double value;

        NotSerializable(double value) {
            this.value = value;
        }
    }

    /** A result whose deserialization in the caller throws. */
    static final class FailsToBeRead implements Serializable {
        private static final long serialVersionUID = 1L;

        private void readObject(ObjectInputStream in) {
            throw new IllegalStateException("this result refuses to be read");
        }
    }

    /** A result the default filter refuses. */
    record Stats(double first) implements Serializable {}

    @Test
    void aNonSerializableResultFailsTheCallNamingTheItemAndTheType() throws Exception {
        ApplyException e = assertThrows(ApplyException.class, () -> Apply.memApply(x(), Margin.COLUMNS,
                (ApplyFunction<Object>) (v, vars) -> v.get(0) == 4 ? new NotSerializable(v.get(0)) : v.get(0), options()));
        assertEquals(2, e.index(), e.getMessage());  // column 2 starts with 4
        assertTrue(e.getMessage().contains("column 2 of "), e.getMessage());
        assertTrue(e.getMessage().contains(NotSerializable.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("Serializable"), e.getMessage());
        assertTheClusterIsWhole();
    }

    @Test
    void aResultOfARefusedClassFailsTheCallAndTheWorkersLive() throws Exception {
        ApplyException e = assertThrows(ApplyException.class, () -> Apply.memApply(x(), Margin.COLUMNS,
                (ApplyFunction<Object>) (v, vars) -> v.get(0) == 6 ? new Stats(v.get(0)) : v.get(0), options()));
        assertEquals(3, e.index(), e.getMessage());
        assertTrue(e.getMessage().contains("acceptResultClasses"), e.getMessage());
        assertTheClusterIsWhole();
    }

    @Test
    void aResultWhoseReadingThrowsFailsTheCallAndTheStreamStaysInStep() throws Exception {
        ApplyException e = assertThrows(ApplyException.class, () -> Apply.memApply(x(), Margin.COLUMNS,
                (ApplyFunction<Object>) (v, vars) -> v.get(0) == 2 ? new FailsToBeRead() : v.get(0),
                options().acceptResultClasses(FailsToBeRead.class.getName())));
        assertEquals(1, e.index(), e.getMessage());
        assertTrue(e.getMessage().contains("refuses to be read"), e.getMessage());
        assertTheClusterIsWhole();
    }

    /** ClassNotFoundException in the dispatcher: a result class that exists only in the workers. */
    @Test
    void aResultClassTheCallerCannotLoadFailsTheCallAndEndsTheJob(@TempDir Path dir) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Assumptions.assumeTrue(javac != null, "no Java compiler in this runtime (a JRE): cannot make a class off the class path");
        Path src = dir.resolve("OnlyInTheWorker.java");
        Files.writeString(src, "public class OnlyInTheWorker implements java.io.Serializable {}\n");
        assertEquals(0, javac.run(null, null, null, "-d", dir.toString(), src.toString()));
        String classes = dir.toUri().toString();
        ApplyException e = assertThrows(ApplyException.class, () -> Apply.memApply(x(), Margin.COLUMNS,
                (ApplyFunction<Object>) (v, vars) -> {
                    try (URLClassLoader l = new URLClassLoader(new URL[] {new URL(classes)})) {
                        return l.loadClass("OnlyInTheWorker").getConstructor().newInstance();
                    }
                }, options()));
        assertTrue(e.getMessage().contains("OnlyInTheWorker"), e.getMessage());
        assertTheClusterIsWhole();
    }

    /** RuntimeException in the dispatcher: the caller's own progress listener throws. */
    @Test
    void aProgressListenerThatThrowsFailsTheCallAndEndsTheJob() throws Exception {
        ApplyException e = assertThrows(ApplyException.class, () -> Apply.memApplyDouble(x(), Margin.COLUMNS,
                (v, vars) -> v.get(0), options().withProgress((done, total) -> {
                    throw new IllegalStateException("listener broke");
                })));
        assertTrue(e.getMessage().contains("listener broke"), e.getMessage());
        assertTheClusterIsWhole();
    }

    /** An Error in the dispatcher fails the call (it used to end the dispatcher and leave items unset, silently). */
    @Test
    void anErrorInTheProgressListenerFailsTheCall() throws Exception {
        ApplyException e = assertThrows(ApplyException.class, () -> Apply.memApplyDouble(x(), Margin.COLUMNS,
                (v, vars) -> v.get(0), options().withProgress((done, total) -> {
                    throw new AssertionError("listener error");
                })));
        assertTrue(e.getMessage().contains("listener error"), e.getMessage());
        assertTheClusterIsWhole();
    }

    /**
     * Each worker has a chunk sent ahead while it computes one, so when an item fails the reply
     * to the chunk after it is still due, from that worker and from the other (which finds the
     * call failed): it must be read before the job ends, never taken for the next call's reply.
     * One item per chunk, and the failing column is the 11th of 64: chunks are left to send ahead.
     */
    @Test
    void aFailureWithChunksSentAheadLeavesEveryStreamInStep() throws Exception {
        int nrow = 3, ncol = 64;
        double[] data = new double[nrow * ncol];
        for (int k = 0; k < data.length; k++) data[k] = k + 0.25;  // column j starts with 3j + 0.25
        Matrix m = Matrix.of(nrow, ncol, data);
        ApplyException e = assertThrows(ApplyException.class, () -> Apply.memApplyDouble(m, Margin.COLUMNS, (v, vars) -> {
            if (v.get(0) == 30.25) throw new IllegalStateException("column 10 fails");
            return -1;  // what a reply read out of step would put into the next call's results
        }, options()));
        assertEquals(10, e.index(), e.getMessage());
        assertTrue(e.getMessage().contains("column 10 fails"), e.getMessage());
        double[] squares = new double[ncol];  // each column's sum of squares, by hand
        for (int j = 0; j < ncol; j++)
            for (int r = 0; r < nrow; r++) squares[j] += data[j * nrow + r] * data[j * nrow + r];
        for (int call = 0; call < 2; call++)  // twice: the second on workers that hold the function
            assertArrayEquals(squares, Apply.memApplyDouble(m, Margin.COLUMNS, (v, vars) -> {
                double s = 0;
                for (int r = 0; r < v.limit(); r++) s += v.get(r) * v.get(r);
                return s;
            }, options()));
        assertTheClusterIsWhole();
    }

    /**
     * Every worker is alive and connected, has dropped the failed call's views (EndJob is not
     * answered, so this waits for the worker to read it), and the next call is right.
     */
    private void assertTheClusterIsWhole() throws Exception {
        assertEquals(2, cluster.liveWorkers(), "workers alive after the failed call");
        long deadline = System.nanoTime() + 30_000_000_000L;  // generous: a busy 2-core machine
        for (long pid : cluster.pids()) {
            Set<String> now = shmMappings(pid);
            while (!now.equals(mappedBefore.get(pid)) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                now = shmMappings(pid);
            }
            assertEquals(mappedBefore.get(pid), now, "shared-memory mappings of worker pid " + pid + " after the failed call");
        }
        assertArrayEquals(SUMS, Apply.memApplyDouble(x(), Margin.COLUMNS, (v, vars) -> v.get(0) + v.get(1), options()));
        assertEquals(2, cluster.liveWorkers(), "workers alive after the next call");
    }

    /** The /dev/shm files a process maps (a released segment's mapping is gone from this list). */
    private static Set<String> shmMappings(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/maps")).stream()
                    .filter(l -> l.contains("/dev/shm/")).map(l -> l.substring(l.indexOf("/dev/shm/")))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
