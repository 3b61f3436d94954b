package org.memshare.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Samples, every 20 ms, what a run that creates shared memory really adds: the summed anonymous
 * memory of the processes (heaps, malloc; smaps_rollup "Anonymous") plus the bytes of one
 * namespace's objects in /dev/shm, each counted once. This equals the added summed PSS, but it does
 * not depend on which processes map a shared page at the instant each process is read: summed
 * PSS, sampled one process after another while workers fault in pages of an output the caller
 * holds, counts a page twice over for the pages shared in between (PssSampler's raw figure, which
 * the benchmark prints beside this one).
 */
final class MemorySampler implements AutoCloseable {
    private final List<Long> pids = new ArrayList<>();
    private final String prefix;
    private final long baseline;
    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    /** Samples this JVM, the processes {@code workerPids}, and /dev/shm entries of namespace {@code ns}. */
    MemorySampler(List<Long> workerPids, String ns) {
        pids.add(ProcessHandle.current().pid());
        pids.addAll(workerPids);
        prefix = ns + ".";
        baseline = sample();
        thread = new Thread(() -> {
            while (running) {
                peak.accumulateAndGet(sample(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Peak minus the value when sampling began, in KiB. */
    long addedKiB() {
        return Math.max(0, peak.get() - baseline);
    }

    private long sample() {
        long kib = 0;
        for (long pid : pids) {
            try {
                for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/smaps_rollup")))
                    if (line.startsWith("Anonymous:")) kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
            } catch (IOException | RuntimeException e) {
                // a process that ended holds nothing
            }
        }
        try (Stream<Path> s = Files.list(Paths.get("/dev/shm"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (!p.getFileName().toString().startsWith(prefix)) continue;
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

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
