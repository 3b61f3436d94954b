package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.memshare.cli.SelectCommandTest.select;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.cli.SelectCommandTest.Run;

/**
 * Issue 21's demand that every input gets a right answer or one line naming the fix (exit 2 for
 * usage, 1 for data; docs/CLI.md): separators that cannot be, files of R's write.csv2 read with
 * the wrong options, long column names, a mistyped command. Each checks the exact exit status and
 * the message's key words; what the message must say is computed here (the separator the file was
 * written with, the counts), not taken from the reader.
 */
class SelectAnswersTest {
    @TempDir
    Path dir;

    /** The last line on stderr is the one error line; nothing on stdout, no stack trace. */
    static String assertError(Run r, int status, String... words) {
        assertEquals(status, r.status(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        String line = r.err().strip();
        assertTrue(line.startsWith("memshare: "), r.err());
        for (String w : words) assertTrue(line.contains(w), "'" + w + "' in: " + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        return line;
    }

    /**
     * A data frame as R 4.x's {@code write.csv2(df, file)} writes it, byte for byte: every name
     * and row name quoted ({@code qmethod = "double"}), row names "1".."n" under an empty header
     * cell, ';' between cells, decimal commas, numbers in at most 15 significant digits (the values
     * here are dyadic, so exact), LF line ends. Columns: a = i/4 + (i % 3), b = (i * 7 % 11)/4,
     * cls = i % 3 (integers, written without a decimal mark).
     */
    static Path writeCsv2(Path file, int n, boolean rowNames) throws IOException {
        StringBuilder sb = new StringBuilder(rowNames ? "\"\";" : "").append("\"a\";\"b\";\"cls\"\n");
        for (int i = 0; i < n; i++) {
            if (rowNames) sb.append('"').append(i + 1).append("\";");
            sb.append(r(i / 4.0 + i % 3)).append(';').append(r((i * 7 % 11) / 4.0)).append(';').append(i % 3).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** A double as R's write.csv2 prints it: shortest digits, no trailing zeros, a decimal comma. */
    private static String r(double v) {
        return new BigDecimal(v).stripTrailingZeros().toPlainString().replace('.', ',');
    }

    // 1. A separator that is part of the cells themselves is a usage error, before any reading.
    @Test
    void aSeparatorThatIsPartOfANumberIsAUsageError() {
        // What a number's text holds, as R, pandas and Java print them: digits, signs, the exponent mark, the decimal mark.
        String numbers = "-1.5e-05 +2E+10 0123456789 " + Double.toString(-1.5e-5);
        Path none = dir.resolve("none.csv");  // never read: the option is checked first
        for (String sep : List.of(".", "0", "7", "-", "+", "e", "E")) {
            assertTrue(numbers.contains(sep), sep);
            assertError(select("--csv", none.toString(), "--target", "t", "--sep", sep), 2, "--sep '" + sep + "' cannot separate cells",
                    "leave --sep out");
        }
        assertError(select("--csv", none.toString(), "--target", "t", "--sep", "\""), 2, "--sep '\"' cannot separate cells", "quote");
        // The decimal mark in use: ',' with --decimal , (and then '.' may separate).
        assertError(select("--csv", none.toString(), "--target", "t", "--sep", ",", "--decimal", ","), 2,
                "--sep ',' cannot separate cells", "decimal comma", "--sep ';'");
        assertError(select("--csv", none.toString(), "--target", "t", "--sep", ".", "--decimal", ","), 1, "no such file");
        assertError(select("--csv", none.toString(), "--target", "t", "--sep", ";;"), 2, "--sep is one character", "--sep ';'");
    }

    // 2. R's write.csv2 file read with --sep , : the separator and the decimal comma are named, not a quoting error.
    @Test
    void aWriteCsv2FileReadWithACommaNamesTheSeparatorAndTheDecimalComma() throws IOException {
        int n = 30;
        double[] a = new double[n], b = new double[n], cls = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = i / 4.0 + i % 3;
            b[i] = (i * 7 % 11) / 4.0;
            cls[i] = i % 3;
        }
        for (boolean rowNames : new boolean[] {true, false}) {
            Path f = writeCsv2(dir.resolve("r" + rowNames + ".csv"), n, rowNames);
            assertError(select("--csv", f.toString(), "--target", "cls", "--sep", ","), 2, "the header holds no ','",
                    "--sep ';' --decimal ,");
            // The advice, followed, ranks: the values the estimator gives on the columns computed here.
            Run ok = select("--csv", f.toString(), "--target", "cls", "--sep", ";", "--decimal", ",", "--format", "tsv");
            java.util.Map<String, Double> got = SelectConventionsTest.tsv(ok);
            org.memshare.mi.MutualInfoOptions classes = org.memshare.mi.MutualInfoOptions.DEFAULT.withYDiscrete(true);
            assertEquals(org.memshare.mi.MutualInfo.mutualinfo(a, cls, classes), got.get("a"), 0.0);
            assertEquals(org.memshare.mi.MutualInfo.mutualinfo(b, cls, classes), got.get("b"), 0.0);
            assertEquals(2, got.size(), ok.out());
        }
        // pandas' to_csv(sep=";", decimal=","): unquoted, the same advice.
        assertError(select("--csv", SelectConventionsTest.TABLES.resolve("pandas_semicolon_decimal_comma.csv").toString(), "--target", "cls",
                "--sep", ","), 2, "the header holds no ','", "--sep ';' --decimal ,");
        // A tab-separated file read with --sep ';' (no decimal commas): the tab is named, nothing else.
        String tab = assertError(select("--csv", SelectConventionsTest.TABLES.resolve("pandas_tab.csv").toString(), "--target", "cls",
                "--sep", ";"), 2, "the header holds no ';'", "--sep tab");
        assertFalse(tab.contains("--decimal"), tab);
        // A separator the header does hold is taken as given, whatever else the header has.
        Path pipes = dir.resolve("pipes.txt");
        StringBuilder sb = new StringBuilder("a,1|b;2|cls\n");
        for (int i = 0; i < n; i++) sb.append(a[i]).append('|').append(b[i]).append('|').append(i % 3).append('\n');
        Files.writeString(pipes, sb.toString());
        assertEquals(2, SelectConventionsTest.tsv(select("--csv", pipes.toString(), "--target", "cls", "--sep", "|", "--format", "tsv")).size());
    }

    // 3. Every feature with decimal commas, --sep ';' given but no --decimal ,: one line naming --decimal , (not a line per column).
    @Test
    void featuresThatAllHaveDecimalCommasAreOneErrorLine() throws IOException {
        Path f = writeCsv2(dir.resolve("r.csv"), 30, true);
        // Row 2 (file line 3) is the first whose a has a fraction: 1/4 + 1 = 1.25, written "1,25"; b there is 7/4.
        assertEquals("1,25", r(1 / 4.0 + 1));
        assertError(select("--csv", f.toString(), "--target", "cls", "--sep", ";"), 1,
                "column 'a' holds numbers with decimal commas ('1,25' on line 3): add --decimal ,", "so do 1 more: 'b'");
        // Without --sep (the separator found from the header): the same one line.
        assertError(select("--csv", f.toString(), "--target", "cls"), 1, "column 'a' holds numbers with decimal commas", "add --decimal ,");
    }

    // 4. Names in a list on stderr are cut at 40 characters, at most about 20 of them: a file of thousands of long names stays short.
    @Test
    void longNamesAreCutAndListsBounded() throws IOException {
        int p = 3000;
        String[] names = new String[p];
        for (int j = 0; j < p; j++) names[j] = "measurement_of_a_very_long_descriptive_name_number_" + j + "_in_the_panel";
        String cut = names[7].substring(0, 40) + "...";
        assertTrue(names[7].length() > 60);
        StringBuilder sb = new StringBuilder(String.join(",", names)).append(",Class\n");
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < p; j++) sb.append(j < 30 ? "text " + i : Integer.toString((i * 31 + j) % 17)).append(',');
            sb.append(i % 2).append('\n');
        }
        Path wide = dir.resolve("wide.csv");
        Files.writeString(wide, sb.toString());
        // A typo of the target: the close names and the list of columns, each name cut; 20 listed.
        String typo = assertError(select("--csv", wide.toString(), "--target", "class"), 2, "did you mean 'Class'?", "'" + cut + "'",
                "and " + (p + 1 - 20) + " more");
        assertFalse(typo.contains(names[7]), typo);
        assertTrue(typo.length() < 20 * 50 + 400, typo.length() + " characters");
        // 30 text columns left out: one line, at most 20 names, each cut; then the ranking runs.
        Run r = select("--csv", wide.toString(), "--target", "Class", "--format", "tsv", "--top", "1");
        assertEquals(0, r.status(), r.err());
        List<String> left = r.err().lines().filter(l -> l.contains("leaving out")).toList();
        assertEquals(1, left.size(), r.err());
        assertTrue(left.get(0).contains("leaving out 30 columns that hold text") && left.get(0).contains("'" + names[0].substring(0, 40)
                + "...'") && left.get(0).contains("and 10 more"), left.get(0));
        assertTrue(left.get(0).length() < 20 * 50 + 400, left.get(0).length() + " characters");
        assertTrue(r.err().lines().allMatch(l -> l.length() < 2000), "no huge line on stderr");
        // The list the decisions print (negative estimates, --discrete-features, few rows): 20 names, each cut.
        StringBuilder expected = new StringBuilder();
        for (int j = 0; j < 20; j++) expected.append(j == 0 ? "" : ", ").append('\'').append(names[j], 0, 40).append("...'");
        assertEquals(expected + " and 5 more (--format tsv lists all)", Decisions.list(java.util.Arrays.asList(names).subList(0, 25)));
    }

    // 5. A continuous target's decision line gives its counts: distinct values in rows.
    @Test
    void theContinuousTargetLineGivesItsCounts() throws IOException {
        double[] mpg = SelectConventionsTest.column("mtcars.csv", "mpg");
        long distinct = java.util.Arrays.stream(mpg).distinct().count();
        double fraction = java.util.Arrays.stream(mpg).filter(v -> v != Math.floor(v)).findFirst().orElseThrow();
        Run m = select("--csv", SelectConventionsTest.TABLES.resolve("mtcars.csv").toString(), "--target", "mpg", "--format", "tsv");
        assertEquals(0, m.status(), m.err());
        assertTrue(m.err().contains("target 'mpg': not all integers (" + distinct + " distinct values in " + mpg.length + " rows, e.g. "
                + fraction + "): continuous") && m.err().contains("--discrete mpg"), m.err());
        // Integers: 100 levels in 100 rows (over the cap of 50), and 10 levels in 40 rows (under 5 rows per level).
        for (int[] shape : new int[][] {{100, 100}, {40, 10}}) {
            int n = shape[0], levels = shape[1];
            StringBuilder sb = new StringBuilder("a,y\n");  // as pandas' to_csv(index=False) writes floats and integers
            for (int i = 0; i < n; i++) sb.append((i * 7 % 11) / 4.0).append(',').append(i % levels).append('\n');
            Path f = dir.resolve("y" + levels + ".csv");
            Files.writeString(f, sb.toString());
            Run r = select("--csv", f.toString(), "--target", "y", "--format", "tsv");
            assertEquals(0, r.status(), r.err());
            String counts = levels > 50 ? "more than 50 distinct integers in " + n + " rows: continuous"
                    : levels + " distinct integers in " + n + " rows (fewer than 5 rows per value): continuous";
            assertTrue(levels * 5 > n, "not classes by the documented rule");
            assertTrue(r.err().contains("target 'y': " + counts) && r.err().contains("--discrete y"), r.err());
        }
    }

    // 6. A mistyped command or option gets "did you mean", exit 2.
    @Test
    void aMistypedCommandOrOptionSaysWhatWasMeant() {
        // The commands and options within one or two edits of the typo, computed here.
        assertEquals(1, ColumnNames.distance("selct", "select"));
        assertEquals(2, ColumnNames.distance("tagret", "target"));  // options are compared without their dashes
        assertError(run("selct"), 2, "unknown command 'selct'; did you mean 'select'?", "commands: select, ls, inspect, sweep");
        assertError(run("lss"), 2, "unknown command 'lss'; did you mean 'ls'?");
        String far = assertError(run("frobnicate"), 2, "unknown command 'frobnicate'", "commands: select");
        assertFalse(far.contains("did you mean"), far);
        assertError(run("select", "--tagret", "cls"), 2, "'--tagret'", "did you mean '--target'?", "memshare select --help");
        assertError(run("select", "--sepp=;"), 2, "'--sepp=;'", "did you mean '--sep'?");
    }

    @Test
    void aMissingValueUnderALongColumnNameIsOneShortLine() throws IOException {
        // pandas writes NaN as an empty cell; without --na-rm a continuous feature with one is an error naming it.
        String name = "feature_" + "x".repeat(5000);
        StringBuilder s = new StringBuilder("y,").append(name).append(",b\n");
        for (int i = 0; i < 20; i++) s.append(i % 2).append(',').append(i == 7 ? "" : Double.toString(i * 0.25)).append(',').append(i).append('\n');
        Path f = Files.writeString(dir.resolve("long_name.csv"), s.toString());
        String line = assertError(run("select", "--csv", f.toString(), "--target", "y"), 1, "feature_xxx", "missing or non-finite",
                "data row 8", "--na-rm");
        assertFalse(line.contains(name), "the 5,008-character name is cut: " + line.length() + " characters");
        assertTrue(line.length() < 400, line);
    }

    private static Run run(String... args) {
        java.io.StringWriter out = new java.io.StringWriter(), err = new java.io.StringWriter();
        int status = MemshareCli.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    // 7a. With --continuous on a class target, the advice for negative estimates is to leave --continuous out, not --discrete.
    @Test
    void negativeEstimatesUnderContinuousNameTheRightFix() throws IOException {
        String mtcars = SelectConventionsTest.TABLES.resolve("mtcars.csv").toString();
        double[] am = SelectConventionsTest.column("mtcars.csv", "am");
        assertTrue(SelectTrapsTest.classesByTheDocumentedRule(am), "am is class labels by the rule docs/CLI.md states");
        for (String[] extra : new String[][] {{}, {"--discrete", "vs"}, {"--discrete-features"}}) {
            List<String> args = new java.util.ArrayList<>(List.of("--csv", mtcars, "--target", "am", "--continuous", "am", "--format", "tsv"));
            args.addAll(List.of(extra));
            Run r = select(args.toArray(String[]::new));
            java.util.Map<String, Double> got = SelectConventionsTest.tsv(r);
            List<String> negative = got.entrySet().stream().filter(e -> e.getValue() < 0).map(java.util.Map.Entry::getKey).sorted().toList();
            assertFalse(negative.isEmpty(), "this data has negative estimates: " + got);
            List<String> lines = r.err().lines().filter(l -> l.contains("negative estimate")).toList();
            assertEquals(1, lines.size(), r.err());
            assertTrue(lines.get(0).contains("--continuous am ranks the target") && lines.get(0).contains("leave out --continuous am"), r.err());
            for (String n : negative) assertTrue(lines.get(0).contains("'" + n + "'"), n + ": " + r.err());
            // Never advice that contradicts --continuous (a usage error) or that keeps the estimate negative.
            assertFalse(lines.get(0).contains("name it in --discrete") || lines.get(0).contains("--discrete am"), lines.get(0));
        }
        // The advice followed: no --continuous, the integer features discrete: no negative estimate left.
        java.util.Map<String, Double> fixed = SelectConventionsTest.tsv(select("--csv", mtcars, "--target", "am", "--discrete-features",
                "--format", "tsv"));
        assertTrue(fixed.values().stream().allMatch(v -> v >= 0), fixed.toString());
    }

    // 7b. The named index of a shuffled pandas frame is IDs; a permutation under a feature's name, or not quite a permutation, is not.
    @Test
    void aShuffledNamedPandasIndexIsIdsAndOnlyThat() throws IOException {
        Path table = SelectConventionsTest.TABLES.resolve("pandas_shuffled_index.csv");
        // Each row's values from make_trap_tables.py's formula at the row's index (the file's first cell), not from the reader.
        List<String> rows = Files.readAllLines(table).subList(1, SelectTrapsTest.N + 1);
        int[] id = rows.stream().mapToInt(l -> Integer.parseInt(l.split(",")[0])).toArray();
        assertFalse(java.util.Arrays.equals(id, java.util.stream.IntStream.range(0, id.length).toArray()), "shuffled");
        assertEquals(java.util.stream.IntStream.range(0, id.length).boxed().toList(),
                java.util.Arrays.stream(id).sorted().boxed().toList(), "a permutation of 0..n-1");
        double[] cls = new double[id.length];
        for (int i = 0; i < id.length; i++) cls[i] = SelectTrapsTest.values("cls")[id[i]];
        Run r = select("--csv", table.toString(), "--target", "cls", "--format", "tsv");
        java.util.Map<String, Double> got = SelectConventionsTest.tsv(r);
        assertEquals(List.of("a", "b", "lv"), got.keySet().stream().sorted().toList(), r.err());
        org.memshare.mi.MutualInfoOptions classes = org.memshare.mi.MutualInfoOptions.DEFAULT.withYDiscrete(true);
        for (String f : List.of("a", "b", "lv")) {
            double[] v = new double[id.length];
            for (int i = 0; i < id.length; i++) v[i] = SelectTrapsTest.values(f)[id[i]];
            assertEquals(org.memshare.mi.MutualInfo.mutualinfo(v, cls, classes), got.get(f), 0.0, f);
        }
        assertTrue(r.err().contains("the first column 'sample_id' holds the row numbers 0..39 in shuffled order")
                && r.err().contains("--rank-row-numbers ranks it"), r.err());
        Run kept = select("--csv", table.toString(), "--target", "cls", "--rank-row-numbers", "--format", "tsv");
        double[] ids = java.util.Arrays.stream(id).asDoubleStream().toArray();
        assertEquals(org.memshare.mi.MutualInfo.mutualinfo(ids, cls, classes), SelectConventionsTest.tsv(kept).get("sample_id"), 0.0);

        // The other side: a rank-transformed feature (a permutation of 1..n, not an ID's name), and an ID's name over values
        // that are not a permutation (one duplicate), are features.
        int n = 40;
        for (String[] c : new String[][] {{"rank_a", "perm"}, {"sample_id", "dup"}}) {
            StringBuilder sb = new StringBuilder(c[0]).append(",a,cls\n");
            for (int i = 0; i < n; i++) {
                int v = (i * 17 % n) + 1;  // 17 is prime to 40: a permutation of 1..40
                if (c[1].equals("dup") && v == 2) v = 3;
                sb.append(v).append(',').append((i * 7 % 11) / 4.0).append(',').append(i % 2).append('\n');
            }
            Path f = dir.resolve(c[1] + ".csv");
            Files.writeString(f, sb.toString());
            Run feature = select("--csv", f.toString(), "--target", "cls", "--format", "tsv");
            assertEquals(List.of("a", c[0]), SelectConventionsTest.tsv(feature).keySet().stream().sorted().toList(), feature.err());
            assertFalse(feature.err().contains("holds the row numbers"), feature.err());
        }
        for (String name : List.of("index", "id", "ID", "sample_id", "Sample.ID", "patient id", "sampleId", "sampleID", "row_idx"))
            assertTrue(Decisions.idName(name), name);
        for (String name : List.of("rank", "rank_a", "grid", "valid", "fluid", "identity", "width", "ideal", "GRID", "a"))
            assertFalse(Decisions.idName(name), name);
    }
}
