package org.memshare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.memshare.facade.Memshare;

/**
 * Faults injected with real processes: a viewer killed with its view open, a process at its file
 * descriptor limit, the same names registered at once by two processes, and segments created by
 * another user. (A killed owner and the sweep: {@link ProcessExitTest}; a full /dev/shm:
 * tests/cpp/out_of_space_test.cpp; 8 threads of one process: {@link ConcurrencyTest}.)
 */
@StartsProcesses
class FaultInjectionTest extends MemshareTestBase {

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":"))
            if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, tool))) return true;
        return false;
    }

    private static void send(Process p, String line) throws IOException {
        OutputStream o = p.getOutputStream();
        o.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        o.flush();
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    @Test
    void killedViewerLeavesNothingBehind() throws Exception {
        Page page = hold(Namespace.of(ns).register("x", Fixtures.seq(100_000)));
        int fds = Fixtures.fdCount();
        Process viewer = Fixtures.startChild("hold", ns, "x");
        BufferedReader out = reader(viewer);
        String ready = out.readLine();
        assertTrue(ready != null && ready.startsWith("READY"), ready);
        viewer.destroyForcibly();                        // SIGKILL with the view and a raw buffer open
        assertTrue(viewer.waitFor(60, TimeUnit.SECONDS));
        assertNotEquals(0, viewer.exitValue());
        // The pipes to the child are ours to close: the JVM's reaper thread closes them on its own
        // only some time after waitFor returns (late on a busy machine), which is not a leak.
        out.close();
        viewer.getOutputStream().close();
        try (VectorView v = Namespace.of(ns).vector("x")) {
            assertArrayEquals(Fixtures.seq(100_000), v.toDoubleArray(), "the owner's data is undisturbed");
        }
        page.close();
        assertEquals(List.of(), Fixtures.shmEntries(ns), "nothing left after the owner releases");
        assertEquals(fds, Fixtures.fdCount(), "no descriptor left here");
        long mapped = Fixtures.maps().stream().filter(l -> l.contains("/dev/shm/" + ns + ".")).count();
        assertEquals(0, mapped, "no mapping of the variable left here");
        // And nothing for a sweep to find.
        assertTrue(Memshare.sweep(ns).entries().isEmpty());
    }

    @Test
    void fileDescriptorLimitIsACleanResourceLimitErrorAndLeavesNothing() throws Exception {
        assumeTrue(onPath("prlimit"), "prlimit (util-linux) not installed");
        hold(Namespace.of(ns).register("shared", new double[] {1, 2, 3}));
        Process child = Fixtures.startChildUnder(List.of("prlimit", "--nofile=256:256"), "fd-limit", ns, "shared");
        child.getOutputStream().close();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), out);
        assertTrue(out.startsWith("FDLIMIT OK "), out);
        assertTrue(out.contains("Too many open files"), "names the OS error: " + out);
        assertTrue(out.contains("'x'") && out.contains(ns), "names the variable and namespace: " + out);
        // Nothing partial: only this test's own variable.
        assertEquals(List.of(ns + ".md.shared", ns + ".shared"), Fixtures.shmEntries(ns));
    }

    @Test
    void twoProcessesRegisteringTheSameNamesHaveExactlyOneWinnerEach() throws Exception {
        int names = 30;
        List<Process> kids = List.of(Fixtures.startChild("race", ns, Integer.toString(names), "1"),
                Fixtures.startChild("race", ns, Integer.toString(names), "2"));
        List<BufferedReader> outs = new ArrayList<>();
        for (Process p : kids) outs.add(reader(p));
        for (BufferedReader r : outs) assertEquals("READY", r.readLine());
        for (Process p : kids) send(p, "GO");
        List<String> results = new ArrayList<>();
        for (BufferedReader r : outs) {
            String line = r.readLine();
            assertTrue(line != null && line.startsWith("RESULT "), line);
            results.add(line.substring(7));
        }
        try {
            for (int i = 0; i < names; i++) {
                char a = results.get(0).charAt(i), b = results.get(1).charAt(i);
                assertTrue(a != 'E' && b != 'E', "n" + i + ": an error other than already-registered");
                assertTrue((a == '-') != (b == '-'), "n" + i + ": exactly one winner, got " + a + " and " + b);
                int winner = a != '-' ? 0 : 1;
                int thread = (winner == 0 ? a : b) - '0';
                try (VectorView v = Namespace.of(ns).vector("n" + i)) {   // validated: nothing torn
                    assertEquals(kids.get(winner).pid(), v.info().ownerPid());
                    double expected = (winner + 1) * 1000.0 + thread;
                    for (int k = 0; k < 256; k++) assertEquals(expected, v.get(k), "n" + i + "[" + k + "]");
                }
            }
        } finally {
            for (Process p : kids) send(p, "EXIT");
            for (BufferedReader r : outs) assertEquals("BYE", r.readLine());
            for (Process p : kids) assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        }
        assertEquals(List.of(), Fixtures.shmEntries(ns));
    }

    /**
     * Segments created by another user (run as nobody with setpriv): one with our trailer naming a
     * dead owner, one R-style. Views refuse them unless foreign owners are allowed; the sweep keeps
     * both although the recorded owner is dead.
     */
    @Test
    void anotherUsersSegmentsAreRefusedUnlessAllowedAndNeverSwept() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && onPath("setpriv"), "needs root and setpriv");
        byte[] ours = Fixtures.withTrailer(Fixtures.vectorRecord(3), Fixtures.R_VECTOR, 0, Fixtures.deadPid(), 1, 65534);
        byte[] values = Fixtures.doublesLE(new double[] {7, 8, 9});
        try {
            asNobody(Fixtures.metaPath(ns, "t").toString(), ours);
            asNobody(Fixtures.dataPath(ns, "t").toString(), values);
            asNobody(Fixtures.metaPath(ns, "r").toString(), Fixtures.vectorRecord(3));
            asNobody(Fixtures.dataPath(ns, "r").toString(), values);
            // Where listing reads an index (the portable flavour, macOS), this user enters them, as
            // index_foreign_segment would: another user's own index is not ours to list (§8).
            for (String var : List.of("t", "r")) {
                Fixtures.indexSegment(Fixtures.metaPath(ns, var));
                Fixtures.indexSegment(Fixtures.dataPath(ns, var));
            }
            assertEquals(65534, Files.getAttribute(Fixtures.dataPath(ns, "t"), "unix:uid"));

            PermissionDeniedException e = assertThrows(PermissionDeniedException.class, () -> Namespace.of(ns).vector("t"));
            assertTrue(e.getMessage().contains("65534"), e.getMessage());
            assertThrows(PermissionDeniedException.class, () -> Namespace.of(ns).vector("r"));
            assertThrows(PermissionDeniedException.class, () -> Namespace.of(ns).metadata("t"));
            Namespace allowing = Namespace.of(ns, NamespaceOptions.DEFAULT.withForeignOwners(true));
            try (VectorView t = allowing.vector("t"); VectorView r = allowing.vector("r")) {
                assertArrayEquals(new double[] {7, 8, 9}, t.toDoubleArray());
                assertArrayEquals(new double[] {7, 8, 9}, r.toDoubleArray());
            }

            SweepReport report = Memshare.sweep(ns);
            assertEquals(2, report.entries().size(), report.toString());
            for (SweepEntry entry : report.entries()) {
                if (entry.segment().variable().equals("t")) {
                    assertEquals(SweepEntry.Action.KEPT_OTHER_USER, entry.action(), entry.reason());
                    assertEquals(SegmentInfo.OwnerState.DEAD, entry.segment().ownerState());
                } else {
                    assertEquals(SweepEntry.Action.KEPT_UNKNOWN_OWNER, entry.action(), entry.reason());
                }
            }
            assertEquals(4, Fixtures.shmEntries(ns).size());
        } finally {
            Fixtures.deleteSegments(ns, "t");
            Fixtures.deleteSegments(ns, "r");
        }
    }

    /** Writes {@code bytes} to {@code path} from a process running as nobody (uid and gid 65534). */
    private static void asNobody(String path, byte[] bytes) throws Exception {
        Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-c",
                "umask 022 && cat > \"$0\"", path).redirectErrorStream(true).start();
        try (OutputStream o = p.getOutputStream()) {
            o.write(bytes);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "setpriv: " + out);
    }
}
