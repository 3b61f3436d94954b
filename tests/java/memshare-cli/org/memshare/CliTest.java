package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memshare.cli.MemshareCli;

/** The memshare command line: ls, inspect and sweep on real segments; errors are one line. */
class CliTest extends MemshareTestBase {
    record Run(int status, String out, String err) {}

    static Run cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = MemshareCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    private static void assertOneLineError(Run r, int status) {
        assertEquals(status, r.status(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("memshare: "), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    private String lineOf(String out, String var) {
        return out.lines().filter(l -> l.matches("^" + java.util.regex.Pattern.quote(ns) + "\\s+" + var + "\\s.*")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + var + " in\n" + out));
    }

    @AfterEach
    void removeForeign() throws IOException {
        for (String v : List.of("r", "bad", "dead")) Fixtures.deleteSegments(ns, v);
    }

    @Test
    void lsListsTypeDimensionsSizeOwnerLivenessModeAndAge() throws IOException {
        hold(Namespace.of(ns).register("X", Matrix.of(2, 3, Fixtures.seq(6))));
        hold(Namespace.of(ns, NamespaceOptions.DEFAULT.withMode(0644)).register("L", List.of(new int[] {1, 2}, new int[] {3})));
        Fixtures.writeSegments(ns, "r", Fixtures.vectorRecord(2), Fixtures.doublesLE(new double[] {1, 2}));
        Fixtures.writeSegments(ns, "bad", Fixtures.vectorRecord(5), new byte[8]);
        Run r = cli("ls", ns);
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().startsWith("NAMESPACE"), r.out());
        String pid = Long.toString(ProcessHandle.current().pid());
        assertTrue(lineOf(r.out(), "X").matches(".*matrix\\s+float64\\s+2x3\\s+48 B\\s+" + pid + "\\s+alive\\s+\\S+\\s+rw-------\\s+\\d+s.*"),
                lineOf(r.out(), "X"));
        assertTrue(lineOf(r.out(), "L").matches(".*list\\s+int32\\s+2 elements\\s+28 B\\s+" + pid + "\\s+alive\\s+\\S+\\s+rw-r--r--.*"),
                lineOf(r.out(), "L"));
        assertTrue(lineOf(r.out(), "r").matches(".*vector\\s+float64\\s+2\\s+16 B\\s+-\\s+unknown \\(no trailer\\).*"), lineOf(r.out(), "r"));
        assertTrue(lineOf(r.out(), "bad").contains("needs 40"), "shows what is wrong: " + lineOf(r.out(), "bad"));
        // Without a namespace: the same variables among all others.
        Run all = cli("ls", "--bytes");
        assertEquals(0, all.status());
        assertTrue(lineOf(all.out(), "X").contains(" 48 "), lineOf(all.out(), "X"));
    }

    @Test
    void inspectShowsMetadataAndValidates() throws IOException {
        hold(Namespace.of(ns).register("v", new double[] {1, 2, 3}));
        Run ok = cli("inspect", ns, "v");
        assertEquals(0, ok.status(), ok.toString());
        assertTrue(ok.out().contains("valid             yes"), ok.out());
        assertTrue(ok.out().contains("element type      float64"), ok.out());
        assertTrue(ok.out().contains("mode 0600 rw-------"), ok.out());
        assertTrue(ok.out().contains("pid " + ProcessHandle.current().pid() + " (alive)"), ok.out());
        assertTrue(ok.out().contains("memshare for Java trailer, version 1"), ok.out());

        // A list whose offset table is wrong: only a full validation (as a view does) sees it.
        Fixtures.writeSegments(ns, "bad", Fixtures.concat(Fixtures.record(Fixtures.R_LIST, 2, 3), Fixtures.vectorRecord(1),
                Fixtures.vectorRecord(2)), Fixtures.concat(Fixtures.doublesLE(new double[0]),
                java.nio.ByteBuffer.allocate(40).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(7).array()));
        Run bad = cli("inspect", ns, "bad");
        assertEquals(1, bad.status(), bad.toString());
        assertTrue(bad.out().contains("valid             NO: list offset 1 is 7"), bad.out());
        assertOneLineError(cli("inspect", ns, "nothing"), 1);
        assertTrue(cli("inspect", ns, "nothing").err().contains("not found"));
    }

    @StartsProcesses
    @Test
    void sweepDryRunThenSweep() throws Exception {
        hold(Namespace.of(ns).register("live", new double[] {1}));
        long dead = Fixtures.deadPid();
        Fixtures.writeSegments(ns, "dead", Fixtures.withTrailer(Fixtures.vectorRecord(1), Fixtures.R_VECTOR, 0, dead, 1,
                Segments.currentUid()), Fixtures.doublesLE(new double[] {5}));
        Fixtures.writeSegments(ns, "r", Fixtures.vectorRecord(1), Fixtures.doublesLE(new double[] {5}));

        Run dry = cli("sweep", ns, "--dry-run");
        assertEquals(0, dry.status(), dry.toString());
        assertTrue(dry.out().contains("would remove") && dry.out().contains(ns + ".dead"), dry.out());
        assertTrue(dry.out().contains("1 would be removed, 2 kept (1 unknown owner), 0 failed"), dry.out());
        assertEquals(6, Fixtures.shmEntries(ns).size());

        Run real = cli("sweep", ns);
        assertEquals(0, real.status(), real.toString());
        assertTrue(real.out().contains("removed") && real.out().contains("process " + dead + " is no longer running"), real.out());
        assertTrue(real.out().contains("kept (live owner)") && real.out().contains("kept (unknown owner)"), real.out());
        assertEquals(List.of(ns + ".live", ns + ".md.live", ns + ".md.r", ns + ".r"), Fixtures.shmEntries(ns));
        Run again = cli("sweep", ns, "-q");
        assertTrue(again.out().strip().startsWith("0 removed, 2 kept"), again.out());
    }

    @Test
    void badInputIsOneLineAndNonZero() {
        assertOneLineError(cli("frobnicate"), MemshareCli.USAGE);
        assertOneLineError(cli(), MemshareCli.USAGE);
        assertOneLineError(cli("inspect", ns), MemshareCli.USAGE);
        assertOneLineError(cli("ls", "--no-such-option"), MemshareCli.USAGE);
        assertOneLineError(cli("ls", "a/b"), 1);
        assertOneLineError(cli("inspect", "", "x"), 1);
        assertOneLineError(cli("sweep", "bad\\name"), 1);
        Run help = cli("--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("ls") && help.out().contains("inspect") && help.out().contains("sweep"), help.out());
    }
}
