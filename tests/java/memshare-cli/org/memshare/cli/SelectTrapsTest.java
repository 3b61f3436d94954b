package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.memshare.cli.SelectCommandTest.select;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.cli.SelectCommandTest.Run;
import org.memshare.mi.MutualInfo;
import org.memshare.mi.MutualInfoOptions;

/**
 * The traps of issue 21, one test each: the answer a new user would have got silently wrong, or
 * a message that pointed the wrong way. Tables from make_trap_tables.py (pandas' own to_csv) and
 * R's mtcars (make_r_tables.R). Each checks the exact exit status and the message's key words;
 * each class or feature decision is checked against what this test computes itself from the
 * formula the tables were written from (make_trap_tables.py), not from the reader.
 */
class SelectTrapsTest {
    static final Path TABLES = SelectConventionsTest.TABLES;
    static final int N = 40;

    @TempDir
    Path dir;

    /** The columns of make_trap_tables.py's frame(). */
    static double[] values(String f) {
        double[] v = new double[N];
        for (int i = 0; i < N; i++) {
            int cls = i % 3;
            v[i] = switch (f) {
                case "a" -> cls + (i % 5) / 4.0;
                case "b" -> (i * 7 % 11) / 4.0;
                case "lv" -> i % 4;
                case "cls" -> cls;
                default -> throw new IllegalArgumentException(f);
            };
        }
        return v;
    }

    /** The class rule as docs/CLI.md states it, computed here: integers, at most 50 levels, 5+ rows per level. */
    static boolean classesByTheDocumentedRule(double[] v) {
        java.util.Set<Double> levels = new java.util.HashSet<>();
        for (double x : v) {
            if (x != Math.floor(x)) return false;
            levels.add(x);
        }
        return levels.size() <= 50 && levels.size() * 5 <= v.length;
    }

    static Map<String, Double> tsv(Run r) {
        return SelectConventionsTest.tsv(r);
    }

    private static void assertError(Run r, int status, String... words) {
        assertEquals(status, r.status(), r.err());
        assertEquals("", r.out());
        String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("memshare: "), r.err());
        for (String w : words) assertTrue(last.contains(w), "'" + w + "' in: " + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    // 1. Integer class labels are classes by default; the decision is one line with both overrides.
    @Test
    void anIntegerTargetOfFewValuesIsAClassLabelByTheRule() throws IOException {
        assertTrue(classesByTheDocumentedRule(values("cls")));
        Run r = select("--csv", TABLES.resolve("pandas_tab.csv").toString(), "--target", "cls", "--format", "tsv");
        Map<String, Double> got = tsv(r);
        MutualInfoOptions classes = MutualInfoOptions.DEFAULT.withYDiscrete(true);
        for (String f : List.of("a", "b", "lv"))
            assertEquals(MutualInfo.mutualinfo(values(f), values("cls"), classes), got.get(f), 0.0, f);
        assertTrue(r.err().contains("target 'cls': 3 distinct integers in 40 rows: class labels") && r.err().contains("--continuous cls"),
                r.err());
        Run c = select("--csv", TABLES.resolve("pandas_tab.csv").toString(), "--target", "cls", "--continuous", "cls", "--format", "tsv");
        assertEquals(MutualInfo.mutualinfo(values("a"), values("cls"), MutualInfoOptions.DEFAULT), tsv(c).get("a"), 0.0);
        assertTrue(c.err().contains("target 'cls': named in --continuous: continuous"), c.err());
        // mpg is not integers: continuous, and the line names --discrete.
        assertFalse(classesByTheDocumentedRule(SelectConventionsTest.column("mtcars.csv", "mpg")));
        Run m = select("--csv", TABLES.resolve("mtcars.csv").toString(), "--target", "mpg", "--format", "tsv");
        assertEquals(0, m.status(), m.err());
        assertTrue(m.err().contains("target 'mpg': not all integers (") && m.err().contains("): continuous")
                && m.err().contains("--discrete mpg"), m.err());
    }

    @Test
    void discreteOnAColumnOfTooManyLevelsWarns() throws IOException {
        // hp of mtcars: 22 distinct values in 32 rows (counted here from the file).
        double[] hp = SelectConventionsTest.column("mtcars.csv", "hp");
        long levels = java.util.Arrays.stream(hp).distinct().count();
        assertTrue(levels * 5 > hp.length, "hp has " + levels + " levels");
        Run r = select("--csv", TABLES.resolve("mtcars.csv").toString(), "--target", "am", "--discrete", "am,hp", "--format", "tsv");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("warning: --discrete names 'hp', which has " + levels + " distinct values in 32 rows"), r.err());
    }

    @Test
    void discreteOnATargetOfMoreThanFiftyClassesWarnsEvenWithFiveRowsEach() throws IOException {
        // 598 distinct integers in 3,200 rows (5.35 rows per class on average: the average rule alone
        // let it pass), pure-noise features: as classes, the noise scores about 0.5 nats.
        java.util.Random random = new java.util.Random(7);
        StringBuilder s = new StringBuilder("a,b,y\n");
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        int rows = 3200;
        for (int i = 0; i < rows; i++) {
            int y = i < 598 ? i : random.nextInt(598);  // every level at least once
            seen.add(y);
            s.append(random.nextGaussian()).append(',').append(random.nextGaussian()).append(',').append(y).append('\n');
        }
        Path f = java.nio.file.Files.writeString(dir.resolve("many_classes.csv"), s.toString());
        Run r = select("--csv", f.toString(), "--target", "y", "--discrete", "y", "--format", "tsv");
        assertEquals(0, r.status(), r.err());
        String perClass = String.format(java.util.Locale.ROOT, "%.1f rows per class", rows / (double) seen.size());
        assertTrue(r.err().contains("warning: --discrete names the target 'y', which has " + seen.size() + " distinct values in " + rows
                + " rows: more than the class rule's 50 classes, " + perClass), r.err());
        assertTrue(r.err().contains("leave it out of --discrete"), r.err());
        // 40 classes with 80 rows each: classes by the rule, no warning.
        StringBuilder ok = new StringBuilder("a,y\n");
        for (int i = 0; i < 3200; i++) ok.append(random.nextGaussian()).append(',').append(i % 40).append('\n');
        Run fine = select("--csv", java.nio.file.Files.writeString(dir.resolve("forty.csv"), ok.toString()).toString(), "--target", "y",
                "--discrete", "y", "--format", "tsv");
        assertEquals(0, fine.status(), fine.err());
        assertTrue(!fine.err().contains("warning: --discrete"), fine.err());
    }

    @Test
    void discreteFeaturesRanksFewIntegerLevelsByATableEstimateNeverNegative() {
        Run r = select("--csv", TABLES.resolve("pandas_tab.csv").toString(), "--target", "cls", "--discrete-features", "--format", "tsv");
        Map<String, Double> got = tsv(r);
        MutualInfoOptions y = MutualInfoOptions.DEFAULT.withYDiscrete(true);
        for (String f : List.of("a", "b", "lv")) {
            boolean d = classesByTheDocumentedRule(values(f));
            assertEquals(MutualInfo.mutualinfo(values(f), values("cls"), y.withXDiscrete(d)), got.get(f), 0.0, f);
        }
        assertTrue(classesByTheDocumentedRule(values("lv")) && !classesByTheDocumentedRule(values("a")));
        assertTrue(got.get("lv") >= 0, "a table estimate is never negative: " + got.get("lv"));
        assertTrue(r.err().contains("--discrete-features: 1 of 3 features hold class labels") && r.err().contains("'lv'"), r.err());
    }

    // 2. A named pandas index is an ID, not a feature; --rank-row-numbers ranks it.
    @Test
    void aNamedPandasIndexIsTakenAsIds() {
        Path table = TABLES.resolve("pandas_named_index.csv");
        Run r = select("--csv", table.toString(), "--target", "cls", "--format", "tsv");
        assertEquals(List.of("a", "b", "lv"), tsv(r).keySet().stream().sorted().toList());
        assertTrue(r.err().contains("the first column 'sample_id' holds the row numbers 0..39") && r.err().contains("--rank-row-numbers"),
                r.err());
        Run kept = select("--csv", table.toString(), "--target", "cls", "--rank-row-numbers", "--format", "tsv");
        double[] id = new double[N];
        for (int i = 0; i < N; i++) id[i] = i;
        assertEquals(MutualInfo.mutualinfo(id, values("cls"), MutualInfoOptions.DEFAULT.withYDiscrete(true)), tsv(kept).get("sample_id"), 0.0);
    }

    @Test
    void aFirstColumnThatIsNotTheRowNumbersFurtherDownIsAFeature() throws IOException {
        // 0..99 in the first look, then not: parsed again with it as a feature.
        StringBuilder sb = new StringBuilder("id,a,t\n");
        for (int i = 0; i < 150; i++) sb.append(i < 120 ? i : 500 + i).append(',').append(i % 7).append(".5,").append(i % 2).append('\n');
        Path f = dir.resolve("ids.csv");
        Files.writeString(f, sb.toString());
        Run r = select("--csv", f.toString(), "--target", "t", "--format", "tsv", "--csv-chunk-bytes", "300");
        assertEquals(List.of("a", "id"), tsv(r).keySet().stream().sorted().toList());
        assertFalse(r.err().contains("holds the row numbers"), r.err());
    }

    // 3. A single-class target and an all-NA target are errors; rows used are reported.
    @Test
    void aTargetOfOneClassOrNoUsableRowsIsAnError() throws IOException {
        assertError(select("--csv", TABLES.resolve("pandas_one_class.csv").toString(), "--target", "cls"), 1,
                "the target 'cls' holds one value (1) in all 40 usable rows");
        assertError(select("--csv", TABLES.resolve("pandas_all_na_target.csv").toString(), "--target", "cls", "--na-rm"), 1,
                "the target 'cls' has 0 usable rows after --na-rm", "at least 3");
        // Rows used per feature: a has 2 missing, b none (counted here): 38-40.
        Path f = dir.resolve("na.csv");
        StringBuilder sb = new StringBuilder("a,b,t\n");
        int missing = 0;
        for (int i = 0; i < 40; i++) {
            boolean na = i == 3 || i == 17;
            if (na) missing++;
            sb.append(na ? "NA" : Double.toString(i * 0.5)).append(',').append(i % 5).append(".25,").append(i % 2).append('\n');
        }
        Files.writeString(f, sb.toString());
        Run r = select("--csv", f.toString(), "--target", "t", "--na-rm");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("rows used after --na-rm: " + (40 - missing) + "-40 per feature, of 40"), r.err());
    }

    // 4. Negative estimates: kept (R's values), named with reason and fix.
    @Test
    void negativeEstimatesAreNamedWithTheirReasonAndFix() throws IOException {
        Run r = select("--csv", TABLES.resolve("mtcars.csv").toString(), "--target", "am", "--format", "tsv");
        Map<String, Double> got = tsv(r);
        double[] am = SelectConventionsTest.column("mtcars.csv", "am");
        double cyl = MutualInfo.mutualinfo(SelectConventionsTest.column("mtcars.csv", "cyl"), am, MutualInfoOptions.DEFAULT.withYDiscrete(true));
        assertEquals(-0.1205, cyl, 5e-5, "R: mutualinfo(mtcars$cyl, mtcars$am, isYDiscrete = TRUE)");
        assertEquals(cyl, got.get("cyl"), 0.0, "R's value kept");
        String negatives = String.join(",", got.entrySet().stream().filter(e -> e.getValue() < 0).map(Map.Entry::getKey).sorted().toList());
        assertTrue(r.err().contains("negative estimate for ") && r.err().contains("rank them as discrete: --discrete"), r.err());
        for (String n : negatives.split(",")) assertTrue(r.err().contains("'" + n + "'"), n + " named: " + r.err());
    }

    /** In a child JVM (AWT trips -Xcheck:jni here, see SelectConventionsTest): the negative bars are red, the others not. */
    @org.memshare.StartsProcesses
    @Test
    void negativeBarsAreMarkedInThePlot() throws Exception {
        Path png = dir.resolve("mtcars.png");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), MemshareCli.class.getName(), "select", "--csv", TABLES.resolve("mtcars.csv").toString(),
                "--target", "am", "--top", "10", "--plot", png.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        int red = 0;
        for (int x = 0; x < image.getWidth() / 2; x++)
            for (int y = 0; y < image.getHeight(); y++) if ((image.getRGB(x, y) & 0xffffff) == 0xff0000) red++;
        assertTrue(red > 1000, "red bars for cyl and vs: " + red + " red pixels");
        Path clean = dir.resolve("tab.png");  // no negative estimate: no red
        Process q = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), MemshareCli.class.getName(), "select", "--csv", TABLES.resolve("pandas_tab.csv").toString(),
                "--target", "cls", "--discrete-features", "--plot", clean.toString()).redirectErrorStream(true).start();
        String out2 = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, q.waitFor(), out2);
        java.awt.image.BufferedImage plain = javax.imageio.ImageIO.read(clean.toFile());
        for (int x = 0; x < plain.getWidth() / 2; x++)
            for (int y = 0; y < plain.getHeight(); y++) assertTrue((plain.getRGB(x, y) & 0xffffff) != 0xff0000, "no red at " + x + "," + y);
    }

    // 5. Files that are not what they seem.
    @Test
    void aSemicolonFileWithDecimalCommasReads() {
        Path table = TABLES.resolve("pandas_semicolon_decimal_comma.csv");
        Run r = select("--csv", table.toString(), "--target", "cls", "--decimal", ",", "--format", "tsv");
        Map<String, Double> got = tsv(r);
        MutualInfoOptions classes = MutualInfoOptions.DEFAULT.withYDiscrete(true);
        for (String f : List.of("a", "b", "lv"))
            assertEquals(MutualInfo.mutualinfo(values(f), values("cls"), classes), got.get(f), 0.0, f);
        // Without --decimal: the separator is found, and the advice is --decimal, not --discrete.
        Run without = select("--csv", table.toString(), "--target", "cls", "--sep", ";");
        assertError(without, 1, "column 'a' holds numbers with decimal commas ('0,0' on line 2): add --decimal ,");
        assertFalse(without.err().contains("--discrete"), without.err());
        assertError(select("--csv", table.toString(), "--target", "cls"), 1, "decimal commas", "add --decimal ,");
        assertError(select("--csv", table.toString(), "--target", "cls", "--sep", ","), 2, "the header holds no ','",
                "--sep ';' --decimal ,");
        assertError(select("--csv", table.toString(), "--target", "cls", "--sep", ",", "--decimal", ","), 2, "--sep ',' cannot separate cells", "decimal comma");
    }

    /** Quoted decimal commas in a comma-separated file: --decimal , cannot read them, so it is not the advice. */
    @Test
    void quotedDecimalCommasInACommaFileGetAdviceThatWorks() throws IOException {
        StringBuilder sb = new StringBuilder("cls,a,b\n");
        for (int i = 0; i < 40; i++) sb.append(i % 2).append(",\"").append(i).append(",5\",").append(i * 0.25).append('\n');
        Path f = dir.resolve("quoted_commas.csv");
        Files.writeString(f, sb.toString());
        Run r = select("--csv", f.toString(), "--target", "cls");
        assertError(r, 1, "column 'a' holds numbers with decimal commas ('0,5' on line 2)", "only with another separator", "--exclude");
        assertFalse(r.err().contains("add --decimal ,"), r.err());
    }

    @Test
    void binaryAndNonUtf8FilesAreNotTextTables() throws IOException {
        Path bin = dir.resolve("x.csv"), latin1 = dir.resolve("y.csv");
        Files.write(bin, new byte[] {'a', ',', 't', '\n', 0, 1, 2, ',', '1', '\n'});
        Files.write(latin1, "a,t\n1,M\u00fcnchen\n".getBytes(StandardCharsets.ISO_8859_1));
        assertError(select("--csv", bin.toString(), "--target", "t"), 1, "is not a text table", "NUL byte");
        assertError(select("--csv", latin1.toString(), "--target", "t"), 1, "is not a text table", "not UTF-8");
    }

    // 6. Options checked before any work; an unknown column says what was meant, in bounded length.
    @Test
    void aBadPlotIsAUsageErrorBeforeAnyReading() {
        // The table does not even exist: the plot is checked first.
        assertError(select("--csv", dir.resolve("none.csv").toString(), "--target", "t", "--plot", dir.resolve("x.gif").toString()), 2,
                "--plot writes PNG or SVG");
        assertError(select("--csv", dir.resolve("none.csv").toString(), "--target", "t", "--plot", dir.resolve("no/x.png").toString()), 2,
                "does not exist");
    }

    @Test
    void aTargetTypoOnAWideFileIsShortAndSaysWhatWasMeant() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < 3000; j++) sb.append("feature_").append(j).append(',');
        sb.append("Class\n");
        for (int i = 0; i < 4; i++) sb.append("1,".repeat(3000)).append(i % 2).append('\n');
        Path f = dir.resolve("wide.csv");
        Files.writeString(f, sb.toString());
        Run r = select("--csv", f.toString(), "--target", "class");
        assertError(r, 2, "--target names 'class'", "did you mean 'Class'?", "and 2981 more");
        assertTrue(r.err().length() < 1000, r.err().length() + " characters");
        assertError(select("--csv", f.toString(), "--target", "Class", "--exclude", "featur_12"), 2, "did you mean 'feature_12' or");
    }

    // 7. Exit codes: 2 for usage, 1 for data; -V prints the version.
    @Test
    void usageErrorsExitTwoAndVersionPrints() {
        assertError(select("--csv", "x.csv"), 2, "--csv needs --target");
        assertError(select("--top", "0"), 2, "--top must be at least 1");
        assertError(select("--npy", "x.npy"), 2, "--npy and --target-npy go together");
        assertError(select("--csv", "x.csv", "--target", "t", "--npy", "x.npy", "--target-npy", "y.npy"), 2, "name one");
        // The inputs are picocli's exclusive argument group; the message names the two given, not every group.
        assertError(select("--target-npy", "y.npy", "--npy", "x.npy", "--shared", "a:X", "--target-shared", "a:y"), 2,
                "three different inputs: name one (given: --target-npy, --shared)");
        assertError(select("--csv", "x.csv", "--target", "t", "--synthetic-features", "10"), 2, "shape the embedded data set");
        assertError(select("--no-such-option"), 2, "--no-such-option");
        assertError(select("--csv", dir.resolve("none.csv").toString(), "--target", "t"), 1, "no such file");
        for (String v : List.of("-V", "--version")) {
            Run r = select(v);
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().startsWith("memshare "), "'" + r.out() + "'");
        }
    }

    @Test
    void quietLeavesOutTheProgressLines() {
        Run r = select("--csv", TABLES.resolve("pandas_tab.csv").toString(), "--target", "cls", "--quiet");
        assertEquals(0, r.status(), r.err());
        assertFalse(r.err().contains("ranking features"), r.err());
        assertTrue(r.err().contains("target 'cls'") && r.err().contains("wall time"), r.err());
    }
}
