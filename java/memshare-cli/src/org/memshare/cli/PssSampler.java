package org.memshare.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Samples the memory of this JVM and of other processes (e.g. workers) every 20 ms, or less often
 * where a sample is expensive (see {@link #pauseMillis}). The matrix stays mapped by its owner, so the
 * summed PSS changes only by what the processes hold privately: {@link #addedKiB()} is the peak
 * of the summed private memory (smaps_rollup Private_Clean + Private_Dirty) minus its value when
 * sampling began, which equals the added summed PSS without the skew of reading PSS shares of
 * several processes at slightly different times. {@link #peakPssKiB()} is the raw peak of the
 * summed PSS, for reference.
 */
public final class PssSampler implements AutoCloseable {
    private final List<Long> pids = new java.util.concurrent.CopyOnWriteArrayList<>();  // watch() adds while sampling
    private final String shmPrefix;  // null: no shared objects counted
    private final AtomicLong peakPrivate = new AtomicLong();
    private final AtomicLong peakPss = new AtomicLong();
    private final AtomicLong peakMemory = new AtomicLong();
    private final long baselinePrivate;
    private final long baselinePss;
    private final long baselineMemory;
    private final Thread thread;
    private volatile boolean running = true;

    /** Starts sampling this JVM and the processes {@code workerPids}. */
    public PssSampler(List<Long> workerPids) {
        this(workerPids, null);
    }

    /**
     * Starts sampling this JVM and the processes {@code workerPids}, and the shared-memory objects
     * of namespace {@code ns} for {@link #addedMemoryKiB()}.
     */
    public PssSampler(List<Long> workerPids, String ns) {
        shmPrefix = ns == null ? null : ns + ".";
        pids.add(ProcessHandle.current().pid());
        pids.addAll(workerPids);
        long[] start = sum();
        baselinePrivate = start[0];
        baselinePss = start[1];
        baselineMemory = start[2];
        thread = new Thread(() -> {
            while (running) {
                long t0 = System.nanoTime();
                sample();
                long cost = System.nanoTime() - t0;
                try {
                    Thread.sleep(pauseMillis(cost));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "pss-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The pause after a sample that took {@code costNanos}: 20 ms, or 49 times the sample's cost,
     * so that sampling takes at most 2 % of one core. Reading smaps_rollup walks the page tables
     * of every mapping: about 10 ms for a process mapping 1.6 GB, so three processes sampled every
     * 20 ms took about 60 % of a core from the workers being measured (issue 12's efficiency).
     */
    static long pauseMillis(long costNanos) {
        return Math.max(20, costNanos * 49 / 1_000_000);
    }

    /**
     * Samples the processes {@code more} too from now on (workers started after the sampler).
     * Their memory counts towards the peaks, not the baselines: for {@link #peakPssKiB()}.
     */
    public void watch(List<Long> more) {
        pids.addAll(more);
        sample();
    }

    /** {summed private KiB, summed PSS KiB, summed anonymous KiB + the namespace's shared objects}. */
    private long[] sum() {
        long[] total = new long[3];
        for (long pid : pids) {
            long[] one = rollup(pid);
            total[0] += one[0];
            total[1] += one[1];
            total[2] += one[2];
        }
        if (shmPrefix != null) total[2] += sharedObjectsKiB();
        return total;
    }

    /** Bytes of the /dev/shm objects whose names start with the namespace's prefix, in KiB. */
    private long sharedObjectsKiB() {
        long kib = 0;
        try (Stream<Path> s = Files.list(Paths.get("/dev/shm"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (!p.getFileName().toString().startsWith(shmPrefix)) continue;
                try {
                    kib += Files.size(p) / 1024;
                } catch (IOException gone) {
                    // released between listing and size
                }
            }
        } catch (IOException e) {
            // no /dev/shm: the processes' part only
        }
        return kib;
    }

    /**
     * What a run that creates shared memory really added, in KiB (with the namespace constructor):
     * the peak of the summed anonymous memory (heaps, malloc; smaps_rollup "Anonymous") plus the
     * bytes of the namespace's objects in /dev/shm, each counted once, minus its value at the
     * start. This equals the added summed PSS, but does not depend on which processes map a shared
     * page at the instant each is read: summed PSS, read one process after another while workers
     * fault in pages of an output the caller holds, counts the pages shared in between twice.
     */
    public long addedMemoryKiB() {
        sample();
        return Math.max(0, peakMemory.get() - baselineMemory);
    }

    /**
     * Takes a sample into the peaks. The getters take one too, so that a run shorter than the
     * pause (which grows with a sample's cost: 1.5 s when three processes map 1.6 GB each) is
     * still seen in the state it ends in.
     */
    private void sample() {
        long[] s = sum();
        peakPrivate.accumulateAndGet(s[0], Math::max);
        peakPss.accumulateAndGet(s[1], Math::max);
        peakMemory.accumulateAndGet(s[2], Math::max);
    }

    /** Peak summed private memory minus its value at the start, in KiB. */
    public long addedKiB() {
        sample();
        return Math.max(0, peakPrivate.get() - baselinePrivate);
    }

    /**
     * Peak summed PSS minus its value at the start, in KiB: what the run added, counting memory
     * shared by several of the processes once. For a run that creates shared memory (an output
     * page every process maps), where {@link #addedKiB()} misses what became shared.
     */
    public long addedPssKiB() {
        sample();
        return Math.max(0, peakPss.get() - baselinePss);
    }

    /** Peak summed PSS, in KiB. */
    public long peakPssKiB() {
        sample();
        return peakPss.get();
    }

    /** {Private_Clean + Private_Dirty, Pss, Anonymous} of a process, in KiB (zeros if unreadable). */
    static long[] rollup(long pid) {
        long[] out = new long[3];
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/smaps_rollup"))) {
                if (line.startsWith("Private_Clean:") || line.startsWith("Private_Dirty:"))
                    out[0] += Long.parseLong(line.replaceAll("[^0-9]", ""));
                else if (line.startsWith("Pss:")) out[1] = Long.parseLong(line.replaceAll("[^0-9]", ""));
                else if (line.startsWith("Anonymous:")) out[2] = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException e) {
            return new long[3];
        }
        return out;
    }

    /** Stops sampling and waits for the last sample; an interrupt stops the wait, and is kept. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
