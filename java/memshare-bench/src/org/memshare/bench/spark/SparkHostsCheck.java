package org.memshare.bench.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.memshare.Matrix;
import org.memshare.spark.HostMatrix;
import org.memshare.spark.MemsharePlugin;

/**
 * The checks of memshare on the two simulated hosts (scripts/lib/spark-hosts-check.sh, run by
 * scripts/test), in one Spark application with memshare's plugin on 4 executors (one start and
 * stop of executors is most of the time):
 * <ol>
 *   <li>one copy per host: a column-sum job over a {@link HostMatrix} read from a file on all 4
 *       executors gives the driver's sums; each host's /dev/shm holds one data segment (and its
 *       metadata), published, owned by one of that host's executors; the driver's /dev/shm holds
 *       none; every executor maps its host's copy;</li>
 *   <li>kill -9 of the executor that owns a host's copy mid-job: the job still gives the right
 *       sums, a replacement executor starts on that host and the dead owner's segments are
 *       swept;</li>
 *   <li>kill -9 of an executor while it fills a host's copy of a second matrix (carried by Spark's
 *       broadcast, so the fill lasts seconds): the job finishes in bounded time with the right sums,
 *       another process of that host publishes the copy, one data segment is left there;</li>
 *   <li>Spark cancels the job while a task fills a host's copy of a third matrix (its thread is
 *       interrupted, the executor lives on): the next job gets the right sums in bounded time and
 *       the host holds one published copy;</li>
 *   <li>the application ends with the executors' views still open: nothing of it is left in any
 *       host's /dev/shm nor in the driver's.</li>
 * </ol>
 * Every wait is bounded; a failed check is printed and the others still run. Exit status 1 if
 * any failed.
 */
public final class SparkHostsCheck {
    private static final long JOB_SECONDS = 300;      // a busy 2-core machine; a hang fails here
    private static final long WAIT_SECONDS = 120;
    private static final Path DRIVER_SHM = Path.of("/dev/shm");
    private static final int FILL_ROWS = 4096, FILL_COLS = 4096;

    private final BenchOptions o;
    private final HostMemory.Host a;   // the host whose copies the faults hit
    private final List<String> failures = new ArrayList<>();
    private int checks;
    private JavaSparkContext jsc;
    private double[] fillData;   // the broadcast matrices' values

    private SparkHostsCheck(BenchOptions o) {
        this.o = o;
        this.a = o.hosts().get(0);
    }

    public static void main(String[] args) throws Exception {
        SparkHostsCheck c = new SparkHostsCheck(BenchOptions.parse(args));
        long t0 = System.nanoTime();
        c.run();
        System.out.printf(Locale.ROOT, "spark hosts checks: %d of %d passed in %.0f s%n", c.checks - c.failures.size(), c.checks,
                (System.nanoTime() - t0) / 1e9);
        if (!c.failures.isEmpty()) {
            System.out.println("FAILED: " + c.failures);
            System.exit(1);
        }
    }

    private void run() throws Exception {
        int rows = o.rows(), cols = o.cols();
        double[] data = SparkBench.matrix(rows, cols);
        Path file = o.dir().resolve("check-matrix.bin");
        MatrixFile.write(file, data);
        Cluster.awaitNoExecutors(o.hosts());
        jsc = new JavaSparkContext(Cluster.conf(o, "memshare-hosts-check").set("spark.plugins", MemsharePlugin.class.getName()));
        String prefix = null;
        try {
            jsc.setLogLevel("ERROR");   // the kills make Spark log lost executors at length
            Cluster.awaitExecutors(jsc, 4);
            HostMatrix fromFile = HostMatrix.fromFile(jsc, "X", file, rows, cols);
            prefix = fromFile.namespace().substring(0, fromFile.namespace().lastIndexOf('_') + 1);   // the application's
            check("one copy per host, none in the driver's /dev/shm", () -> oneCopyPerHost(fromFile, data));
            check("kill -9 of a host copy's owner mid-job", () -> killOwnerMidJob(fromFile, data));
            check("kill -9 of an executor filling a host copy", this::killFillerMidFill);
            check("a task cancelled while it fills a host copy", this::cancelFillerMidFill);
        } finally {
            String p = prefix;
            check("the application's end with views open leaves nothing", () -> stopAndExpectNothingLeft(p));
            Files.deleteIfExists(file);
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private void check(String name, Body body) {
        long t0 = System.nanoTime();
        checks++;
        try {
            body.run();
            System.out.printf(Locale.ROOT, "PASS %s (%.0f s)%n", name, (System.nanoTime() - t0) / 1e9);
        } catch (Throwable t) {
            failures.add(name);
            System.out.printf(Locale.ROOT, "FAIL %s: %s%n", name, t);
            t.printStackTrace(System.out);
        }
    }

    // ---- the checks ----

    private void oneCopyPerHost(HostMatrix m, double[] data) {
        List<BlockSums> r = HostMatrixJobs.sums(jsc, m, o.rows(), o.cols(), 16, 0).collect();
        expectSums(r, data, o.rows(), o.cols());
        Set<Long> ran = new TreeSet<>();
        r.forEach(b -> ran.add(b.pid()));
        require(ran.size() == 4, "tasks ran on " + ran.size() + " executors, not 4: " + ran);
        for (HostMemory.Host h : o.hosts()) {
            Path dir = HostShm.dir(h.workerPid());
            List<String> seen = HostShm.entries(dir, m.namespace() + ".");
            require(seen.equals(List.of(m.namespace() + ".md.x", m.namespace() + ".x")),
                    h.name() + " holds " + seen + ", not one data segment and its metadata");
            HostShm.Meta meta = HostShm.meta(dir, m.namespace(), "x").orElseThrow();
            require(meta.published() && HostMemory.executors(h).contains(meta.ownerPid()),
                    h.name() + "'s copy " + meta + " is not published by one of its executors " + HostMemory.executors(h));
            for (long pid : HostMemory.executors(h))
                require(maps(pid, "/dev/shm/" + m.namespace() + ".x"), "executor " + pid + " on " + h.name()
                        + " has no view of its host's copy open");
        }
        List<String> driver = HostShm.entries(DRIVER_SHM, m.namespace());
        require(driver.isEmpty(), "the driver's /dev/shm holds " + driver);
        System.out.println("  one data segment per host, none in the driver's /dev/shm; 4 executors have views open");
    }

    private void killOwnerMidJob(HostMatrix m, double[] data) throws Exception {
        Path dir = HostShm.dir(a.workerPid());
        // 48 tasks pausing 0.5 s each: the job runs for seconds after the kill.
        JavaFutureAction<List<BlockSums>> job = HostMatrixJobs.sums(jsc, m, o.rows(), o.cols(), 48, 500).collectAsync();
        HostShm.Meta meta = await("a published copy on " + a.name(),
                () -> HostShm.meta(dir, m.namespace(), "x").filter(HostShm.Meta::published));
        long owner = meta.ownerPid();
        require(HostMemory.executors(a).contains(owner), "the owner " + owner + " is not an executor of " + a.name());
        Thread.sleep(1000);   // mid-job: tasks of every executor read the copy now
        kill9(owner);
        System.out.printf(Locale.ROOT, "  killed owner executor %d on %s while the job ran (done: %s)%n", owner, a.name(), job.isDone());
        expectSums(job.get(JOB_SECONDS, TimeUnit.SECONDS), data, o.rows(), o.cols());
        List<Long> replacement = await("a replacement executor on " + a.name(), () -> {
            List<Long> now = HostMemory.executors(a);
            return now.size() == 2 && !now.contains(owner) ? Optional.of(now) : Optional.empty();
        });
        await("the dead owner's segments on " + a.name() + " to be swept", () ->
                HostShm.meta(dir, m.namespace(), "x").filter(x -> x.ownerPid() == owner).isPresent()
                        ? Optional.empty() : Optional.of(true));
        System.out.printf(Locale.ROOT, "  right sums; executors on %s now %s; %s holds %s%n", a.name(), replacement, a.name(),
                HostShm.entries(dir, m.namespace() + "."));
    }

    private void killFillerMidFill() throws Exception {
        Path dir = HostShm.dir(a.workerPid());
        HostMatrix m = broadcastMatrix("Y");
        JavaFutureAction<List<BlockSums>> job = HostMatrixJobs.sums(jsc, m, FILL_ROWS, FILL_COLS, 16, 0).collectAsync();
        HostShm.Meta first = await("a copy on " + a.name(), () -> HostShm.meta(dir, m.namespace(), "x"));
        long filler = first.ownerPid();
        kill9(filler);
        long killedAt = System.nanoTime();
        Optional<HostShm.Meta> after = HostShm.meta(dir, m.namespace(), "x");
        boolean midFill = !first.published() && after.map(x -> x.ownerPid() != filler || !x.published()).orElse(true);
        System.out.printf(Locale.ROOT, "  killed executor %d on %s %s%n", filler, a.name(),
                midFill ? "while it filled the host's copy" : "after it had published (the fill was quicker than the check)");
        // The takeover: another process of host a publishes the copy (if a task there still needs it).
        String takeover = "no task of " + a.name() + " needed the copy again during this job";
        while (!job.isDone() && System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(JOB_SECONDS)) {
            Optional<HostShm.Meta> now = HostShm.meta(dir, m.namespace(), "x");
            if (now.isPresent() && now.get().published() && now.get().ownerPid() != filler) {
                takeover = String.format(Locale.ROOT, "process %d published %s's copy %.1f s after the kill",
                        now.get().ownerPid(), a.name(), (System.nanoTime() - killedAt) / 1e9);
                break;
            }
            Thread.sleep(20);
        }
        System.out.println("  " + takeover);
        expectSums(job.get(JOB_SECONDS, TimeUnit.SECONDS), fillData, FILL_ROWS, FILL_COLS);
        double jobSeconds = (System.nanoTime() - killedAt) / 1e9;
        // A second job reads the matrix on every executor again: every task of host a must get
        // the copy (attach or take over) in bounded time, not wait on the dead filler.
        HostShm.Meta now = nextJobFindsOneCopy(m);
        require(now.ownerPid() != filler, a.name() + "'s copy " + now + " was not taken over");
        System.out.printf(Locale.ROOT, "  right sums %.1f s after the kill; %s's copy published by %d; second job right%n",
                jobSeconds, a.name(), now.ownerPid());
    }

    private void cancelFillerMidFill() throws Exception {
        // Spark's own task kill: the filling task's thread is interrupted, its executor lives on.
        Path dir = HostShm.dir(a.workerPid());
        HostMatrix m = broadcastMatrix("Z");
        jsc.setJobGroup("cancelled-mid-fill", "cancelled while a host copy fills", true);
        JavaFutureAction<List<BlockSums>> job = HostMatrixJobs.sums(jsc, m, FILL_ROWS, FILL_COLS, 16, 0).collectAsync();
        jsc.clearJobGroup();
        HostShm.Meta first = await("a copy on " + a.name(), () -> HostShm.meta(dir, m.namespace(), "x"));
        jsc.cancelJobGroup("cancelled-mid-fill");
        long cancelledAt = System.nanoTime();
        boolean cancelled;
        try {
            job.get(JOB_SECONDS, TimeUnit.SECONDS);
            cancelled = false;
        } catch (ExecutionException | CancellationException expected) {
            cancelled = true;
        }
        System.out.printf(Locale.ROOT, "  job %s; the filler %d on %s %s%n", cancelled ? "cancelled" : "finished before the cancel",
                first.ownerPid(), a.name(), first.published() ? "had already published" : "was filling");
        require(ProcessHandle.of(first.ownerPid()).isPresent(), "the filler's executor died: a cancel must only stop its task");
        // The next job must get the copy in bounded time: from a finished fill, or filled again.
        HostShm.Meta now;
        try {
            now = nextJobFindsOneCopy(m);
        } catch (TimeoutException e) {
            Optional<HostShm.Meta> left = HostShm.meta(dir, m.namespace(), "x");
            throw new IllegalStateException("the next job did not finish in " + JOB_SECONDS + " s; " + a.name() + "'s copy: "
                    + left.map(x -> (x.published() ? "published" : "still filling") + " by process " + x.ownerPid()
                    + (ProcessHandle.of(x.ownerPid()).isPresent() ? " (alive)" : " (dead)")).orElse("none"), e);
        }
        System.out.printf(Locale.ROOT, "  the next job right %.1f s after the cancel; %s's copy published by %d%n",
                (System.nanoTime() - cancelledAt) / 1e9, a.name(), now.ownerPid());
    }

    /**
     * A 4096 × 4096 matrix (128 MiB) carried by Spark's broadcast, once all 4 executors are up:
     * the executor that fills a host's copy fetches and deserializes it inside the fill, which
     * thus lasts seconds.
     */
    private HostMatrix broadcastMatrix(String name) throws InterruptedException {
        if (fillData == null) fillData = SparkBench.matrix(FILL_ROWS, FILL_COLS);
        Cluster.awaitExecutors(jsc, 4);
        return HostMatrix.broadcast(jsc, name, Matrix.of(FILL_ROWS, FILL_COLS, fillData));
    }

    /** Runs a job reading {@code m} on every executor (bounded, right sums); host a must then hold one published copy. */
    private HostShm.Meta nextJobFindsOneCopy(HostMatrix m) throws Exception {
        expectSums(HostMatrixJobs.sums(jsc, m, FILL_ROWS, FILL_COLS, 8, 0).collectAsync().get(JOB_SECONDS, TimeUnit.SECONDS),
                fillData, FILL_ROWS, FILL_COLS);
        Path dir = HostShm.dir(a.workerPid());
        HostShm.Meta now = HostShm.meta(dir, m.namespace(), "x").orElseThrow(
                () -> new IllegalStateException(a.name() + " holds no copy after a job read it there"));
        List<String> seen = HostShm.entries(dir, m.namespace() + ".");
        require(now.published() && seen.size() == 2, a.name() + " holds " + seen + " (" + now + "), not one published copy");
        return now;
    }

    /** Ends the application (executors still hold their views) and waits, bounded, until nothing of it is left. */
    private void stopAndExpectNothingLeft(String prefix) throws InterruptedException {
        jsc.stop();
        require(prefix != null, "the application never named a matrix");
        await("every /dev/shm to be rid of the application's segments",
                () -> leftovers(prefix).isEmpty() ? Optional.of(true) : Optional.empty(), () -> "left: " + leftovers(prefix));
        System.out.println("  nothing of the application in either host's /dev/shm nor the driver's");
    }

    private List<String> leftovers(String prefix) {
        List<String> l = new ArrayList<>();
        for (HostMemory.Host h : o.hosts())
            HostShm.entries(HostShm.dir(h.workerPid()), prefix).forEach(e -> l.add(h.name() + ":" + e));
        HostShm.entries(DRIVER_SHM, prefix).forEach(e -> l.add("driver:" + e));
        return l;
    }

    private static void expectSums(List<BlockSums> blocks, double[] data, int rows, int cols) {
        double[] expected = SparkBench.columnSums(data, rows, cols);
        double[] got = new double[cols];
        for (BlockSums b : blocks) System.arraycopy(b.sums(), 0, got, b.firstColumn(), b.sums().length);
        require(Arrays.equals(got, expected), "column sums differ from the driver's");
    }

    private static boolean maps(long pid, String path) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/maps")).stream().anyMatch(l -> l.endsWith(path));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void kill9(long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start();
        require(p.waitFor() == 0, "kill -9 " + pid + " failed");
    }

    private static <T> T await(String what, Supplier<Optional<T>> probe) throws InterruptedException {
        return await(what, probe, () -> "");
    }

    /** Polls every 20 ms until {@code probe} gives a value; fails after {@value #WAIT_SECONDS} s. */
    private static <T> T await(String what, Supplier<Optional<T>> probe, Supplier<String> detail) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent()) return v.get();
            if (System.nanoTime() > end) throw new IllegalStateException("waited " + WAIT_SECONDS + " s in vain for " + what + " " + detail.get());
            Thread.sleep(20);
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalStateException(message);
    }
}
