package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.memshare.facade.Memshare;

/** A second JVM process views the pages of this one and reads exactly what was registered. */
@StartsProcesses
class CrossProcessReadTest extends MemshareTestBase {

    private static List<String> run(String... args) throws Exception {
        Process child = Fixtures.startChild(args);
        child.getOutputStream().close();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child finishes");
        assertEquals(0, child.exitValue(), "child exit status; output:\n" + out);
        return out.lines().toList();
    }

    private static String line(List<String> lines, String prefix) {
        for (String l : lines) if (l.startsWith(prefix)) return l;
        throw new AssertionError("no line starting with '" + prefix + "' in " + lines);
    }

    @Test
    void childJvmReadsMatrixVectorListAndIntData() throws Exception {
        Random rnd = new Random(20250101);
        double[] x = new double[200 * 50];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
        x[7] = TypedData.R_NA;
        x[8] = Double.NEGATIVE_INFINITY;
        double[] y = {1.5, 2.5, -0.0, 1e-310};
        double[] l0 = Fixtures.seq(6);
        double[] l1 = {9.25, -3};
        int[] ints = {Integer.MIN_VALUE, -1, 0, 7, Integer.MAX_VALUE};

        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("X", Matrix.of(200, 50, x));
        vars.put("y", y);
        vars.put("L", List.of(Matrix.of(3, 2, l0), l1));
        vars.put("I", ints);
        Memshare.registerVariables(ns, vars);

        List<String> out = run("dump", ns, "X", "y", "L", "I");
        long pid = Fixtures.PID;

        String[] xs = line(out, "VAR X ").split(" ");
        assertEquals(List.of("VAR", "X", "MATRIX", "FLOAT64", Long.toString(pid), "200", "50"), List.of(xs).subList(0, 7));
        assertEquals(Fixtures.checksum(x), Long.parseLong(xs[7]), "X read through get(i)");
        assertEquals(Fixtures.checksum(x), Long.parseLong(xs[8]), "X read through column buffers");

        String[] ys = line(out, "VAR y ").split(" ");
        assertEquals(List.of("VAR", "y", "VECTOR", "FLOAT64", Long.toString(pid), "4", "1"), List.of(ys).subList(0, 7));
        assertEquals(Fixtures.checksum(y), Long.parseLong(ys[7]));
        assertEquals(Fixtures.checksum(y), Long.parseLong(ys[8]));
        assertEquals("VALUES y 1.5 2.5 -0.0 1.0E-310", line(out, "VALUES y"));

        assertEquals("LIST L 2 " + pid, line(out, "LIST L"));
        assertEquals("ELEM L 0 MATRIX 3 2 " + Fixtures.checksum(l0), line(out, "ELEM L 0 "));
        assertEquals("ELEM L 1 VECTOR 2 1 " + Fixtures.checksum(l1), line(out, "ELEM L 1 "));

        double[] intsAsDoubles = new double[ints.length];
        for (int i = 0; i < ints.length; i++) intsAsDoubles[i] = ints[i];
        String[] is = line(out, "VAR I ").split(" ");
        assertEquals(List.of("VAR", "I", "VECTOR", "INT32", Long.toString(pid), "5", "1"), List.of(is).subList(0, 7));
        assertEquals(Fixtures.checksum(intsAsDoubles), Long.parseLong(is[7]));
        assertEquals("VALUES I -2.147483648E9 -1.0 0.0 7.0 2.147483647E9", line(out, "VALUES I"));

        assertEquals("VIEWLIST [" + ns + ".I, " + ns + ".L, " + ns + ".X, " + ns + ".y]", line(out, "VIEWLIST"));
        assertEquals("DONE", out.get(out.size() - 1));

        // The child's views were its own; this JVM still owns its pages and holds no views.
        assertEquals(List.of(), Memshare.viewList());
        assertEquals(List.of(ns + ".I", ns + ".L", ns + ".X", ns + ".y"), Memshare.pageList());
    }

    @Test
    void severalChildrenReadTheSamePageConcurrently() throws Exception {
        double[] v = new double[100_000];
        for (int i = 0; i < v.length; i++) v[i] = Math.sqrt(i) - 17;
        hold(Namespace.of(ns).register("v", v));
        List<Process> children = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            Process p = Fixtures.startChild("dump", ns, "v");
            p.getOutputStream().close();
            children.add(p);
        }
        for (Process p : children) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            String[] f = line(out.lines().toList(), "VAR v ").split(" ");
            assertEquals(Fixtures.checksum(v), Long.parseLong(f[7]));
            assertEquals(Fixtures.checksum(v), Long.parseLong(f[8]));
        }
    }
}
