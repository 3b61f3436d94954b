package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link InterprocessLock} with real processes: two JVMs of four threads each count exactly under
 * the lock, a holder killed with kill -9 is reported to the next holder and the lock keeps
 * working, timeouts throw, and the rules of holds and threads.
 */
class InterprocessLockTest extends MemshareTestBase {
    /**
     * Increments in all, over 2 processes x 4 threads. The default run does the full 1,000,000
     * unless {@code -Dmemshare.lockIncrements=N} says otherwise.
     */
    private static final int INCREMENTS = Integer.getInteger("memshare.lockIncrements", 1_000_000);

    private static Process startLockChild(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(Fixtures.javaCommand());
        cmd.add("-Xcheck:jni");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(LockChild.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static BufferedReader out(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    @Test
    @StartsProcesses
    void twoProcessesOfFourThreadsCountExactly() throws Exception {
        final int processes = 2, threads = 4, each = INCREMENTS / (processes * threads);
        try (Namespace space = Namespace.of(ns); InterprocessLock lock = space.lock("count")) {
            List<Process> children = new ArrayList<>();
            List<BufferedReader> outs = new ArrayList<>();
            try {
                for (int p = 0; p < processes; p++) {
                    Process c = startLockChild("count", ns, "count", String.valueOf(threads), String.valueOf(each));
                    children.add(c);
                    outs.add(out(c));
                }
                for (BufferedReader r : outs) assertEquals("READY", r.readLine());
                long t0 = System.nanoTime();
                for (Process c : children) {
                    Writer w = new OutputStreamWriter(c.getOutputStream(), StandardCharsets.UTF_8);
                    w.write("GO\n");
                    w.flush();
                }
                for (BufferedReader r : outs) assertEquals("DONE 0", r.readLine());
                double s = (System.nanoTime() - t0) / 1e9;
                for (Process c : children) assertTrue(c.waitFor(120, TimeUnit.SECONDS));
                for (Process c : children) assertEquals(0, c.exitValue());
                try (InterprocessLock.Held held = lock.acquire(Duration.ofSeconds(30))) {
                    assertEquals((long) each * processes * threads, held.value(), "lost updates: the lock did not exclude");
                }
                System.out.printf("LOCK java %d processes x %d threads: %d locked increments in %.2f s (%.2f us each)%n",
                        processes, threads, each * processes * threads, s, s * 1e6 / (each * processes * threads));
            } finally {
                for (Process c : children) c.destroyForcibly();
            }
        }
    }

    @Test
    @StartsProcesses
    void killNineOfAHolderIsReportedToTheNextAndTheLockKeepsWorking() throws Exception {
        Assumptions.assumeTrue(InterprocessLock.detectsDeadOwners(),
                "no robust futexes here (qemu-user: set_robust_list is ENOSYS): a dead holder's lock is never handed on");
        try (Namespace space = Namespace.of(ns); InterprocessLock lock = space.lock("L")) {
            Process holder = startLockChild("hold", ns, "L", "42");
            try {
                assertEquals("HELD", out(holder).readLine());
                assertNull(lock.tryAcquire(), "tryAcquire on a lock another process holds");
                LockTimeoutException timeout = assertThrows(LockTimeoutException.class, () -> lock.acquire(Duration.ofMillis(100)));
                assertTrue(timeout.getMessage().contains("not acquired within PT0.1S"), timeout.getMessage());
                holder.destroyForcibly();  // SIGKILL
                assertTrue(holder.waitFor(60, TimeUnit.SECONDS));
            } finally {
                holder.destroyForcibly();
            }
            long t0 = System.nanoTime();
            try (InterprocessLock.Held held = lock.acquire(Duration.ofSeconds(30))) {
                assertTrue(held.previousOwnerDied(), "the dead holder was not reported");
                assertEquals(42, held.value(), "the dead holder's last write");
                held.setValue(43);
            }
            System.out.printf("LOCK java owner death reported %.3f ms after the holder was reaped%n", (System.nanoTime() - t0) / 1e6);
            try (InterprocessLock.Held held = lock.acquire(Duration.ofSeconds(30))) {
                assertFalse(held.previousOwnerDied());
                assertEquals(43, held.value());
            }
        }
    }

    @Test
    void threadsOfOneProcessAreExcludedAndHoldsBelongToTheirThread() throws Exception {
        try (Namespace space = Namespace.of(ns); InterprocessLock lock = space.lock("L")) {
            InterprocessLock.Held held = lock.acquire(Duration.ofSeconds(10));
            assertFalse(held.previousOwnerDied());
            assertThrows(IllegalStateException.class, () -> lock.acquire(Duration.ZERO), "not reentrant");
            AtomicReference<Throwable> other = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    assertNull(lock.tryAcquire());
                    assertThrows(LockTimeoutException.class, () -> lock.acquire(Duration.ofMillis(20)));
                    assertThrows(IllegalMonitorStateException.class, held::close);
                } catch (Throwable e) {
                    other.set(e);
                }
            });
            t.start();
            t.join();
            if (other.get() != null) throw new AssertionError(other.get());
            held.close();
            held.close();  // idempotent
            assertThrows(IllegalStateException.class, held::value, "value after release");
            assertEquals(5, lock.addToCounter(5));
            assertEquals(5, lock.counter());
        }
    }

    @Test
    void aThreadThatEndsHoldingTheLockIsReportedAsADeadOwner() throws Exception {
        Assumptions.assumeTrue(InterprocessLock.detectsDeadOwners(),
                "no robust futexes here (qemu-user: set_robust_list is ENOSYS): a dead holder's lock is never handed on");
        try (Namespace space = Namespace.of(ns); InterprocessLock lock = space.lock("L")) {
            Thread t = new Thread(() -> lock.acquire(Duration.ofSeconds(10)));  // never released
            t.start();
            t.join();
            try (InterprocessLock.Held held = lock.acquire(Duration.ofSeconds(30))) {
                assertTrue(held.previousOwnerDied());
            }
        }
    }

    @Test
    @StartsProcesses
    void aThreadOfOursThatDiedHoldingIsForgottenWhenAnotherProcessRecoveredTheLock() throws Exception {
        Assumptions.assumeTrue(InterprocessLock.detectsDeadOwners(),
                "no robust futexes here (qemu-user: set_robust_list is ENOSYS): a dead holder's lock is never handed on");
        Namespace space = Namespace.of(ns);
        InterprocessLock lock = space.lock("L");
        Thread t = new Thread(() -> lock.acquire(Duration.ofSeconds(10)));  // never released
        t.start();
        t.join();
        Process c = startLockChild("count", ns, "L", "1", "1");
        try {
            BufferedReader r = out(c);
            assertEquals("READY", r.readLine());
            Writer w = new OutputStreamWriter(c.getOutputStream(), StandardCharsets.UTF_8);
            w.write("GO\n");
            w.flush();
            assertEquals("DONE 1", r.readLine(), "the other process is the one that saw the dead thread");
            assertTrue(c.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, c.exitValue());
        } finally {
            c.destroyForcibly();
        }
        try (InterprocessLock.Held held = lock.acquire(Duration.ofSeconds(30))) {
            assertFalse(held.previousOwnerDied());
        }
        lock.close();
        assertEquals(List.of(), Fixtures.shmEntries(ns), "the dead thread's hold still counted: the lock was kept at close");
        space.close();
    }

    @Test
    void onlyTheHoldingThreadReadsAndWritesTheValue() throws Exception {
        try (Namespace space = Namespace.of(ns); InterprocessLock lock = space.lock("L");
             InterprocessLock.Held held = lock.acquire(Duration.ofSeconds(10))) {
            List<Throwable> thrown = new ArrayList<>();
            Thread t = new Thread(() -> {
                try {
                    held.value();
                } catch (Throwable e) {
                    thrown.add(e);
                }
                try {
                    held.setValue(1);
                } catch (Throwable e) {
                    thrown.add(e);
                }
            });
            t.start();
            t.join();
            assertEquals(2, thrown.size(), "another thread used the hold: " + thrown);
            for (Throwable e : thrown) assertTrue(e instanceof IllegalMonitorStateException, e.toString());
            held.setValue(5);
            assertEquals(5, held.value());
        }
    }

    @Test
    void useAfterCloseThrowsAndAnOpenHoldOutlivesClose() throws Exception {
        Namespace space = Namespace.of(ns);
        InterprocessLock lock = space.lock("L");
        InterprocessLock.Held held = lock.acquire(Duration.ofSeconds(10));
        lock.close();
        assertTrue(lock.isClosed());
        assertThrows(HandleClosedException.class, () -> lock.acquire(Duration.ofSeconds(1)));
        assertThrows(HandleClosedException.class, lock::tryAcquire);
        assertThrows(HandleClosedException.class, lock::counter);
        held.setValue(7);  // the hold still works: the lock goes when it is released
        assertEquals(7, held.value());
        assertEquals(List.of(ns + ".lock.L"), Fixtures.shmEntries(ns));
        held.close();
        lock.close();  // idempotent
        space.close();
        // the base class checks that nothing of the namespace is left in /dev/shm
    }

    @Test
    @StartsProcesses
    void aJvmThatExitsWithALockOpenLeavesNothing() throws Exception {
        Process child = startLockChild("exit-open", ns, "L");
        try {
            assertEquals("OPEN", out(child).readLine());
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, child.exitValue());
        } finally {
            child.destroyForcibly();
        }
        assertEquals(List.of(), Fixtures.shmEntries(ns), "the shutdown hook closes the lock, and nobody else has it open");
    }

    @Test
    void aForgottenLockIsClosedByTheCleanerAndRemoved() throws Exception {
        openAndDrop();
        assertTrue(Fixtures.gcUntil(() -> Fixtures.shmEntries(ns).isEmpty(), 60_000), "left: " + Fixtures.shmEntries(ns));
    }

    private void openAndDrop() {
        InterprocessLock lock = Namespace.of(ns).lock("L");   // neither it nor its Namespace is closed
        lock.acquire(Duration.ofSeconds(10)).close();
        assertEquals(List.of(ns + ".lock.L"), Fixtures.shmEntries(ns));
    }

    @Test
    @SuppressWarnings("try")
    void namesAreCheckedAndAVariableIsNotALock() {
        try (Namespace space = Namespace.of(ns)) {
            assertThrows(InvalidNameException.class, () -> space.lock("a/b"));
            assertThrows(InvalidNameException.class, () -> space.lock(""));
            try (Page p = space.register("lock.V", new double[] {1, 2})) {
                CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> space.lock("V"));
                assertTrue(e.getMessage().contains("not a lock segment"), e.getMessage());
            }
        }
    }

    @Test
    void virtualThreadsAreRefused() throws Exception {
        java.lang.reflect.Method ofVirtual;
        try {
            ofVirtual = Thread.class.getMethod("ofVirtual");
        } catch (NoSuchMethodException e) {
            Assumptions.abort("Java " + Runtime.version().feature() + " has no virtual threads");
            return;
        }
        Object builder = ofVirtual.invoke(null);
        try (Namespace space = Namespace.of(ns); InterprocessLock lock = space.lock("L")) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Runnable body = () -> {
                try {
                    lock.acquire(Duration.ofSeconds(1)).close();
                } catch (Throwable e) {
                    thrown.set(e);
                }
            };
            // start looked up on the public interface Thread.Builder.OfVirtual (ofVirtual's return
            // type), not on the builder's class, which java.base does not export (IllegalAccess on 25)
            Thread vt = (Thread) ofVirtual.getReturnType().getMethod("start", Runnable.class).invoke(builder, body);
            vt.join();
            assertNotNull(thrown.get());
            assertEquals(UnsupportedOperationException.class, thrown.get().getClass(), String.valueOf(thrown.get()));
        }
    }
}
