package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memshare.StartsProcesses;
import org.memshare.cli.SelectCommandTest.Run;
import org.memshare.mi.MutualInfo;
import org.memshare.mi.MutualInfoOptions;

/**
 * The streaming reader of {@code memshare select --csv}: a table cut into chunks at record ends
 * and parsed by several threads straight into shared memory. Tiny chunks (the hidden
 * {@code --csv-chunk-bytes}) make a small file take every path of a big one: quoted cells with
 * separators and line feeds inside, CRLF, an empty line, labels that first appear in a later
 * chunk, text further down than the first look reads, a stray quote in an unquoted cell, errors
 * late in the file; and a heap far smaller than the matrix. Each ranking is compared, to the last
 * bit, with the estimator run on the values computed here from the formula the file was written
 * from.
 */
class SelectStreamingTest {
    static final int N = 600;
    static final String[] CLASSES = {"k0", "k1", "k2", "k3", "k4"};

    @TempDir
    Path dir;

    static double a(int i) {
        return Math.sin(i * 0.37) * 3 + (i % 5) * 0.25;
    }

    static double b(int i) {
        return ((i * 7919) % 101) / 7.0;
    }

    /** The target: class k(i), in an order whose first appearances come late for k4 (row 400). */
    static int cls(int i) {
        return i < 400 ? (i * 3 + i / 7) % 4 : (i * 3 + i / 7) % 5;
    }

    /**
     * A table like R's write.csv writes it, with CRLF line ends: a quoted ID whose cell holds a
     * comma (and, in data row 5, a line feed), features a and b, a text column {@code kind}, the
     * target {@code y} as text, an empty line after data row 10; {@code cell(i)} may replace a's
     * cell of row i (0-based), {@code id(i)} the ID's.
     */
    private Path table(String name, IntFunction<String> aCell, IntFunction<String> idCell) throws IOException {
        Path f = dir.resolve(name);
        try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            w.write("\"id\",\"a\",\"b\",\"kind\",\"y\"\r\n");
            for (int i = 0; i < N; i++) {
                String id = idCell.apply(i);
                w.write(id != null ? id : "\"s " + i + (i == 4 ? ",\nsecond line" : ", batch") + "\"");
                String ac = aCell.apply(i);
                w.write("," + (ac != null ? ac : Double.toString(a(i))) + "," + b(i) + ",\"" + (i % 3 == 0 ? "x" : "z") + "\",\""
                        + CLASSES[cls(i)] + "\"\r\n");
                if (i == 9) w.write("\r\n");
            }
        }
        return f;
    }

    private Path table(String name) throws IOException {
        return table(name, i -> null, i -> null);
    }

    /** The file line of data row {@code r} (1-based): the header, row 5's two lines, the empty line. */
    static long line(int r) {
        return r + 1 + (r > 5 ? 1 : 0) + (r > 10 ? 1 : 0);
    }

    private static Run select(String... args) {
        return SelectCommandTest.select(args);
    }

    private static Map<String, Double> tsv(Run r) {
        return SelectConventionsTest.tsv(r);
    }

    private static double[] column(IntFunction<Double> f) {
        double[] v = new double[N];
        for (int i = 0; i < N; i++) v[i] = f.apply(i);
        return v;
    }

    private static double[] target() {
        return column(i -> (double) cls(i));
    }

    private static double mi(double[] x, boolean discreteX, boolean naRm) {
        return MutualInfo.mutualinfo(x, target(), new MutualInfoOptions(discreteX, true, naRm, false));
    }

    @ParameterizedTest(name = "chunks of {0} bytes (0: by file size)")
    @ValueSource(longs = {0, 64, 700, 5000})
    void chunksGiveTheValuesOfTheFormula(long chunkBytes) throws IOException {
        Path f = table("t.csv");
        Run r = select("--csv", f.toString(), "--target", "y", "--discrete", "kind", "--format", "tsv", "--workers", "2",
                "--csv-chunk-bytes", Long.toString(chunkBytes));
        Map<String, Double> got = tsv(r);
        assertEquals(3, got.size(), r.out());
        assertEquals(mi(column(SelectStreamingTest::a), false, false), got.get("a"), 0.0);
        assertEquals(mi(column(SelectStreamingTest::b), false, false), got.get("b"), 0.0);
        assertEquals(mi(column(i -> i % 3 == 0 ? 1.0 : 2.0), true, false), got.get("kind"), 0.0);
        assertTrue(r.err().contains("leaving out column 'id': it holds text ('s 0, batch' on line 2)"), r.err());
        assertTrue(r.err().contains("the target 'y' holds text: 5 classes"), r.err());
    }

    @Test
    void textBelowTheFirstLookIsLeftOutOrRankedAsCategories() throws IOException {
        Path f = table("late.csv", i -> i == 399 ? "oops" : null, i -> null);
        Run left = select("--csv", f.toString(), "--target", "y", "--exclude", "id,kind", "--format", "tsv", "--csv-chunk-bytes", "900");
        Map<String, Double> got = tsv(left);
        assertEquals(List.of("b"), new ArrayList<>(got.keySet()), left.out());
        assertEquals(mi(column(SelectStreamingTest::b), false, false), got.get("b"), 0.0);
        assertTrue(left.err().contains("leaving out column 'a': it holds text ('oops' on line " + line(400) + ")"), left.err());

        Run ranked = select("--csv", f.toString(), "--target", "y", "--exclude", "id,kind", "--discrete", "a", "--format", "tsv",
                "--csv-chunk-bytes", "900");
        // As categories: every distinct cell is its own class; the codes' order does not matter to MI.
        Map<String, Double> codes = new HashMap<>();
        double[] a = column(i -> i == 399 ? codes.computeIfAbsent("oops", k -> (double) codes.size())
                : codes.computeIfAbsent(Double.toString(a(i)), k -> (double) codes.size()));
        assertEquals(mi(a, true, false), tsv(ranked).get("a"), 0.0);
    }

    @Test
    void errorsLateInTheFileNameTheirLine() throws IOException {
        Path missing = table("na.csv", i -> i == 449 ? "NA" : null, i -> null);
        Run r = select("--csv", missing.toString(), "--target", "y", "--exclude", "id", "--csv-chunk-bytes", "700");
        assertEquals(MemshareCli.FAILURE, r.status());
        assertEquals(1, r.err().strip().lines().filter(l -> l.startsWith("memshare: ")).count(), r.err());
        assertTrue(r.err().contains("na.csv, line " + line(450) + ": column 'a' has a missing or non-finite value in data row 450; "
                + "use --na-rm"), r.err());
        Map<String, Double> dropped = tsv(select("--csv", missing.toString(), "--target", "y", "--exclude", "id", "--na-rm", "--format",
                "tsv", "--csv-chunk-bytes", "700"));
        assertEquals(mi(column(i -> i == 449 ? Double.NaN : a(i)), false, true), dropped.get("a"), 0.0);

        Path ragged = table("ragged.csv", i -> i == 499 ? "1,2" : null, i -> null);
        Run rr = select("--csv", ragged.toString(), "--target", "y", "--csv-chunk-bytes", "700");
        assertEquals(MemshareCli.FAILURE, rr.status());
        assertTrue(rr.err().strip().endsWith("ragged.csv, line " + line(500) + ": 6 cells, but the header has 5"), rr.err());

        // A quote opened and not closed in the last row: the next quote closes it, and the parser
        // stops at what follows; the error names the file's line, not the chunk's.
        Path open = table("open.csv", i -> null, i -> i == 599 ? "\"s 599" : null);
        Run ro = select("--csv", open.toString(), "--target", "y", "--csv-chunk-bytes", "700");
        assertEquals(MemshareCli.FAILURE, ro.status());
        assertEquals(1, ro.err().strip().lines().filter(l -> l.startsWith("memshare: ")).count(), ro.err());
        assertTrue(ro.err().contains("open.csv, line " + line(600) + ": Unexpected character after closing quote: 'z' (0x7a) "
                + "(a quote inside a quoted cell must be doubled"), ro.err());
    }

    @Test
    void aStrayQuoteInAnUnquotedCellIsReadAsTheParserReadsIt() throws IOException {
        // x"y is not RFC 4180, but FastCSV reads it as the three characters; the byte scan cannot
        // count the rows past it, so the file is counted again by the parser and read in one piece.
        Path f = table("stray.csv", i -> null, i -> i == 300 ? "x\"y" : null);
        Run r = select("--csv", f.toString(), "--target", "y", "--exclude", "id", "--format", "tsv", "--csv-chunk-bytes", "700");
        Map<String, Double> got = tsv(r);
        assertEquals(mi(column(SelectStreamingTest::a), false, false), got.get("a"), 0.0);
        assertEquals(mi(column(SelectStreamingTest::b), false, false), got.get("b"), 0.0);
    }

    /**
     * The matrix (4,000 x 1,500 doubles, 46 MiB) is larger than the whole heap of the JVM that
     * reads it (-Xmx32m): a reader that held the matrix, or a list of its rows, on the heap would
     * die of OutOfMemoryError.
     */
    @StartsProcesses
    @Test
    void aHeapSmallerThanTheMatrixIsEnough() throws Exception {
        int rows = 4000, features = 1500;
        Path f = dir.resolve("wide.csv");
        try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            StringBuilder header = new StringBuilder("y");
            for (int j = 0; j < features; j++) header.append(",f").append(j);
            w.write(header.append('\n').toString());
            for (int i = 0; i < rows; i++) {
                StringBuilder line = new StringBuilder(Integer.toString(i % 4));
                for (int j = 0; j < features; j++)  // hundredths, written as R writes them: 3.07, 0.5
                    line.append(',').append(((i * 31L + j * 17L) % 1000 + (j == 7 ? 100L * (i % 4) : 0)) / 100.0);
                w.write(line.append('\n').toString());
            }
        }
        assertTrue(8L * rows * features > 40L << 20, "the matrix must not fit the heap");
        // By file size (a few chunks), and in 64 KiB chunks: hundreds of them, whose parsers are
        // kept till the end (their labels and text), so each must let go of its block and buffers.
        for (String chunkBytes : new String[] {"0", "65536"}) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m", "-cp",
                    CliClassPath.runtime(), MemshareCli.class.getName(), "select", "--csv", f.toString(), "--target", "y",
                    "--discrete", "y", "--workers", "2", "--top", "1", "--format", "tsv", "--csv-chunk-bytes", chunkBytes)
                    .redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), "chunk bytes " + chunkBytes + ": " + err);
            assertEquals("f7", out.lines().skip(1).findFirst().orElse("").split("\t")[0], out + err);
            assertEquals(features + 1, out.lines().count(), out);
        }
    }
}
