package org.memshare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How an owner process ends: a normal exit releases everything (shutdown hook); a kill -9 leaves
 * views elsewhere valid and its names behind, reported as held by a dead process.
 */
class ProcessExitTest extends MemshareTestBase {

    @AfterEach
    void removeOrphans() throws IOException {
        Fixtures.deleteSegments(ns, "x");            // what a killed owner leaves (a sweep's job)
    }

    @Test
    void normalExitWithoutReleasingLeavesNothingInDevShm() throws Exception {
        Process child = Fixtures.startChild("exit-holding", ns);
        child.getOutputStream().close();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), out);
        assertEquals("HOLDING false false false", out.trim());
        assertEquals(List.of(), Fixtures.shmEntries(ns), "the shutdown hook released pages and views");
    }

    @Test
    void killedOwnerLeavesViewsValidAndItsNamesMarkedAsOrphans() throws Exception {
        Process child = Fixtures.startChild("own", ns, "x", "1000");
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("OWNED", out.readLine());
        try (VectorView v = Namespace.of(ns).vector("x")) {
            assertEquals(child.pid(), v.info().ownerPid());
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));

            assertArrayEquals(Fixtures.seq(1000), v.toDoubleArray(), "a view outlives its killed owner");
            assertTrue(Fixtures.shmEntries(ns).contains(ns + ".x"), "kill -9 runs no hook: the names stay");
            AlreadyRegisteredException e = org.junit.jupiter.api.Assertions.assertThrows(AlreadyRegisteredException.class,
                    () -> Namespace.of(ns).register("x", new double[] {1}));
            assertTrue(e.getMessage().contains(Long.toString(child.pid())), e.getMessage());
            assertTrue(e.getMessage().contains("no longer running"), e.getMessage());
        }
    }
}
