package org.memshare.bench.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples every host's memory ({@link HostMemory}) every 100 ms on a thread of its own and keeps,
 * per host, the sample with the largest total: the peak over time of the executors' summed
 * {@code Pss − Pss_Shmem} plus the host's tmpfs bytes, read at one instant.
 */
final class PeakSampler implements AutoCloseable {
    private final List<HostMemory.Host> hosts;
    private final Map<String, HostMemory.Sample> peaks = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private int samples;

    PeakSampler(List<HostMemory.Host> hosts) {
        this.hosts = hosts;
        sampleAll();
        thread = new Thread(() -> {
            while (running) {
                sampleAll();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "host-memory-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void sampleAll() {
        for (HostMemory.Host h : hosts) {
            HostMemory.Sample s = HostMemory.sample(h);
            synchronized (peaks) {
                HostMemory.Sample p = peaks.get(h.name());
                if (p == null || s.total() > p.total()) peaks.put(h.name(), s);
                samples++;
            }
        }
    }

    /** The peak sample of each host so far, by host name. */
    Map<String, HostMemory.Sample> peaks() {
        synchronized (peaks) {
            return new LinkedHashMap<>(peaks);
        }
    }

    /** How many host readings were taken. */
    int samples() {
        synchronized (peaks) {
            return samples;
        }
    }

    /** Stops sampling after one last reading. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sampleAll();
    }
}
