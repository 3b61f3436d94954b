package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memshare.cli.SelectCommandTest.Run;
import org.memshare.mi.MutualInfo;
import org.memshare.mi.MutualInfoOptions;

/**
 * {@code memshare select --npy X.npy --target-npy y.npy} on files numpy itself wrote
 * (tests/data/npy, made by make_npy.py with numpy.save): float64 in C and Fortran order and
 * big-endian, float32, int32, int64, a 1-D and an n x 1 target. Every ranking must equal, to the
 * last bit, the estimator run on the values computed here from make_npy.py's formulas, not read
 * back through the reader; bad files are one-line errors.
 */
class SelectNpyTest {
    static final Path NPY = Path.of("tests/data/npy");
    static final int N = 40;

    @TempDir
    Path dir;

    private static Run select(String... args) {
        return SelectCommandTest.select(args);
    }

    private static double[] values(IntToDoubleFunction f) {
        double[] v = new double[N];
        for (int i = 0; i < N; i++) v[i] = f.applyAsDouble(i);
        return v;
    }

    /** make_npy.py's x, column j. */
    static double[] x(int j) {
        return values(i -> j == 0 ? (i % 7) * 0.5 + i * 0.01 : j == 1 ? ((i * 13) % 17) / 4.0 : i % 4 + (i % 3) * 0.25);
    }

    /** make_npy.py's integer matrix, column j. */
    static double[] ints(int j) {
        return values(i -> j == 0 ? i % 5 : j == 1 ? (i * 3) % 11 : i % 4);
    }

    private static double mi(double[] x, boolean naRm) {
        return MutualInfo.mutualinfo(x, values(i -> i % 4), new MutualInfoOptions(false, true, naRm, false));
    }

    private static Map<String, Double> tsv(Run r) {
        return SelectConventionsTest.tsv(r);
    }

    private static Run npy(String x, String y, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--npy", NPY.resolve(x).toString(), "--target-npy",
                NPY.resolve(y).toString(), "--format", "tsv", "--workers", "2"));
        args.addAll(List.of(more));
        return select(args.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"x_f8_c.npy", "x_f8_fortran.npy", "x_f8_big_endian.npy"})
    void float64InEveryLayoutIsRankedAsItsValues(String file) {
        Map<String, Double> got = tsv(npy(file, "y.npy", "--discrete", "y"));
        for (int j = 0; j < 3; j++) assertEquals(mi(x(j), false), got.get("V" + (j + 1)), 0.0, "V" + (j + 1));
    }

    @Test
    void float32AndIntegersAndAColumnTarget() {
        Map<String, Double> f4 = tsv(npy("x_f4_c.npy", "y_column.npy", "--discrete", "y_column"));
        for (int j = 0; j < 3; j++) {
            double[] rounded = x(j);
            for (int i = 0; i < N; i++) rounded[i] = (float) rounded[i];
            assertEquals(mi(rounded, false), f4.get("V" + (j + 1)), 0.0);
        }
        for (String file : List.of("x_i4_fortran.npy", "x_i8_c.npy")) {
            Map<String, Double> got = tsv(npy(file, "y.npy", "--discrete", "y"));
            for (int j = 0; j < 3; j++) assertEquals(mi(ints(j), false), got.get("V" + (j + 1)), 0.0, file);
        }
    }

    @Test
    void namesFromAFileAndNaRm() throws IOException {
        Path names = Files.writeString(dir.resolve("names.txt"), "alpha\nbeta\ngamma\n");
        Map<String, Double> got = tsv(npy("x_f8_fortran.npy", "y.npy", "--discrete", "y", "--names", names.toString()));
        assertEquals(mi(x(1), false), got.get("beta"), 0.0);

        Run nan = npy("nan.npy", "y.npy", "--discrete", "y");
        assertEquals(MemshareCli.FAILURE, nan.status());
        assertTrue(nan.err().strip().endsWith("nan.npy: row 6, column 2 ('V2') has a missing or non-finite value; use --na-rm to drop "
                + "such rows"), nan.err());
        double[] withNan = x(1);
        withNan[5] = Double.NaN;
        assertEquals(mi(withNan, true), tsv(npy("nan.npy", "y.npy", "--discrete", "y", "--na-rm")).get("V2"), 0.0);
    }

    @Test
    void badFilesAreOneLineErrors() throws IOException {
        oneLine(npy("truncated.npy", "y.npy"), "truncated.npy is truncated: shape (40, 3) of <f8 needs 1088 bytes, the file has 988");
        oneLine(npy("complex.npy", "y.npy"), "complex.npy holds dtype '<c16'; memshare reads float64");
        oneLine(npy("structured.npy", "y.npy"), "structured.npy holds dtype [('a', '<f8'), ('b', '<i4')]; memshare reads float64");
        oneLine(npy("x_f8_c.npy", "y_short.npy"), "y_short.npy holds shape (30,); --target-npy wants 40 values");
        oneLine(npy("y.npy", "y.npy"), "y.npy holds an array of shape (40,); --npy wants a matrix");
        Path text = Files.writeString(dir.resolve("x.npy"), "a,b\n1,2\n");
        oneLine(select("--npy", text.toString(), "--target-npy", NPY.resolve("y.npy").toString()), "x.npy is not a numpy .npy file");
        oneLine(select("--npy", NPY.resolve("x_f8_c.npy").toString()), MemshareCli.USAGE, "--npy and --target-npy go together");
        oneLine(select("--npy", NPY.resolve("x_f8_c.npy").toString(), "--target-npy", NPY.resolve("y.npy").toString(), "--csv", "a.csv"),
                MemshareCli.USAGE, "--csv, --npy and --shared are three different inputs: name one");
        oneLine(npy("x_f8_c.npy", "y.npy", "--discrete", "V1"), MemshareCli.USAGE, "with --npy, --discrete may name only the target 'y', not 'V1'");
        oneLine(select("--npy", dir.resolve("none.npy").toString(), "--target-npy", NPY.resolve("y.npy").toString()), "no such file");
    }

    private static void oneLine(Run r, String expected) {
        oneLine(r, MemshareCli.FAILURE, expected);
    }

    private static void oneLine(Run r, int status, String expected) {
        assertEquals(status, r.status(), r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains(expected), r.err());
    }
}
