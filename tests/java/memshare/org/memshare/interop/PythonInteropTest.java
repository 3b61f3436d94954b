package org.memshare.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.memshare.Matrix;
import org.memshare.Namespace;
import org.memshare.Page;
import org.memshare.interop.Interop.Run;
import org.memshare.StartsProcesses;

/**
 * docs/interop/read_memshare.py, run as a real Python process, reads what Java registers (and
 * what R writes) exactly: shapes, element types and every value's bits; it keeps reading after the
 * owner releases, and never pairs one registration's metadata with another's data. Skipped, with
 * the reason printed, where no Python with numpy is installed. What it refuses: PythonRefusalTest.
 */
@StartsProcesses
class PythonInteropTest extends PythonTestBase {
    /** The AT lines of an array ({@code dims}: n, or nrow and ncol): row-major indexes, column-major data. */
    private static List<String> atLines(String label, String[] bits, int... dims) {
        List<String> out = new ArrayList<>();
        if (dims.length == 1) {
            for (int i = 0; i < dims[0]; i++) out.add("AT " + label + " " + i + " " + bits[i]);
        } else {
            for (int i = 0; i < dims[0]; i++)
                for (int j = 0; j < dims[1]; j++) out.add("AT " + label + " " + i + " " + j + " " + bits[i + j * dims[0]]);
        }
        return out;
    }

    /** Asserts what the script printed for one matrix read with --values: its VAR, ARRAY and AT lines. */
    private static void assertMatrixRead(Run r, String var, String typeAndWriter, int nrow, int ncol, byte[] littleEndian,
            String[] bits) {
        assertEquals(0, r.status(), r::toString);
        assertEquals(List.of("VAR " + var + " matrix " + typeAndWriter), r.starting("VAR"), r::toString);
        assertEquals(List.of(arrayLine(var, nrow + "x" + ncol, littleEndian)), r.starting("ARRAY"), r::toString);
        assertEquals(atLines(var, bits, nrow, ncol), r.starting("AT"), r::toString);
    }

    private static String[] bits(double[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) out[i] = Interop.bits(values[i]);
        return out;
    }

    private static String[] bits(int[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) out[i] = String.format("%08x", values[i]);
        return out;
    }

    @Test
    void readsEveryValueOfASmallMatrixExactly() throws Exception {
        double[] x = Interop.DISTINCT_3X4;
        try (Namespace space = Namespace.of(ns)) {
            space.register("X", Matrix.of(3, 4, x.clone()));
            assertMatrixRead(read("--values", ns, "X"), "X", "float64 " + javaWriter(), 3, 4, Interop.littleEndian(x), bits(x));
        }
    }

    @Test
    void readsALargeMatrixExactly() throws Exception {
        int nrow = 1000, ncol = 257;
        double[] b = Interop.randomDoubles(nrow * ncol, 42);
        try (Namespace space = Namespace.of(ns)) {
            space.register("B", Matrix.of(nrow, ncol, b.clone()));
            Run r = read(ns, "B");
            assertEquals(0, r.status(), r::toString);
            assertEquals(List.of("VAR B matrix float64 " + javaWriter()), r.starting("VAR"), r::toString);
            // The digest is over the values in column-major order as indexed a[i, j]: a wrong shape,
            // a transposed read or one wrong bit changes it.
            assertEquals(List.of(arrayLine("B", nrow + "x" + ncol, Interop.littleEndian(b))), r.starting("ARRAY"),
                    r::toString);
        }
    }

    @Test
    void readsVectorsAndListsExactly() throws Exception {
        double[] v = {1.5, -0.25, 1e10, Double.longBitsToDouble(0x7FF00000000007A2L)};
        double[] m = Interop.randomDoubles(6, 7);
        double[] e = {9.5, -8.5, 7.5, -6.5};
        try (Namespace space = Namespace.of(ns)) {
            space.register("v", v.clone());
            space.register("z", new double[0]);
            space.register("L", List.of(Matrix.of(2, 3, m.clone()), e.clone()));
            Run r = read("--values", ns, "v", "z", "L");
            assertEquals(0, r.status(), r::toString);
            assertEquals(List.of("VAR v vector float64 " + javaWriter(), "VAR z vector float64 " + javaWriter(),
                    "VAR L list float64 " + javaWriter()), r.starting("VAR"), r::toString);
            assertEquals(List.of(arrayLine("v", "4", Interop.littleEndian(v)), arrayLine("z", "0", new byte[0]),
                    arrayLine("L[0]", "2x3", Interop.littleEndian(m)), arrayLine("L[1]", "4", Interop.littleEndian(e))),
                    r.starting("ARRAY"), r::toString);
            List<String> at = new ArrayList<>(atLines("v", bits(v), 4));
            at.addAll(atLines("L[0]", bits(m), 2, 3));
            at.addAll(atLines("L[1]", bits(e), 4));
            assertEquals(at, r.starting("AT"), r::toString);
        }
    }

    @Test
    void readsNonDoubleDataWithItsElementType() throws Exception {
        int[] values = {1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0, 42};
        try (Namespace space = Namespace.of(ns)) {
            space.register("I", Matrix.of(2, 3, values.clone()));
            assertMatrixRead(read("--values", ns, "I"), "I", "int32 " + javaWriter(), 2, 3, Interop.littleEndian(values),
                    bits(values));
        }
    }

    @Test
    void readsAListOfInt32() throws Exception {
        // 3 values, then 2: the second element starts 16 + 12 bytes into the data, not on 8 bytes,
        // and the offset table counts values (0, 3), not bytes.
        int[] m = {7, -8, Integer.MIN_VALUE};
        int[] e = {Integer.MAX_VALUE, -1};
        try (Namespace space = Namespace.of(ns)) {
            space.register("L", List.of(Matrix.of(3, 1, m.clone()), e.clone()));
            Run r = read("--values", ns, "L");
            assertEquals(0, r.status(), r::toString);
            assertEquals(List.of("VAR L list int32 " + javaWriter()), r.starting("VAR"), r::toString);
            assertEquals(List.of(arrayLine("L[0]", "3x1", Interop.littleEndian(m)), arrayLine("L[1]", "2", Interop.littleEndian(e))),
                    r.starting("ARRAY"), r::toString);
            List<String> at = new ArrayList<>(atLines("L[0]", bits(m), 3, 1));
            at.addAll(atLines("L[1]", bits(e), 2));
            assertEquals(at, r.starting("AT"), r::toString);
        }
    }

    @Test
    void readsWhatRWrites() throws Exception {
        double[] x = Interop.DISTINCT_3X4;
        writeSegments("X", Interop.record(0, 3, 4), Interop.littleEndian(x));
        assertMatrixRead(read("--values", ns, "X"), "X", "float64 r", 3, 4, Interop.littleEndian(x), bits(x));
    }

    /**
     * The reader's main() with its _open wrapped: just before it opens X's data, X is released and
     * registered again, as 4 x 3 of the same byte size (the files of Y renamed over those of X).
     */
    private static final String RACE = """
            import os, sys
            sys.path.insert(0, "docs/interop")
            import read_memshare as rm
            ns, real_open, raced = sys.argv[1], rm._open, []
            def racing_open(path, allow_foreign_owner):
                if path == f"/dev/shm/{ns}.X" and not raced:
                    raced.append(path)
                    os.replace(f"/dev/shm/{ns}.Y", f"/dev/shm/{ns}.X")
                    os.replace(f"/dev/shm/{ns}.md.Y", f"/dev/shm/{ns}.md.X")
                return real_open(path, allow_foreign_owner)
            rm._open = racing_open
            sys.exit(rm.main(["--values", ns, "X"]))
            """;

    @Test
    void neverPairsOldMetadataWithNewData() throws Exception {
        double[] before = Interop.randomDoubles(12, 5), after = Interop.randomDoubles(12, 6);
        writeSegments("X", Interop.record(0, 3, 4), Interop.littleEndian(before));
        writeSegments("Y", Interop.record(0, 4, 3), Interop.littleEndian(after));
        // The reader read X's metadata (3 x 4), then finds the new data: it must notice and read
        // again, getting the new registration whole, never its values as 3 x 4.
        assertMatrixRead(runPython(RACE, ns), "X", "float64 r", 4, 3, Interop.littleEndian(after), bits(after));
    }

    @Test
    void keepsReadingAfterTheOwnerReleases() throws Exception {
        double[] values = Interop.randomDoubles(10_000, 3);
        String expected = arrayLine("v", "10000", Interop.littleEndian(values));
        Page page = Namespace.of(ns).register("v", values.clone());
        Process p = Interop.start(command("--hold", ns, "v"));
        try {
            BufferedReader out = Interop.reader(p);
            assertTrue(Interop.readUntil(out, "HOLDING").contains(expected));
            page.close();  // unlinks both names; Python's mapping stays valid (POSIX unlink semantics)
            Interop.assertNoShmEntries(ns);
            Interop.sendLine(p, "");
            assertEquals(List.of(expected), Interop.readUntil(out, "DONE"));
            assertTrue(p.waitFor(1, TimeUnit.MINUTES));
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }
}
