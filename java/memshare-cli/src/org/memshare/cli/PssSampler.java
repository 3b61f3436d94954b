package org.memshare.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the memory of this JVM and of other processes (e.g. workers) every 20 ms. The matrix stays mapped by its owner, so the
 * summed PSS changes only by what the processes hold privately: {@link #addedKiB()} is the peak
 * of the summed private memory (smaps_rollup Private_Clean + Private_Dirty) minus its value when
 * sampling began, which equals the added summed PSS without the skew of reading PSS shares of
 * several processes at slightly different times. {@link #peakPssKiB()} is the raw peak of the
 * summed PSS, for reference.
 */
public final class PssSampler implements AutoCloseable {
    private final List<Long> pids = new ArrayList<>();
    private final AtomicLong peakPrivate = new AtomicLong();
    private final AtomicLong peakPss = new AtomicLong();
    private final long baselinePrivate;
    private final long baselinePss;
    private final Thread thread;
    private volatile boolean running = true;

    /** Starts sampling this JVM and the processes {@code workerPids}. */
    public PssSampler(List<Long> workerPids) {
        pids.add(ProcessHandle.current().pid());
        pids.addAll(workerPids);
        long[] start = sum();
        baselinePrivate = start[0];
        baselinePss = start[1];
        thread = new Thread(() -> {
            while (running) {
                long[] s = sum();
                peakPrivate.accumulateAndGet(s[0], Math::max);
                peakPss.accumulateAndGet(s[1], Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "pss-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** {summed private KiB, summed PSS KiB}. */
    private long[] sum() {
        long[] total = new long[2];
        for (long pid : pids) {
            long[] one = rollup(pid);
            total[0] += one[0];
            total[1] += one[1];
        }
        return total;
    }

    /** Peak summed private memory minus its value at the start, in KiB. */
    public long addedKiB() {
        return Math.max(0, peakPrivate.get() - baselinePrivate);
    }

    /**
     * Peak summed PSS minus its value at the start, in KiB: what the run added, counting memory
     * shared by several of the processes once. For a run that creates shared memory (an output
     * page every process maps), where {@link #addedKiB()} misses what became shared.
     */
    public long addedPssKiB() {
        return Math.max(0, peakPss.get() - baselinePss);
    }

    /** Peak summed PSS, in KiB. */
    public long peakPssKiB() {
        return peakPss.get();
    }

    /** {Private_Clean + Private_Dirty, Pss} of a process, in KiB (zeros if unreadable). */
    static long[] rollup(long pid) {
        long[] out = new long[2];
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/smaps_rollup"))) {
                if (line.startsWith("Private_Clean:") || line.startsWith("Private_Dirty:"))
                    out[0] += Long.parseLong(line.replaceAll("[^0-9]", ""));
                else if (line.startsWith("Pss:")) out[1] = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException e) {
            return new long[2];
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
