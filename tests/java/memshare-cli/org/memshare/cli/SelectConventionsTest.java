package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memshare.cli.SelectCommandTest.Run;
import org.memshare.mi.MutualInfo;
import org.memshare.StartsProcesses;
import org.memshare.mi.MutualInfoOptions;

/**
 * {@code memshare select} on tables as R and pandas write them (tests/data/tables, made by
 * make_tables.py: pandas' own to_csv, and R's write.csv/write.table format; make_r_tables.R: R's
 * mtcars and iris as R's write.csv writes them): row names and index
 * columns are IDs, quoted cells with commas and quotes stay whole, NA/NaN/empty and Inf/inf are
 * read as R reads them, the text target becomes classes, a text ID column is left out with a
 * note, BOM, CRLF and gzip are handled. Every ranking must equal the estimator run on the values
 * computed here, from the formula the tables were written from, not from the reader.
 */
class SelectConventionsTest {
    static final Path TABLES = Path.of("tests/data/tables");
    static final int N = 30;

    @TempDir
    Path dir;

    private static Run select(String... args) {
        return SelectCommandTest.select(args);
    }

    /** Feature f of make_tables.py's rows(), and the class codes (1, 2, 3 in order of appearance). */
    static double[] values(String f) {
        double[] v = new double[N];
        for (int i = 0; i < N; i++) {
            v[i] = switch (f) {
                case "a" -> (i % 3) + i * 0.25;
                case "b" -> ((i * 7) % 11) * 0.5;
                case "c" -> i == 4 ? Double.NaN : i == 9 ? Double.POSITIVE_INFINITY : i == 14 ? Double.NEGATIVE_INFINITY : i * 0.125;
                case "species" -> i % 3 + 1;
                default -> throw new IllegalArgumentException(f);
            };
        }
        return v;
    }

    static Map<String, Double> tsv(Run r) {
        assertEquals(0, r.status(), r.err());
        Map<String, Double> got = new HashMap<>();
        r.out().lines().skip(1).forEach(l -> got.put(l.split("\t")[0], Double.parseDouble(l.split("\t")[1])));
        return got;
    }

    @ParameterizedTest
    @ValueSource(strings = {"r_write_csv.csv", "r_write_csv_no_row_names.csv", "r_write_table.txt", "pandas_to_csv.csv",
            "pandas_to_csv_bom_crlf.csv", "pandas_to_csv.tsv.gz"})
    void rankingEqualsTheEstimatorOnTheValuesTheTableWasWrittenFrom(String table) {
        Run r = select("--csv", TABLES.resolve(table).toString(), "--target", "species", "--na-rm", "--format", "tsv", "--workers", "2");
        Map<String, Double> got = tsv(r);
        assertEquals(List.of("a", "b", "c"), got.keySet().stream().sorted().toList(), "features: no row names, no text ID\n" + r.out());
        MutualInfoOptions o = MutualInfoOptions.DEFAULT.withYDiscrete(true).withNaRm(true);
        double[] y = values("species");
        for (String f : List.of("a", "b", "c"))
            assertEquals(MutualInfo.mutualinfo(values(f), y, o), got.get(f), 0.0, table + ": feature " + f);
        assertTrue(r.err().contains("leaving out column 'sample'"), r.err());
        assertTrue(r.err().contains("the target 'species' holds text: 3 classes"), r.err());
        boolean ids = table.startsWith("r_write_csv.") || table.equals("r_write_table.txt") || table.equals("pandas_to_csv.csv");
        assertEquals(ids, r.err().contains("the first column holds row names"), r.err());
    }

    /**
     * Column {@code col} of a table R wrote (make_r_tables.R), read with a plain split: these files
     * hold no quoted commas, numbers are unquoted, and a quoted text cell becomes its class code
     * (1, 2, ... in order of appearance).
     */
    static double[] column(String table, String col) throws IOException {
        List<String> lines = Files.readAllLines(TABLES.resolve(table));
        List<String> header = List.of(lines.get(0).replace("\"", "").split(","));
        int j = header.indexOf(col);
        Map<String, Integer> codes = new HashMap<>();
        double[] v = new double[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            String cell = lines.get(i).split(",")[j];
            v[i - 1] = cell.startsWith("\"") ? codes.computeIfAbsent(cell, k -> codes.size() + 1) : Double.parseDouble(cell);
        }
        return v;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mtcars.csv:mpg", "iris.csv:Species"})
    void rDataSetsAsRWritesThem(String tableAndTarget) throws IOException {
        String table = tableAndTarget.split(":")[0], target = tableAndTarget.split(":")[1];
        Run r = select("--csv", TABLES.resolve(table).toString(), "--target", target, "--format", "tsv");
        Map<String, Double> got = tsv(r);
        List<String> header = List.of(Files.readAllLines(TABLES.resolve(table)).get(0).replace("\"", "").split(","));
        List<String> features = header.stream().filter(h -> !h.isEmpty() && !h.equals(target)).sorted().toList();
        assertEquals(features, got.keySet().stream().sorted().toList(), "every column but the row names and the target\n" + r.out());
        boolean textTarget = target.equals("Species");
        MutualInfoOptions o = MutualInfoOptions.DEFAULT.withYDiscrete(textTarget);
        double[] y = column(table, target);
        for (String f : features)
            assertEquals(MutualInfo.mutualinfo(column(table, f), y, o), got.get(f), 0.0, table + ": feature " + f);
        assertEquals(!textTarget, r.err().contains("the first column holds row names"), r.err());
    }

    @Test
    void writeTablesEscapedQuotesAreAOneLineErrorNamingTheCause() {
        Run r = select("--csv", TABLES.resolve("r_write_table_escape.txt").toString(), "--target", "t");
        assertEquals(MemshareCli.FAILURE, r.status());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("r_write_table_escape.txt, line 3: ") && r.err().contains("R's write.table writes \\\" unless given "
                + "qmethod = \"double\""), r.err());
    }

    @Test
    void aTextColumnNamedDiscreteIsRankedAsCategoriesAndExcludeSilencesOne() {
        Path table = TABLES.resolve("pandas_to_csv.csv");
        Run r = select("--csv", table.toString(), "--target", "species", "--na-rm", "--discrete", "sample", "--exclude", "b",
                "--format", "tsv");
        Map<String, Double> got = tsv(r);
        assertEquals(List.of("a", "c", "sample"), got.keySet().stream().sorted().toList());
        // Every sample label is distinct: codes 1..30 in order of appearance.
        double[] sample = new double[N];
        for (int i = 0; i < N; i++) sample[i] = i + 1;
        MutualInfoOptions o = MutualInfoOptions.DEFAULT.withYDiscrete(true).withNaRm(true).withXDiscrete(true);
        assertEquals(MutualInfo.mutualinfo(sample, values("species"), o), got.get("sample"), 0.0);
        assertFalse(r.err().contains("leaving out"), r.err());
    }

    @StartsProcesses  // python3's json module checks the output
    @Test
    void jsonCarriesTheSameRankingAsTsvAndProgressIsPlainLinesOffATerminal() throws Exception {
        String table = TABLES.resolve("r_write_csv.csv").toString();
        Map<String, Double> tsv = tsv(select("--csv", table, "--target", "species", "--na-rm", "--format", "tsv"));
        Run json = select("--csv", table, "--target", "species", "--na-rm", "--format", "json");
        assertEquals(0, json.status(), json.err());
        String text = json.out().strip();
        assertTrue(text.startsWith("{\"source\":") && text.contains("\"target\":\"species\",\"target_discrete\":true"), text);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"rank\":(\\d+),\"feature\":\"(\\w+)\",\"mi_nats\":([^,]+),").matcher(text);
        int ranks = 0;
        while (m.find()) {
            assertEquals(++ranks, Integer.parseInt(m.group(1)));
            assertEquals(tsv.get(m.group(2)), Double.parseDouble(m.group(3)), 0.0, m.group(2));
        }
        assertEquals(3, ranks, text);
        // Off a terminal (here: a StringWriter) progress is plain lines, no carriage returns.
        assertFalse(json.err().contains("\r"), json.err());
        assertTrue(json.err().contains("memshare select: ranking features: 100% (3/3)"), json.err());
        // A JSON parser agrees, where one is at hand.
        if (Files.isExecutable(Path.of("/usr/bin/python3"))) {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import json,sys; d=json.load(sys.stdin); print(len(d['features']))")
                    .redirectErrorStream(true).start();
            p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            assertEquals("3", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
            assertEquals(0, p.waitFor());
        }
    }

    /**
     * In a child JVM: drawing goes through the JDK's own AWT and font code, whose native half makes
     * JNI calls that -Xcheck:jni (on in this test JVM) reports as warnings, which fail the suite.
     */
    @StartsProcesses
    @Test
    void plotIsAPngWithContent() throws Exception {
        Path png = dir.resolve("ranking.png");
        plotInAChildJvm(png);
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertTrue(image != null && image.getWidth() >= 1000 && image.getHeight() >= 400, "size " + (image == null ? "none"
                : image.getWidth() + "x" + image.getHeight()));
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int x = 0; x < image.getWidth(); x += 3)
            for (int y = 0; y < image.getHeight(); y += 3) colours.add(image.getRGB(x, y));
        assertTrue(colours.size() > 10, "not blank: " + colours.size() + " colours");
        // The name is checked before anything is read (a usage error), so this runs here.
        assertEquals(MemshareCli.USAGE, select("--csv", TABLES.resolve("pandas_to_csv.csv").toString(), "--target", "species",
                "--na-rm", "--plot", dir.resolve("x.gif").toString()).status());
    }

    /** Draws the ranking of pandas_to_csv.csv into {@code file} in a child JVM (AWT trips -Xcheck:jni here). */
    private static void plotInAChildJvm(Path file) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), MemshareCli.class.getName(), "select", "--csv",
                TABLES.resolve("pandas_to_csv.csv").toString(), "--target", "species", "--na-rm", "--plot", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.contains("plot written to " + file), output);
    }

    /**
     * The SVG is XML with an svg root two charts wide, and drawn shapes (XChart draws its text as
     * glyph outlines, so there is no text element to look for).
     */
    @StartsProcesses
    @Test
    void plotIsAnSvgWithBothCharts() throws Exception {
        Path svg = dir.resolve("ranking.svg");
        plotInAChildJvm(svg);
        var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        org.w3c.dom.Element root = factory.newDocumentBuilder().parse(svg.toFile()).getDocumentElement();
        assertEquals("svg", root.getTagName());
        assertEquals("0 0 1800 600", root.getAttribute("viewBox"), "two 900 x 600 charts side by side");
        int shapes = root.getElementsByTagName("path").getLength() + root.getElementsByTagName("rect").getLength();
        assertTrue(shapes > 40, "shapes drawn: " + shapes);  // 89 here: axes, grid, bars, curve, glyphs
        assertTrue(Files.size(svg) > 50_000, "size " + Files.size(svg));
    }

    @Test
    void withoutNaRmTheInfinityIsAOneLineError() {
        Run r = select("--csv", TABLES.resolve("r_write_csv.csv").toString(), "--target", "species");
        assertEquals(MemshareCli.FAILURE, r.status());
        String[] lines = r.err().strip().split("\n");
        assertTrue(lines[lines.length - 1].contains("column 'c' has a missing or non-finite value in data row 5; use --na-rm"), r.err());
    }

    @Test
    void sepOptionAndBadInput() throws IOException {
        Path semi = dir.resolve("semi.csv");
        Files.writeString(semi, "a;t\n1;1\n2;2\n3;1\n4;2\n", StandardCharsets.UTF_8);
        assertEquals(0, select("--csv", semi.toString(), "--target", "t", "--sep", ";").status());
        // Without --sep the header tells the separator; a wrong --sep gets the hint to name the right one.
        assertEquals(0, select("--csv", semi.toString(), "--target", "t").status());
        Run wrongSep = select("--csv", semi.toString(), "--target", "t", "--sep", ",");
        assertEquals(MemshareCli.USAGE, wrongSep.status());
        assertTrue(wrongSep.err().contains("the header holds no ','") && wrongSep.err().contains("--sep ';'")
                && wrongSep.err().strip().lines().count() == 1, wrongSep.err());
        Path quoted = dir.resolve("open.csv");
        Files.writeString(quoted, "a,t\n1,1\n\"2,2\n3,1\n", StandardCharsets.UTF_8);
        Run open = select("--csv", quoted.toString(), "--target", "t");
        assertEquals(MemshareCli.FAILURE, open.status(), open.err());
        assertEquals(1, open.err().strip().lines().count(), open.err());
        Run bad = select("--csv", semi.toString(), "--target", "t", "--sep", ";", "--exclude", "zz");
        assertTrue(bad.status() == MemshareCli.USAGE && bad.err().contains("--exclude names 'zz'"), bad.err());
        assertTrue(select("--sep", ";").err().contains("need --csv"));
    }
}
