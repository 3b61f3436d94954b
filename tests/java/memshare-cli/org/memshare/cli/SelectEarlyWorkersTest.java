package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.StartsProcesses;

/**
 * {@code select --processes} starts its worker JVMs while it reads (EarlyWorkers): when reading
 * fails they are ended, and a worker killed before or during the ranking fails the command naming
 * it, with nothing left behind either way.
 */
@StartsProcesses
class SelectEarlyWorkersTest {
    @TempDir
    Path dir;

    static Set<String> shm() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /**
     * The live worker JVMs below {@code parent}: their command line names WorkerMain (-cp or -m).
     * Read from /proc: ProcessHandle.Info leaves out the arguments of a command line as long as
     * the test class path makes it.
     */
    static List<ProcessHandle> workersOf(ProcessHandle parent) {
        return parent.descendants().filter(ProcessHandle::isAlive).filter(p -> {
            try {
                return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")), StandardCharsets.UTF_8)
                        .contains("org.memshare.apply.WorkerMain\0");
            } catch (IOException gone) {
                return false;
            }
        }).collect(Collectors.toList());
    }

    /** A thread adding the pids of {@code parent}'s workers to {@code seen} while {@code running} and not interrupted. */
    static Thread watch(ProcessHandle parent, Set<Long> seen, java.util.function.BooleanSupplier running) {
        Thread t = new Thread(() -> {
            while (running.getAsBoolean()) {
                workersOf(parent).forEach(w -> seen.add(w.pid()));
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void workersStartedForAReadThatFailsAreEndedAndLeaveNothing() throws Exception {
        // 200,000 good rows, then a row with a cell too many: reading fails near the end, while
        // the workers started at the beginning are (most likely) up.
        Path f = dir.resolve("bad.csv");
        StringBuilder b = new StringBuilder("a,b,c,class\n");
        for (int i = 0; i < 200_000; i++) b.append(i % 7).append(',').append(i * 0.5).append(',').append(i % 13).append(',').append(i % 2).append('\n');
        b.append("1,2,3,4,5\n");
        Files.writeString(f, b, StandardCharsets.UTF_8);
        Set<String> before = shm();
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        Thread watcher = watch(ProcessHandle.current(), seen, () -> true);
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = MemshareCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "select", "--csv", f.toString(),
                "--target", "class", "--processes", "--workers", "2");
        watcher.interrupt();
        watcher.join();
        assertEquals(MemshareCli.FAILURE, status, err.toString());
        // The reader's own one-line error, not one about the workers.
        assertEquals(1, err.toString().strip().lines().count(), "one line: " + err);
        assertTrue(err.toString().startsWith("memshare: ") && !err.toString().contains("worker"), err.toString());
        assertFalse(seen.isEmpty(), "no worker process was seen while reading: the test did not test what it says");
        for (long pid : seen)
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " still runs after select returned");
        assertEquals(before, shm(), "nothing left in /dev/shm");
    }

    @Test
    void aPreStartedWorkerKilledWithSigkillFailsTheCommandNamingIt() throws Exception {
        Set<String> before = shm();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), MemshareCli.class.getName(),
                "select", "--processes", "--workers", "2", "--synthetic-features", "3000", "--top", "1")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        // Kill the first worker as soon as it exists: before it connects, while it warms up, or
        // while the data is generated; all are before the ranking, and each must be reported.
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        Optional<ProcessHandle> victim = Optional.empty();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (victim.isEmpty() && p.isAlive() && System.nanoTime() < deadline) victim = workersOf(p.toHandle()).stream().findFirst();
        assertTrue(victim.isPresent(), "no worker process appeared");
        victim.get().destroyForcibly();  // SIGKILL
        Thread watcher = watch(p.toHandle(), seen, p::isAlive);  // the other worker, which must not outlive select
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "select did not end");
        watcher.join();
        assertEquals(MemshareCli.FAILURE, p.exitValue(), err);
        String last = err.strip().lines().reduce((a, c) -> c).orElse("");
        assertTrue(last.startsWith("memshare: ") && last.contains("pid " + victim.get().pid()) && last.contains("killed by signal 9"), err);
        for (long pid : seen) {
            Optional<ProcessHandle> w = ProcessHandle.of(pid);
            if (w.isPresent()) w.get().onExit().get(10, TimeUnit.SECONDS);
        }
        String ns = "sel" + Long.toString(p.pid(), 36);
        Set<String> after = shm();
        after.removeAll(before);
        assertTrue(after.stream().noneMatch(n -> n.startsWith(ns)), "select's namespace left in /dev/shm: " + after);
    }
}
