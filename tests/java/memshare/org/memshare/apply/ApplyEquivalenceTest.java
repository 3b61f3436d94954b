package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.memshare.Matrix;
import org.memshare.facade.Memshare;
import org.memshare.VectorView;
import org.memshare.StartsProcesses;

/** R memshare's own equivalence tests, on threads and on worker processes. */
@StartsProcesses
class ApplyEquivalenceTest extends ApplyTestBase {

    @ParameterizedTest
    @MethodSource("modes")
    void correlationOfEachColumnWithASharedVector(String mode) {
        Random rnd = new Random(1);
        int nrow = 40, ncol = 10;
        double[] x = new double[nrow * ncol];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
        double[] y = new double[nrow];
        for (int i = 0; i < nrow; i++) y[i] = rnd.nextDouble();

        double[] got = Apply.memApplyDouble(Matrix.of(nrow, ncol, x), Margin.COLUMNS,
                (col, vars) -> ApplyTestSupport.cor(ApplyTestSupport.toArray(col), vars.vector("y").toDoubleArray()),
                options(mode).withVars(Map.of("y", y)));

        assertEquals(ncol, got.length);
        for (int j = 0; j < ncol; j++)
            assertEquals(ApplyTestSupport.cor(ApplyTestSupport.column(x, nrow, j), y), got[j], 1e-12, "column " + j);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void byNameOverARegisteredMatrixGivesColumnMeans(String mode) {
        String ns = "eq" + ProcessHandle.current().pid() + mode.charAt(0);
        double[] m = new double[6 * 5];
        for (int i = 0; i < m.length; i++) m[i] = i + 1;  // R's matrix(1:30, 6, 5)
        Memshare.registerVariables(ns, Map.of("M", Matrix.of(6, 5, m)));
        List<Double> means = Memshare.memApply("M", Margin.COLUMNS, (col, vars) -> {
            double s = 0;
            for (int i = 0; i < col.limit(); i++) s += col.get(i);
            return s / col.limit();
        }, options(mode).withNamespace(ns));
        assertEquals(List.of(3.5, 9.5, 15.5, 21.5, 27.5), means);
        Memshare.releaseVariables(ns, "M");
    }

    /** Variables as data (registered for the call) and by name (registered already), in one call. */
    @ParameterizedTest
    @MethodSource("modes")
    void variablesGivenAsDataAndByNameTogether(String mode) {
        String ns = "eqv" + ProcessHandle.current().pid() + mode.charAt(0);
        Memshare.registerVariables(ns, Map.of("M", Matrix.of(2, 3, new double[] {1, 2, 3, 4, 5, 6}), "b", new double[] {100}));
        try {
            double[] got = Memshare.memApplyDouble("M", Margin.COLUMNS,
                    (col, vars) -> col.get(0) * vars.vector("a").get(0) + vars.vector("b").get(0),
                    options(mode).withNamespace(ns).withVars(Map.of("a", new double[] {10})).withVarNames("b"));
            assertArrayEquals(new double[] {110, 130, 150}, got);  // 10 * M[0, j] + 100
        } finally {
            Memshare.releaseVariables(ns, "M", "b");
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void memLapplyOfRandomMatricesTimesASharedVector(String mode) {
        Random rnd = new Random(2);
        List<Matrix> list = new ArrayList<>();
        List<double[]> raw = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            double[] a = new double[25];
            for (int i = 0; i < 25; i++) a[i] = rnd.nextGaussian();
            raw.add(a);
            list.add(Matrix.of(5, 5, a));
        }
        double[] v = {1, -2, 0.5, 3, -1};

        List<double[]> got = Memshare.memLapply(list, (el, vars) -> {
            VectorView w = vars.vector("v");
            double[] out = new double[5];
            for (int i = 0; i < 5; i++)
                for (int j = 0; j < 5; j++) out[i] += el.get(i, j) * w.get(j);
            return out;
        }, options(mode).withVars(Map.of("v", v)));

        assertEquals(20, got.size());
        for (int k = 0; k < 20; k++) {
            double[] expected = new double[5];
            for (int i = 0; i < 5; i++)
                for (int j = 0; j < 5; j++) expected[i] += raw.get(k)[i + 5 * j] * v[j];
            assertArrayEquals(expected, got.get(k), 0.0, "element " + k);
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void memLapplyByNameOverARegisteredListGivesSums(String mode) {
        String ns = "eql" + ProcessHandle.current().pid() + mode.charAt(0);
        Memshare.registerVariables(ns, Map.of("L", List.of(Matrix.of(2, 2, new double[] {1, 2, 3, 4}),
                Matrix.of(2, 2, new double[] {5, 6, 7, 8}))));
        List<Double> sums = Memshare.memLapply("L", (el, vars) -> {
            double s = 0;
            for (long i = 0; i < el.length(); i++) s += el.get(i);
            return s;
        }, options(mode).withNamespace(ns));
        assertEquals(List.of(10.0, 26.0), sums);
        Memshare.releaseVariables(ns, "L");
    }

    @org.junit.jupiter.api.Test
    void concurrentCallsWithoutANamespaceNeverCollide() throws Exception {
        // Each call registers its X and y under a fresh namespace: same names, no clash.
        List<Thread> callers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            final double k = t + 1;
            Thread c = new Thread(() -> {
                try {
                    for (int round = 0; round < 10; round++) {
                        double[] got = Apply.memApplyDouble(Matrix.of(3, 4, new double[] {k, k, k, 2, 2, 2, 3, 3, 3, 4, 4, 4}),
                                Margin.COLUMNS, (col, vars) -> col.get(0) * vars.vector("y").get(0),
                                ApplyOptions.defaults().withWorkers(2).withVars(Map.of("y", new double[] {k})));
                        assertArrayEquals(new double[] {k * k, 2 * k, 3 * k, 4 * k}, got, 0.0);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            callers.add(c);
            c.start();
        }
        for (Thread c : callers) c.join();
        assertEquals(List.of(), failures);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void rowMarginOnANonSquareMatrix(String mode) {
        int nrow = 7, ncol = 3;
        double[] x = new double[nrow * ncol];
        for (int i = 0; i < x.length; i++) x[i] = i * i % 11;
        double[] got = Apply.memApplyDouble(Matrix.of(nrow, ncol, x), Margin.ROWS, (row, vars) -> {
            double s = 0;
            for (int j = 0; j < row.limit(); j++) s += row.get(j) * (j + 1);
            return s;
        }, options(mode));
        assertEquals(nrow, got.length);
        for (int i = 0; i < nrow; i++) {
            double expected = 0;
            for (int j = 0; j < ncol; j++) expected += x[i + nrow * j] * (j + 1);
            assertEquals(expected, got[i], 0.0, "row " + i);
        }
    }

    /** Workers keep the function between calls only while its serialized form is unchanged. */
    @ParameterizedTest
    @MethodSource("modes")
    void aFunctionWhoseCapturedStateChangedBetweenCallsIsSentAgain(String mode) {
        double[] factor = {2};
        DoubleApplyFunction f = (col, vars) -> col.get(0) * factor[0];
        Matrix m = Matrix.of(1, 4, new double[] {1, 2, 3, 4});
        assertArrayEquals(new double[] {2, 4, 6, 8}, Apply.memApplyDouble(m, Margin.COLUMNS, f, options(mode)));
        assertArrayEquals(new double[] {2, 4, 6, 8}, Apply.memApplyDouble(m, Margin.COLUMNS, f, options(mode)));  // reused
        factor[0] = 10;  // the same function object, other captured state
        assertArrayEquals(new double[] {10, 20, 30, 40}, Apply.memApplyDouble(m, Margin.COLUMNS, f, options(mode)));
    }
}
