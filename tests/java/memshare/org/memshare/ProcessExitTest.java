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
import org.memshare.facade.Memshare;

/**
 * How an owner process ends: a normal exit releases everything (shutdown hook); a kill -9 leaves
 * views elsewhere valid and its names behind, reported as held by a dead process.
 */
@StartsProcesses
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
            assertTrue(e.getMessage().contains("memshare sweep " + ns), "points to the sweep: " + e.getMessage());
        }
    }

    /**
     * Owner killed while a view is open here; beside it a live owner's variable (another JVM), an
     * R-written one (no trailer) and a corrupt one. A dry run reports without removing; the sweep
     * removes exactly the killed owner's two segments, the view keeps reading the right data, and
     * the name can be registered again.
     */
    @Test
    @SuppressWarnings("try")
    void sweepRemovesTheKilledOwnersOrphansAndNothingElse() throws Exception {
        Process dead = Fixtures.startChild("own", ns, "x", "1000");
        Process live = Fixtures.startChild("own", ns, "alive", "10");
        BufferedReader deadOut = new BufferedReader(new InputStreamReader(dead.getInputStream(), StandardCharsets.UTF_8));
        BufferedReader liveOut = new BufferedReader(new InputStreamReader(live.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("OWNED", deadOut.readLine());
        assertEquals("OWNED", liveOut.readLine());
        Fixtures.writeSegments(ns, "r", Fixtures.vectorRecord(2), Fixtures.doublesLE(new double[] {1.5, 2.5}));
        Fixtures.writeSegments(ns, "bad", new byte[] {7, 7, 7}, new byte[8]);
        try (VectorView v = Namespace.of(ns).vector("x")) {
            dead.destroyForcibly();
            assertTrue(dead.waitFor(60, TimeUnit.SECONDS));
            List<String> before = Fixtures.shmEntries(ns);
            assertEquals(8, before.size(), before.toString());

            SweepReport dry = Memshare.sweep(ns, true);
            assertEquals(List.of("x"), names(dry.with(SweepEntry.Action.WOULD_REMOVE)), dry.toString());
            assertEquals(before, Fixtures.shmEntries(ns), "a dry run removes nothing");

            SweepReport report = Memshare.sweep(ns);
            assertEquals(List.of("x"), names(report.removed()), report.toString());
            SweepEntry x = report.removed().get(0);
            assertEquals(List.of(ns + ".x", ns + ".md.x"), x.removed());
            assertEquals(dead.pid(), x.segment().ownerPid());
            assertEquals(SegmentInfo.OwnerState.DEAD, x.segment().ownerState());
            assertTrue(x.reason().contains(Long.toString(dead.pid())), x.reason());
            assertEquals(List.of("alive"), names(report.with(SweepEntry.Action.KEPT_LIVE_OWNER)));
            assertEquals(List.of("bad", "r"), names(report.unknownOwner()));
            assertTrue(report.failed().isEmpty());
            assertEquals(List.of(ns + ".alive", ns + ".bad", ns + ".md.alive", ns + ".md.bad", ns + ".md.r", ns + ".r"),
                    Fixtures.shmEntries(ns));

            assertArrayEquals(Fixtures.seq(1000), v.toDoubleArray(), "the view outlives the sweep of its variable");
            try (Page again = Namespace.of(ns).register("x", new double[] {42}); VectorView v2 = Namespace.of(ns).vector("x")) {
                assertEquals(42.0, v2.get(0));
                assertArrayEquals(Fixtures.seq(1000), v.toDoubleArray(), "old view keeps the old data");
            }
            // Sweeping everything (all namespaces) would touch none of what is left here. A dry run:
            // a real one would also take other test runs' dead owners' segments from under them.
            for (SweepEntry e : Segments.sweep(null, true).entries())
                if (e.segment().namespace().equals(ns)) assertTrue(e.action().kept(), e.toString());
        } finally {
            live.getOutputStream().write("EXIT\n".getBytes(StandardCharsets.UTF_8));
            live.getOutputStream().flush();
            assertEquals("BYE", liveOut.readLine());
            assertTrue(live.waitFor(60, TimeUnit.SECONDS));
            Fixtures.deleteSegments(ns, "r");
            Fixtures.deleteSegments(ns, "bad");
        }
    }

    private static List<String> names(List<SweepEntry> entries) {
        List<String> out = new java.util.ArrayList<>();
        for (SweepEntry e : entries) out.add(e.segment().variable());
        return out;
    }
}
