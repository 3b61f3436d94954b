package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.mi.MutualInfo;
import org.memshare.mi.MutualInfoOptions;
import org.memshare.StartsProcesses;

/** {@code memshare select}: ranking, output formats, the synthetic check, and bad input as one-line errors. */
class SelectCommandTest {
    @TempDir
    Path dir;
    private TreeSet<String> shmBefore;

    record Run(int status, String out, String err) {}

    static Run select(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        String[] all = Stream.concat(Stream.of("select"), Stream.of(args)).toArray(String[]::new);
        int status = MemshareCli.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Run(status, out.toString(), err.toString());
    }

    static TreeSet<String> shm() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** select's own entries (its namespace is "sel" + pid): other tests on the machine create and remove theirs meanwhile. */
    private static TreeSet<String> selects() throws IOException {
        TreeSet<String> all = shm();
        all.removeIf(n -> !n.startsWith("sel"));
        return all;
    }

    @BeforeEach
    void snapshot() throws IOException {
        shmBefore = selects();
    }

    @AfterEach
    void nothingLeft() throws IOException {
        assertEquals(shmBefore, selects(), "select leaves nothing in /dev/shm");
    }

    private Path csv(String... lines) throws IOException {
        Path f = dir.resolve("data.csv");
        Files.write(f, List.of(lines));
        return f;
    }

    private static void assertOneLineError(Run r, String expected) {
        assertOneLineError(r, MemshareCli.FAILURE, expected);
    }

    private static void assertOneLineError(Run r, int status, String expected) {
        assertEquals(status, r.status(), r.toString());
        assertEquals("", r.out());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("memshare: ") && r.err().contains(expected), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void tsvOfACsvHasEveryFeatureAtFullPrecisionAndEqualsTheEstimator() throws IOException {
        // b follows the target, a is noise, c is discrete and follows it too.
        String[] rows = new String[61];
        rows[0] = "a,b,c,t";
        double[] a = new double[60], b = new double[60], c = new double[60], t = new double[60];
        java.util.Random rnd = new java.util.Random(5);
        for (int i = 0; i < 60; i++) {
            t[i] = i % 3;
            a[i] = rnd.nextGaussian();
            b[i] = t[i] + 0.3 * rnd.nextGaussian();
            c[i] = (i % 3 == 0) ? 1 : 0;
            rows[i + 1] = a[i] + "," + b[i] + "," + c[i] + "," + t[i];
        }
        Run r = select("--csv", csv(rows).toString(), "--target", "t", "--discrete", "c,t", "--format", "tsv", "--workers", "2");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().collect(Collectors.toList());
        assertEquals("feature\tmi", lines.get(0));
        assertEquals(4, lines.size(), r.out());
        MutualInfoOptions continuous = MutualInfoOptions.DEFAULT.withYDiscrete(true);
        double miA = MutualInfo.mutualinfo(a, t, continuous), miB = MutualInfo.mutualinfo(b, t, continuous);
        double miC = MutualInfo.mutualinfo(c, t, continuous.withXDiscrete(true));
        java.util.Map<String, Double> got = new java.util.HashMap<>();
        for (String l : lines.subList(1, 4)) got.put(l.split("\t")[0], Double.parseDouble(l.split("\t")[1]));
        assertEquals(miA, got.get("a"), 0.0, "printed to full double precision");
        assertEquals(miB, got.get("b"), 0.0);
        assertEquals(miC, got.get("c"), 0.0);
        assertEquals("b", lines.get(1).split("\t")[0], "ranked: the informative feature first");
        assertTrue(r.err().contains("wall time") && r.err().contains("peak memory"), r.err());
    }

    @StartsProcesses
    @Test
    void syntheticDefaultFindsThePlantedFeaturesOnWorkerProcesses() {
        Run r = select("--processes", "--workers", "2", "--top", "20");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("20 of the 20 planted features are in the top 20"), r.err());
        assertEquals(21, r.out().lines().count(), "a header and 20 rows on stdout, nothing else:\n" + r.out());
        assertTrue(r.out().lines().skip(1).allMatch(l -> l.matches("\\d+\\s+f\\d{4}\\s+\\d\\.\\d{6}\\s+\\d\\.\\d{6}")), r.out());
    }

    @Test
    void badInputIsOneLineAndNonZero() throws IOException {
        assertOneLineError(select("--csv", dir.resolve("missing.csv").toString(), "--target", "t"), "no such file");
        assertOneLineError(select("--csv", csv("a,t", "1,2", "3").toString(), "--target", "t"), "line 3: 1 cell, but the header has 2");
        assertOneLineError(select("--csv", csv("a,t", "1,2", "\"3,4", "5,6").toString(), "--target", "t"),
                "line 3: 1 cell, but the header has 2; a quoted cell in this row runs over several lines: is its closing quote missing?");
        assertOneLineError(select("--csv", csv("a,t", "1,2", "\"3\"x,4", "5,6").toString(), "--target", "t"),
                "line 3: Unexpected character after closing quote: 'x' (0x78) (a quote inside a quoted cell must be doubled");
        // A text column is left out, named on stderr (SelectConventionsTest): here that leaves nothing to rank.
        Run text = select("--csv", csv("a,t", "1,2", "x,1", "2,2").toString(), "--target", "t");
        assertEquals(MemshareCli.FAILURE, text.status());
        assertTrue(text.err().contains("leaving out column 'a': it holds text ('x' on line 3)")
                && text.err().contains("no feature columns besides the target 't'"), text.err());
        assertOneLineError(select("--csv", csv("a,t", "1,2", "2,1", "3,3").toString(), "--target", "zz"), MemshareCli.USAGE,
                "--target names 'zz', which is not a column");
        assertOneLineError(select("--csv", csv("a,t", "1,2", "2,1").toString(), "--target", "t"), "at least 3 are needed");
        assertOneLineError(select("--csv", csv("a,t", "1,2", "NA,1", "3,3", "4,4").toString(), "--target", "t"),
                "column 'a' has a missing or non-finite value in data row 2; use --na-rm");
        assertOneLineError(select("--target", "t"), MemshareCli.USAGE, "--target needs --csv");
    }

    @Test
    void missingValuesWithNaRm() throws IOException {
        Run r = select("--csv", csv("a,t", "1,1", "NA,2", "3,3", ",4", "5,5", "NaN,6", "7,7").toString(), "--target", "t",
                "--na-rm", "--format", "tsv");
        assertEquals(0, r.status(), r.err());
        double[] a = {1, Double.NaN, 3, Double.NaN, 5, Double.NaN, 7}, t = {1, 2, 3, 4, 5, 6, 7};
        double expected = MutualInfo.mutualinfo(a, t, MutualInfoOptions.DEFAULT.withNaRm(true));
        assertEquals(expected, Double.parseDouble(r.out().lines().skip(1).findFirst().orElseThrow().split("\t")[1]), 0.0);
    }
}
