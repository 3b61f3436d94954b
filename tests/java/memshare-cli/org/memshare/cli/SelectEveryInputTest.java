package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.memshare.cli.SelectTrapsTest.classesByTheDocumentedRule;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.Matrix;
import org.memshare.Namespace;
import org.memshare.cli.SelectCommandTest.Run;
import org.memshare.mi.MutualInfo;
import org.memshare.mi.MutualInfoOptions;

/**
 * Issue 21's decisions (items 2-5: the class rule for the target and, with --discrete-features,
 * the features; a first column of row numbers; a degenerate target; the rows --na-rm uses) are the
 * same for every input: one table, written here as a CSV, as numpy files (written byte by byte
 * here) and as a matrix this test registers in shared memory, must give the same decision lines
 * and the same ranking. Every expected decision and value is computed here: the class rule from
 * docs/CLI.md's wording ({@link SelectTrapsTest#classesByTheDocumentedRule}), the estimates from
 * the library's estimator on the values this test made.
 */
class SelectEveryInputTest {
    static final int N = 60;

    @TempDir
    Path dir;

    enum Input { CSV, NPY, SHARED }

    /** Features in column order: a pandas-style index (the row numbers 0..n-1), 4 integer levels, a measurement. */
    static Map<String, double[]> features(boolean withNa) {
        Map<String, double[]> f = new LinkedHashMap<>();
        double[] id = new double[N], lv = new double[N], a = new double[N];
        for (int i = 0; i < N; i++) {
            id[i] = i;
            lv[i] = (i * 7) % 4;
            a[i] = (i % 3) * 0.8 + ((i * 13) % 17) / 9.0;
        }
        if (withNa) a[5] = a[41] = Double.NaN;
        f.put("id", id);
        f.put("lv", lv);
        f.put("a", a);
        return f;
    }

    static double[] classes() {
        double[] y = new double[N];
        for (int i = 0; i < N; i++) y[i] = i % 3;
        return y;
    }

    /** Runs select on {@code x} and target {@code cls} given as {@code input}, with {@code options}. */
    private Run select(Input input, Map<String, double[]> x, double[] cls, String... options) throws IOException {
        List<String> names = new ArrayList<>(x.keySet());
        List<String> args = new ArrayList<>();
        String ns = "jt" + ProcessHandle.current().pid() + "_every";
        Namespace space = null;
        switch (input) {
            case CSV -> {
                StringBuilder sb = new StringBuilder(String.join(",", names)).append(",cls\n");
                for (int i = 0; i < N; i++) {
                    for (String n : names) sb.append(Double.isNaN(x.get(n)[i]) ? "NA" : Double.toString(x.get(n)[i])).append(',');
                    sb.append(Double.isNaN(cls[i]) ? "NA" : Double.toString(cls[i])).append('\n');
                }
                Path csv = dir.resolve("t.csv");
                Files.writeString(csv, sb);
                args.addAll(List.of("--csv", csv.toString(), "--target", "cls"));
            }
            case NPY -> {
                Path xf = dir.resolve("X.npy"), yf = dir.resolve("cls.npy");
                Files.write(xf, npy(columnMajor(x), "(" + N + ", " + names.size() + ")"));
                Files.write(yf, npy(cls, "(" + N + ",)"));
                args.addAll(List.of("--npy", xf.toString(), "--target-npy", yf.toString(), "--names", namesFile(names).toString()));
            }
            case SHARED -> {
                space = Namespace.of(ns);
                space.register("X", Matrix.of(N, names.size(), columnMajor(x)));
                space.register("cls", cls);
                args.addAll(List.of("--shared", ns + ":X", "--target-shared", ns + ":cls", "--names", namesFile(names).toString()));
            }
        }
        args.addAll(List.of(options));
        try {
            return SelectCommandTest.select(args.toArray(String[]::new));
        } finally {
            if (space != null) space.close();
        }
    }

    private Path namesFile(List<String> names) throws IOException {
        return Files.write(dir.resolve("names.txt"), names);
    }

    private static double[] columnMajor(Map<String, double[]> x) {
        double[] m = new double[N * x.size()];
        int j = 0;
        for (double[] c : x.values()) System.arraycopy(c, 0, m, N * j++, N);
        return m;
    }

    /** A numpy .npy file (format 1.0), float64 little-endian in Fortran order, as numpy.save writes it. */
    static byte[] npy(double[] values, String shape) {
        String dict = "{'descr': '<f8', 'fortran_order': True, 'shape': " + shape + ", }";
        int len = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - len % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        for (double v : values) b.putDouble(v);
        return b.array();
    }

    @Test
    void theTargetsClassRuleAndTheRowNumbersAreDecidedAlikeForEveryInput() throws IOException {
        Map<String, double[]> x = features(false);
        double[] cls = classes();
        assertTrue(classesByTheDocumentedRule(cls));
        MutualInfoOptions asClasses = MutualInfoOptions.DEFAULT.withYDiscrete(true);
        for (Input in : Input.values()) {
            Run r = select(in, x, cls, "--format", "tsv");
            Map<String, Double> got = SelectConventionsTest.tsv(r);
            assertEquals(List.of("a", "lv"), got.keySet().stream().sorted().toList(), in + ": the row numbers are not ranked: " + r.err());
            for (String f : List.of("a", "lv"))
                assertEquals(MutualInfo.mutualinfo(x.get(f), cls, asClasses), got.get(f), 0.0, in + " " + f);
            assertTrue(r.err().contains("target 'cls': 3 distinct integers in 60 rows: class labels") && r.err().contains("--continuous cls"),
                    in + ": " + r.err());
            assertTrue(r.err().contains("the first column 'id' holds the row numbers 0..59") && r.err().contains("--rank-row-numbers"),
                    in + ": " + r.err());
            // A negative estimate is named, whatever the input.
            for (Map.Entry<String, Double> e : got.entrySet())
                assertEquals(e.getValue() < 0, r.err().contains("negative estimate for") && r.err().contains("'" + e.getKey() + "'"),
                        in + " " + e + ": " + r.err());

            Run kept = select(in, x, cls, "--format", "tsv", "--rank-row-numbers", "--continuous", "cls");
            Map<String, Double> all = SelectConventionsTest.tsv(kept);
            for (String f : x.keySet())
                assertEquals(MutualInfo.mutualinfo(x.get(f), cls, MutualInfoOptions.DEFAULT), all.get(f), 0.0, in + " " + f);
            assertTrue(kept.err().contains("target 'cls': named in --continuous: continuous"), in + ": " + kept.err());
            assertFalse(kept.err().contains("holds the row numbers"), in + ": " + kept.err());
        }
    }

    @Test
    void discreteFeaturesAppliesTheRuleToEveryInputsFeatures() throws IOException {
        Map<String, double[]> x = features(false);
        double[] cls = classes();
        MutualInfoOptions y = MutualInfoOptions.DEFAULT.withYDiscrete(true);
        assertTrue(classesByTheDocumentedRule(x.get("lv")) && !classesByTheDocumentedRule(x.get("a")));
        for (Input in : Input.values()) {
            Run r = select(in, x, cls, "--format", "tsv", "--discrete-features");
            Map<String, Double> got = SelectConventionsTest.tsv(r);
            for (String f : List.of("a", "lv"))
                assertEquals(MutualInfo.mutualinfo(x.get(f), cls, y.withXDiscrete(classesByTheDocumentedRule(x.get(f)))), got.get(f), 0.0,
                        in + " " + f);
            assertTrue(got.get("lv") >= 0, in + ": a table estimate is never negative");
            assertTrue(r.err().contains("--discrete-features: 1 of 2 features hold class labels") && r.err().contains("'lv'"),
                    in + ": " + r.err());
        }
    }

    @Test
    void aDegenerateTargetIsAnErrorForEveryInput() throws IOException {
        Map<String, double[]> x = features(false);
        double[] one = new double[N], none = new double[N];
        java.util.Arrays.fill(one, 2);
        java.util.Arrays.fill(none, Double.NaN);
        for (Input in : Input.values()) {
            Run r = select(in, x, one);
            assertEquals(MemshareCli.FAILURE, r.status(), in + ": " + r.err());
            assertTrue(r.err().strip().startsWith("memshare: ") && r.err().contains("the target 'cls' holds one value (2) in all 60 usable rows"),
                    in + ": " + r.err());
            assertEquals("", r.out());
            Run na = select(in, x, none, "--na-rm");
            assertEquals(MemshareCli.FAILURE, na.status(), in + ": " + na.err());
            assertTrue(na.err().contains("the target 'cls' has 0 usable rows after --na-rm") && na.err().contains("at least 3"),
                    in + ": " + na.err());
        }
    }

    @Test
    void theRowsNaRmUsesAreReportedAndAMissingValueWithoutItFailsForEveryInput() throws IOException {
        Map<String, double[]> x = features(true);
        double[] cls = classes();
        int missing = 0;
        for (double v : x.get("a")) if (Double.isNaN(v)) missing++;
        for (Input in : Input.values()) {
            Run r = select(in, x, cls, "--na-rm", "--format", "tsv");
            assertEquals(0, r.status(), in + ": " + r.err());
            assertTrue(r.err().contains("rows used after --na-rm: " + (N - missing) + "-" + N + " per feature, of " + N), in + ": " + r.err());
            assertEquals(MutualInfo.mutualinfo(x.get("a"), cls, new MutualInfoOptions(false, true, true, false)),
                    SelectConventionsTest.tsv(r).get("a"), 0.0, in.toString());
            Run strict = select(in, x, cls);
            assertEquals(MemshareCli.FAILURE, strict.status(), in + ": " + strict.err());
            String last = strict.err().strip().lines().reduce((p, q) -> q).orElse("");
            assertTrue(last.startsWith("memshare: ") && last.contains("missing") && last.contains("--na-rm"), in + ": " + strict.err());
        }
    }
}
