package org.memshare.bench.spark;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The memory one simulated Spark host uses, as a real host would count it: the sum over the
 * host's executor JVMs (the children of its Worker) of {@code Pss − Pss_Shmem} from
 * {@code /proc/PID/smaps_rollup}, plus the bytes the host's own tmpfs {@code /dev/shm} holds,
 * counted once (seen through {@code /proc/WORKER/root/dev/shm}). Shared-memory pages are thus
 * counted once per host however many executors map them; {@code Private_*} is not used because a
 * shared page mapped by one process only is counted there as private.
 */
public final class HostMemory {
    /** A host: its address and the pid of its Worker JVM. */
    public record Host(String name, long workerPid) {
        /** Parses {@code NAME=PID}. */
        public static Host parse(String s) {
            int eq = s.indexOf('=');
            if (eq < 1) throw new IllegalArgumentException("host must be NAME=WORKER_PID, got '" + s + "'");
            return new Host(s.substring(0, eq), Long.parseLong(s.substring(eq + 1)));
        }
    }

    /** One reading of a host: executors counted, their summed private (non-shmem) PSS, its tmpfs bytes. */
    public record Sample(int executors, long executorBytes, long shmBytes) {
        public long total() { return executorBytes + shmBytes; }
    }

    private HostMemory() {}

    /** The executor pids of a host (the Worker's child processes). */
    public static List<Long> executors(Host h) {
        return ProcessHandle.of(h.workerPid())
                .map(p -> p.children().map(ProcessHandle::pid).sorted().toList())
                .orElse(List.of());
    }

    /** Reads a host now. */
    public static Sample sample(Host h) {
        List<Long> pids = executors(h);
        long bytes = 0;
        for (long pid : pids) bytes += pssWithoutShmemBytes(pid);
        return new Sample(pids.size(), bytes, shmBytes(h.workerPid()));
    }

    /** {@code Pss − Pss_Shmem} of a process in bytes (0 if it is gone). */
    static long pssWithoutShmemBytes(long pid) {
        long pss = 0, shmem = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
                if (line.startsWith("Pss:")) pss = kib(line);
                else if (line.startsWith("Pss_Shmem:")) shmem = kib(line);
            }
        } catch (IOException | RuntimeException e) {
            return 0;   // the process ended between listing and reading
        }
        return (pss - shmem) * 1024;
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** Bytes in use in the tmpfs on the process's /dev/shm (allocated pages, not file sizes). */
    public static long shmBytes(long pid) {
        try {
            FileStore fs = Files.getFileStore(Path.of("/proc/" + pid + "/root/dev/shm"));
            return fs.getTotalSpace() - fs.getUnallocatedSpace();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
