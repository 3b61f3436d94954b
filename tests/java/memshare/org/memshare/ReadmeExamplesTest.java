package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.DoubleBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memshare.facade.Memshare;

/** The README's quick start, run as written (namespace made unique so runs cannot collide). */
class ReadmeExamplesTest {
    private final String rns = "readme" + ProcessHandle.current().pid();

    @AfterEach
    void cleanUp() {
        Memshare.releaseAll();
        assertEquals(List.of(), Memshare.pageList());
    }

    @Test
    void facadeQuickStart() {
        Memshare.registerVariables(rns, Map.of(
                "X", Matrix.of(2, 3, new double[] {1, 2, 3, 4, 5, 6}),
                "y", new double[] {1.5, 2.5}));
        Map<String, View> v = Memshare.retrieveViews(rns, "X", "y");
        double x = ((MatrixView) v.get("X")).get(1, 2);
        assertEquals(6.0, x);
        assertEquals(List.of(rns + ".X", rns + ".y"), Memshare.pageList());
        assertEquals(List.of(rns + ".X", rns + ".y"), Memshare.viewList());
        Memshare.releaseViews(rns, "X", "y");
        Memshare.releaseVariables(rns, "X", "y");
        assertTrue(Memshare.pageList().isEmpty());
        assertTrue(Memshare.viewList().isEmpty());
    }

    @Test
    void objectApiQuickStart() {
        int nrow = 100, ncol = 20;  // the README's shape, scaled down
        try (Namespace ns = Namespace.of(rns)) {
            ns.register("y", new double[] {1.5, 2.5});
            ArrayPage big = ns.allocateMatrix("X", ElementType.FLOAT64, nrow, ncol);
            for (long j = 0; j < ncol; j++) big.column(j).put(someColumn(j, nrow));
            big.publish();
            try (MatrixView x = ns.matrix("X")) {
                DoubleBuffer col = x.column(7);
                assertEquals(someColumn(7, nrow)[3], col.get(3));
                assertEquals(someColumn(7, nrow)[3], x.get(3, 7));
            }
        }
        assertTrue(Memshare.pageList().isEmpty());
    }

    /** The README shows the consumer project's QuickStart.java, which scripts/package runs, verbatim. */
    @Test
    void readmeShowsTheQuickStartTheConsumerRuns() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String quickStart = Files.readString(Path.of("tests/consumer/src/main/java/QuickStart.java"));
        assertTrue(readme.contains("```java\n" + quickStart + "```\n"),
                "README.md's Java quick start differs from tests/consumer/src/main/java/QuickStart.java");
    }

    private static double[] someColumn(long j, int nrow) {
        double[] c = new double[nrow];
        for (int i = 0; i < nrow; i++) c[i] = j * 1000 + i;
        return c;
    }
}
