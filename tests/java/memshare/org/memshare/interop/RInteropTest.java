package org.memshare.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.memshare.Matrix;
import org.memshare.MatrixView;
import org.memshare.Namespace;
import org.memshare.Shape;
import org.memshare.interop.Interop.Run;
import org.memshare.StartsProcesses;

/**
 * The R examples of docs/INTEROP.md against R memshare itself: docs/interop/read_matrix.R reads
 * Java-registered matrices exactly and refuses non-double data; Java reads the matrix
 * docs/interop/share_matrix.R registers. Skipped, with the reason printed, where Rscript or the
 * memshare package is missing.
 */
@StartsProcesses
class RInteropTest extends InteropTestBase {
    @Override
    String missing() throws Exception {
        if (!Interop.onPath("Rscript")) return "Rscript is not installed (no Rscript on PATH; install r-base-core)";
        Run r = Interop.run(List.of("Rscript", "-e", "library(memshare)"));
        return r.status() == 0 ? "" : "the R package memshare is not installed (in R: install.packages(\"memshare\"))";
    }

    private Run readMatrix(String var) throws Exception {
        return Interop.run(List.of("Rscript", Interop.repoFile("docs/interop/read_matrix.R").toString(), ns, var));
    }

    /** The value after {@code key} on the script's {@code key} line (cat() ends it with a space). */
    private static String value(Run r, String key) {
        List<String> lines = r.starting(key);
        assertEquals(1, lines.size(), r::toString);
        return lines.get(0).substring(key.length() + 1).trim();
    }

    private void assertRReads(String var, int nrow, int ncol, double[] values) throws Exception {
        Run r = readMatrix(var);
        assertEquals(0, r.status(), r::toString);
        assertEquals(nrow + " " + ncol, value(r, "DIM"));
        assertEquals(Interop.bits(values[values.length - 1]), Interop.bits(Double.parseDouble(value(r, "LAST"))));
        assertEquals(HexFormat.of().formatHex(Interop.littleEndian(values)), value(r, "BITS"));
    }

    @Test
    void rReadsJavaMatricesExactly() throws Exception {
        double[] b = Interop.randomDoubles(200 * 37, 11);
        try (Namespace space = Namespace.of(ns)) {
            space.register("X", Matrix.of(3, 4, Interop.DISTINCT_3X4.clone()));
            space.register("B", Matrix.of(200, 37, b.clone()));
            assertRReads("X", 3, 4, Interop.DISTINCT_3X4);
            assertRReads("B", 200, 37, b);
        }
    }

    @Test
    void rRefusesNonDoubleData() throws Exception {
        try (Namespace space = Namespace.of(ns)) {
            space.register("I", Matrix.of(2, 2, new int[] {1, 2, 3, 4}));
            Run r = readMatrix("I");
            assertNotEquals(0, r.status(), r::toString);
            assertTrue(r.lines().stream().anyMatch(l -> l.contains("Unknown type")), r::toString);
            assertEquals(List.of(), r.starting("BITS"), r::toString);
        }
    }

    @Test
    void javaReadsWhatRRegisters() throws Exception {
        Process p = Interop.start(List.of("Rscript", Interop.repoFile("docs/interop/share_matrix.R").toString(), ns));
        try {
            BufferedReader out = Interop.reader(p);
            Interop.readUntil(out, "REGISTERED");
            try (MatrixView x = Namespace.of(ns).matrix("X")) {
                assertEquals(Shape.matrix(3, 4), x.shape());
                assertEquals(0, x.info().ownerPid(), "R writes no owner");
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 4; j++) assertEquals((i + 3 * j + 1) / 8.0, x.get(i, j), "X[" + i + ", " + j + "]");
            }
            Interop.sendLine(p, "");
            assertTrue(p.waitFor(1, TimeUnit.MINUTES));
            List<String> rest = out.lines().collect(Collectors.toList());
            assertEquals(0, p.exitValue(), () -> "share_matrix.R: " + rest);
        } finally {
            p.destroyForcibly();
        }
    }
}
