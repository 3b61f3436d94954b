package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** memshare ls and sweep on an interprocess lock: listed as one, kept while a process has it open. */
class LockCliTest extends MemshareTestBase {
    @Test
    @SuppressWarnings("try")
    void lsShowsALockAndSweepKeepsItWhileOpen() {
        String pid = Long.toString(ProcessHandle.current().pid());
        try (Namespace space = Namespace.of(ns); InterprocessLock lock = space.lock("L")) {
            CliTest.Run free = CliTest.cli("ls", ns);
            assertEquals(0, free.status(), free.toString());
            String line = free.out().lines().filter(l -> l.contains(" lock.L ")).findFirst().orElseThrow(() -> new AssertionError(free.out()));
            assertTrue(line.matches(".*lock\\.L\\s+free\\s+lock\\s+.*\\s" + pid + "\\s+alive\\s.*"), line);
            try (InterprocessLock.Held held = lock.acquire(Duration.ofSeconds(10))) {
                CliTest.Run taken = CliTest.cli("ls", ns);
                assertTrue(taken.out().contains("held by " + pid), taken.out());
                CliTest.Run sweep = CliTest.cli("sweep", ns);
                assertEquals(0, sweep.status(), sweep.toString());
                assertTrue(sweep.out().contains("lock in use"), sweep.out());
            }
            assertEquals(List.of(ns + ".lock.L"), Fixtures.shmEntries(ns));
        }
        assertEquals(List.of(), Fixtures.shmEntries(ns), "the last close removes the lock");
    }
}
