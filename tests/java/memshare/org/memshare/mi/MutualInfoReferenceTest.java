package org.memshare.mi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of the reference file (computed with the R packages, see docs/MUTUALINFO.md) through the
 * Java API: arrays, and direct buffers for the zero-copy path.
 */
class MutualInfoReferenceTest {
    private static final Path CASES = Paths.get("tests", "cpp", "data", "mutualinfo.jsonl");
    private static int passed;
    private static int total;

    static double[] values(Object json) {
        List<?> list = (List<?>) json;
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = list.get(i);
            if (v == null) out[i] = Double.NaN;  // R's NA
            else if (v instanceof String) out[i] = Double.parseDouble((String) v);  // "NaN", "Infinity", "-Infinity"
            else out[i] = (Double) v;
        }
        return out;
    }

    static DoubleBuffer direct(double[] v) {
        DoubleBuffer b = ByteBuffer.allocateDirect(v.length * 8).order(ByteOrder.nativeOrder()).asDoubleBuffer();
        b.put(v).flip();
        return b;
    }

    @TestFactory
    List<DynamicTest> referenceCases() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : Files.readAllLines(CASES)) {
            if (line.isBlank()) continue;
            @SuppressWarnings("unchecked")
            Map<String, Object> c = (Map<String, Object>) MiniJson.parse(line);
            total++;
            tests.add(DynamicTest.dynamicTest((String) c.get("name"), () -> {
                double[] x = values(c.get("x")), y = values(c.get("y"));
                MutualInfoOptions o = new MutualInfoOptions((Boolean) c.get("isXDiscrete"), (Boolean) c.get("isYDiscrete"),
                        (Boolean) c.get("naRm"), (Boolean) c.get("useMpmi"));
                if (Boolean.TRUE.equals(c.get("expectError"))) {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MutualInfo.mutualinfo(x, y, o));
                    assertTrue(e.getMessage().matches("(?s).*\\b[xy]\\b.*"), "the message names the variable: " + e.getMessage());
                } else {
                    double expected = (Double) c.get("expected");
                    double tol = 1e-9 * Math.max(1, Math.abs(expected));
                    assertEquals(expected, MutualInfo.mutualinfo(x, y, o), tol, "arrays");
                    assertEquals(expected, MutualInfo.mutualinfo(direct(x), direct(y), o), tol, "direct buffers");
                }
                passed++;
            }));
        }
        return tests;
    }

    @AfterAll
    static void report() {
        System.out.println("MutualInfoReferenceTest: " + passed + " of " + total + " reference cases pass");
    }
}
