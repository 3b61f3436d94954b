package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.DoubleBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memshare.ArrayPage;
import org.memshare.ArrayView;
import org.memshare.ElementType;
import org.memshare.Matrix;
import org.memshare.MatrixView;
import org.memshare.facade.Memshare;
import org.memshare.Namespace;
import org.memshare.StartsProcesses;
import org.memshare.VectorView;

/**
 * The example of docs/APPLY.md, run as written: the doc shows the lines between the markers in
 * {@link #example} verbatim, and the results are checked against plain loops over the inputs.
 */
@StartsProcesses
class ApplyDocExampleTest {
    private static final Path DOC = Path.of("docs/APPLY.md");
    private static final Path SOURCE = Path.of("tests/java/memshare/org/memshare/apply/ApplyDocExampleTest.java");

    private final SplittableRandom rnd = new SplittableRandom(7);
    private final double[] x = random(40 * 10), y = random(40);
    private final double[] m = random(6 * 4), l0 = random(3 * 2), l1 = random(4 * 2), v = random(2);
    private Namespace rns;
    private TreeSet<String> shmBefore;

    private double[] cors;
    private List<Double> means;
    private List<double[]> products;
    private double[] centered;

    @BeforeEach
    void registerTheNamedVariables() {
        shmBefore = ApplyTestSupport.shm();
        rns = Namespace.of("rns");   // the doc's namespace
        rns.register("M", Matrix.of(6, 4, m));
        rns.register("L", List.of(Matrix.of(3, 2, l0), Matrix.of(4, 2, l1)));
        rns.register("v", v);
    }

    @AfterEach
    void release() {
        rns.close();
        ApplyTestSupport.assertNoNewSegments(shmBefore);
    }

    void example() throws Exception {
        // <example>
        // X and y are registered for the call and released afterwards.
        double[] cors = Memshare.memApplyDouble(Matrix.of(40, 10, x), Margin.COLUMNS,
                (col, vars) -> correlation(col, vars.vector("y")),       // col: read-only, zero-copy
                ApplyOptions.defaults().withVars(Map.of("y", y)));        // threads, one per core

        // On worker JVM processes, by name, over variables registered already in "rns".
        List<Double> means;
        List<double[]> products;
        double[] centered;
        try (WorkerCluster cluster = WorkerCluster.start(2); Namespace ns = Namespace.of("rns")) {  // R's CLUSTER
            ApplyOptions onCluster = ApplyOptions.defaults().withNamespace("rns").withCluster(cluster);
            means = Memshare.memApply("M", Margin.COLUMNS, (col, vars) -> mean(col), onCluster);
            products = Memshare.memLapply("L", (element, vars) -> times(element, vars.vector("v")),
                    onCluster.withVarNames("v"));

            // A transform written in place: each worker fills its own columns of rns.Z.
            ArrayPage z = ns.allocateMatrix("Z", ElementType.FLOAT64, 6, 4);         // M's shape, unpublished
            Memshare.memApplyInto("M", Margin.COLUMNS, (col, out, vars) -> center(col, out), z, onCluster);
            centered = ns.matrix("Z").toDoubleArray();      // published now: R's retrieveViews sees it too
        }
        // </example>
        this.cors = cors;
        this.means = means;
        this.products = products;
        this.centered = centered;
    }

    @Test
    void theExampleGivesWhatPlainLoopsGive() throws Exception {
        example();
        for (int j = 0; j < 10; j++) {
            double[] col = new double[40];
            System.arraycopy(x, j * 40, col, 0, 40);
            assertEquals(pearson(col, y), cors[j], 1e-12, "correlation of column " + j);
        }
        for (int j = 0; j < 4; j++) {
            double s = 0;
            for (int i = 0; i < 6; i++) s += m[j * 6 + i];
            assertEquals(s / 6, means.get(j), 1e-12, "mean of column " + j);
        }
        assertArrayEquals(product(l0, 3), products.get(0), 1e-12);
        assertArrayEquals(product(l1, 4), products.get(1), 1e-12);
        for (int j = 0; j < 4; j++) {
            double s = 0;
            for (int i = 0; i < 6; i++) s += m[j * 6 + i];
            for (int i = 0; i < 6; i++) assertEquals(m[j * 6 + i] - s / 6, centered[j * 6 + i], 1e-12, "Z[" + i + "," + j + "]");
        }
    }

    @Test
    void theDocShowsTheExampleVerbatim() throws Exception {
        String source = Files.readString(SOURCE);
        int start = source.indexOf("// <example>\n"), end = source.indexOf("        // </example>");
        StringBuilder expected = new StringBuilder();
        for (String line : source.substring(source.indexOf('\n', start) + 1, end).split("\n", -1)) {
            expected.append(line.length() >= 8 ? line.substring(8) : line.strip()).append('\n');
        }
        String shown = expected.toString().replaceAll("\n+$", "\n");
        String doc = Files.readString(DOC);
        assertTrue(doc.contains("```java\nimport org.memshare.apply.*;\nimport org.memshare.facade.Memshare;\n\n" + shown + "```\n"),
                "docs/APPLY.md's example differs from the lines between the markers in " + SOURCE + ":\n" + shown);
    }

    // The helpers the example calls: any code a user would write.
    static double correlation(DoubleBuffer a, VectorView b) {
        double[] ab = new double[a.limit()];
        a.get(0, ab);
        return pearson(ab, b.toDoubleArray());
    }

    static double mean(DoubleBuffer c) {
        double s = 0;
        for (int i = 0; i < c.limit(); i++) s += c.get(i);
        return s / c.limit();
    }

    static void center(DoubleBuffer c, OutputBlock out) {
        double m = mean(c);
        for (int i = 0; i < out.length(); i++) out.set(i, c.get(i) - m);
    }

    static double[] times(ArrayView element, VectorView w) {
        MatrixView a = (MatrixView) element;
        double[] out = new double[Math.toIntExact(a.nrow())];
        for (int i = 0; i < out.length; i++)
            for (int j = 0; j < a.ncol(); j++) out[i] += a.get(i, j) * w.get(j);
        return out;
    }

    // The independent expectations, from the plain arrays.
    static double pearson(double[] a, double[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) { ma += a[i]; mb += b[i]; }
        ma /= a.length;
        mb /= b.length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    private double[] product(double[] columnMajor, int nrow) {
        double[] out = new double[nrow];
        for (int i = 0; i < nrow; i++) out[i] = columnMajor[i] * v[0] + columnMajor[nrow + i] * v[1];
        return out;
    }

    private double[] random(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = rnd.nextDouble();
        return a;
    }
}
