package org.memshare.mi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memshare.Matrix;
import org.memshare.facade.Memshare;
import org.memshare.apply.Apply;
import org.memshare.apply.ApplyOptions;
import org.memshare.apply.Margin;
import org.memshare.apply.WorkerCluster;
import org.memshare.StartsProcesses;

/**
 * The R help page's example end to end (docs/MUTUALINFO.md, "Reference data"): memApply over the
 * columns of [x x x] with y shared, mutualinfo(v, y, isYDiscrete = TRUE, naRm = TRUE), gives the
 * case's expected value three times, with X passed as data or registered and passed by name, on
 * threads and processes.
 */
@StartsProcesses
class DocExampleTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> referenceCase(String name) throws IOException {
        for (String line : Files.readAllLines(Paths.get("tests", "cpp", "data", "mutualinfo.jsonl"))) {
            Map<String, Object> c = (Map<String, Object>) MiniJson.parse(line);
            if (name.equals(c.get("name"))) return c;
        }
        throw new AssertionError("no case " + name);
    }

    @Test
    void memApplyOfMutualInfoGivesTheExpectedValueThreeTimes() throws Exception {
        Map<String, Object> c = referenceCase("seed_doc_example");
        double[] x = MutualInfoReferenceTest.values(c.get("x")), y = MutualInfoReferenceTest.values(c.get("y"));
        double expected = (Double) c.get("expected");
        double[] xxx = new double[3 * x.length];
        for (int k = 0; k < 3; k++) System.arraycopy(x, 0, xxx, k * x.length, x.length);
        MutualInfoOptions o = MutualInfoOptions.DEFAULT.withYDiscrete(true).withNaRm(true);
        double tol = 1e-9 * Math.max(1, Math.abs(expected));

        try (WorkerCluster cluster = WorkerCluster.start(2)) {
            for (ApplyOptions base : List.of(ApplyOptions.defaults(), ApplyOptions.defaults().withCluster(cluster))) {
                // X passed as data, y as a variable of the call.
                double[] asData = Apply.memApplyDouble(Matrix.of(x.length, 3, xxx), Margin.COLUMNS,
                        (v, vars) -> MutualInfo.mutualinfo(v, vars.vector("y").column(0), o), base.withVars(Map.of("y", y)));
                // X and y registered first, passed by name.
                String ns = "doc" + ProcessHandle.current().pid();
                Memshare.registerVariables(ns, Map.of("X", Matrix.of(x.length, 3, xxx), "y", y));
                double[] byName;
                try {
                    byName = Apply.memApplyDouble("X", Margin.COLUMNS,
                            (v, vars) -> MutualInfo.mutualinfo(v, vars.vector("y").column(0), o), base.withNamespace(ns).withVarNames("y"));
                } finally {
                    Memshare.releaseVariables(ns, "X", "y");
                }
                for (double[] got : List.of(asData, byName)) {
                    assertEquals(3, got.length);
                    for (double v : got) assertEquals(expected, v, tol);
                }
            }
        }
    }
}
