package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.DoubleBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memshare.ArrayView;
import org.memshare.Matrix;
import org.memshare.MatrixView;
import org.memshare.Namespace;
import org.memshare.StartsProcesses;
import org.memshare.VectorView;

/**
 * The Java examples of docs/APPLY.md, compiled and run as written, imports included: the test
 * takes each block from the doc itself, puts its statements into a method (the doc's {@code x}
 * and {@code y} become its parameters, the helpers below come in by a static import), compiles it
 * into the test classes, where worker processes find its lambdas too, and checks the results
 * against plain loops over the inputs.
 */
@StartsProcesses
public class ApplyDocExampleTest {  // public, as are the helpers: the compiled example imports them
    private static final Path DOC = Path.of("docs/APPLY.md");

    private final SplittableRandom rnd = new SplittableRandom(7);
    private final double[] x = random(40 * 10), y = random(40);
    private final double[] m = random(6 * 4), l0 = random(3 * 2), l1 = random(4 * 2), v = random(2);
    private Namespace rns;
    private TreeSet<String> shmBefore;

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

    /** The Java blocks of a Markdown text, in order. */
    static List<String> javaBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher mt = Pattern.compile("```java\n(.*?)```\n", Pattern.DOTALL).matcher(markdown);
        while (mt.find()) blocks.add(mt.group(1));
        return blocks;
    }

    @Test
    void everyJavaExampleOfTheDocIsRunHere() throws Exception {
        assertEquals(1, javaBlocks(Files.readString(DOC)).size(),
                "docs/APPLY.md's Java examples changed in number: run each in this class, as the first is");
    }

    @Test
    void theExampleCompilesAsWrittenAndGivesWhatPlainLoopsGive() throws Exception {
        Object[] r = DocExample.compileAndRun(javaBlocks(Files.readString(DOC)).get(0), "ApplyMdExample1",
                "double[] x, double[] y", "cors, means, products, centered", ApplyDocExampleTest.class, x, y);
        double[] cors = (double[]) r[0];
        @SuppressWarnings("unchecked") List<Double> means = (List<Double>) r[1];
        @SuppressWarnings("unchecked") List<double[]> products = (List<double[]>) r[2];
        double[] centered = (double[]) r[3];
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

    // The helpers the example calls: any code a user would write.
    public static double correlation(DoubleBuffer a, VectorView b) {
        double[] ab = new double[a.limit()];
        a.get(0, ab);
        return pearson(ab, b.toDoubleArray());
    }

    public static double mean(DoubleBuffer c) {
        double s = 0;
        for (int i = 0; i < c.limit(); i++) s += c.get(i);
        return s / c.limit();
    }

    public static void center(DoubleBuffer c, OutputBlock out) {
        double m = mean(c);
        for (int i = 0; i < out.length(); i++) out.set(i, c.get(i) - m);
    }

    public static double[] times(ArrayView element, VectorView w) {
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
