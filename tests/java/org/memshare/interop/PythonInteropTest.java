package org.memshare.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memshare.Matrix;
import org.memshare.Namespace;
import org.memshare.Page;
import org.memshare.interop.Interop.Run;
import org.memshare.StartsProcesses;

/**
 * docs/interop/read_memshare.py, run as a real python3 process, reads what Java registers (and
 * what R writes) exactly: shapes, element types and every value's bits; it fails with a clear
 * message on damaged or missing segments, and keeps reading after the owner releases. Skipped,
 * with the reason printed, where python3 or numpy is missing.
 */
@StartsProcesses
class PythonInteropTest extends InteropTestBase {
    private static final String SCRIPT = "docs/interop/read_memshare.py";
    /** Variables this test wrote as files the way R does: nobody owns them, the test removes them. */
    private final List<String> rWritten = new ArrayList<>();

    @Override
    String missing() throws Exception {
        if (!Interop.onPath("python3")) return "python3 is not installed (no python3 on PATH; install python3-numpy)";
        Run r = Interop.run(List.of("python3", "-c", "import numpy"));
        return r.status() == 0 ? "" : "python3 cannot import numpy (install python3-numpy)";
    }

    @AfterEach
    void removeWhatRWouldHaveWritten() throws IOException {
        for (String var : rWritten) Interop.deleteSegments(ns, var);  // before the base class's check
    }

    private void writeRSegments(String var, byte[] records, byte[] data) throws IOException {
        rWritten.add(var);
        Interop.writeRSegments(ns, var, records, data);
    }

    private static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of("python3", Interop.repoFile(SCRIPT).toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Run read(String... args) throws Exception {
        return Interop.run(command(args));
    }

    /** The ARRAY line the script must print for values registered as {@code littleEndian}. */
    private static String arrayLine(String label, String shape, byte[] littleEndian) {
        return "ARRAY " + label + " " + shape + " " + Interop.sha256(littleEndian) + " read-only";
    }

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

    private static String javaWriter() {
        return "java:" + Interop.PID;
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
            String[] bits = new String[values.length];
            for (int i = 0; i < values.length; i++) bits[i] = String.format("%08x", values[i]);
            assertMatrixRead(read("--values", ns, "I"), "I", "int32 " + javaWriter(), 2, 3, Interop.littleEndian(values), bits);
        }
    }

    @Test
    void readsWhatRWrites() throws Exception {
        double[] x = Interop.DISTINCT_3X4;
        writeRSegments("X", Interop.record(0, 3, 4), Interop.littleEndian(x));
        assertMatrixRead(read("--values", ns, "X"), "X", "float64 r", 3, 4, Interop.littleEndian(x), bits(x));
    }

    @Test
    void failsClearlyInsteadOfMisreading() throws Exception {
        // The records promise 3 x 4 doubles (96 bytes); the data holds 11, or 13.
        writeRSegments("short", Interop.record(0, 3, 4), Interop.littleEndian(new double[11]));
        writeRSegments("long", Interop.record(0, 3, 4), Interop.littleEndian(new double[13]));
        writeRSegments("odd", Interop.record(7, 1, 1), Interop.littleEndian(new double[1]));
        String[][] cases = {
            {"short", "error: /dev/shm/" + ns + ".short holds 88 bytes but its metadata needs 96"},
            {"long", "error: /dev/shm/" + ns + ".long holds 104 bytes but its metadata needs 96"},
            {"odd", "error: record 0 has unknown type code 7"},
            {"absent", "error: no variable 'absent' in namespace '" + ns + "' (/dev/shm/" + ns + ".md.absent does not exist)"},
        };
        for (String[] c : cases) {
            Run r = read(ns, c[0]);
            assertEquals(1, r.status(), r::toString);
            assertEquals(List.of(c[1]), r.lines(), c[0]);
        }
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
