package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.CliTest.Run;
import org.memshare.facade.Memshare;

/**
 * {@code memshare select --shared NS:VAR --target-shared NS:VAR}: a matrix someone else shares,
 * written as R memshare writes it (bare records, no trailer: docs/FORMAT.md §2) or registered
 * through the Java API, ranks equal, to the last bit, to the same values read from a CSV.
 */
class SelectSharedTest {
    static final int N = 90, P = 4;
    private final String ns = Fixtures.uniqueNamespace();

    @TempDir
    Path dir;

    @AfterEach
    void clean() throws IOException {
        Memshare.releaseAll();
        Fixtures.deleteSegments(ns, "X");
        Fixtures.deleteSegments(ns, "y");
        Fixtures.assertNoShmEntries(ns);
    }

    /** Column-major: feature j of observation i; feature 0 follows the class, the others are noise. */
    static double[] matrix() {
        java.util.Random rnd = new java.util.Random(11);
        double[] x = new double[N * P];
        for (int j = 0; j < P; j++)
            for (int i = 0; i < N; i++) x[j * N + i] = (j == 0 ? (i % 3) * 2.0 : 0) + rnd.nextGaussian();
        return x;
    }

    static double[] target() {
        double[] y = new double[N];
        for (int i = 0; i < N; i++) y[i] = i % 3;
        return y;
    }

    static Map<String, Double> tsv(Run r) {
        assertEquals(0, r.status(), r.err());
        Map<String, Double> got = new HashMap<>();
        r.out().lines().skip(1).forEach(l -> got.put(l.split("\t")[0], Double.parseDouble(l.split("\t")[1])));
        return got;
    }

    private Map<String, Double> fromCsv() throws IOException {
        double[] x = matrix(), y = target();
        List<String> lines = new ArrayList<>();
        lines.add("V1,V2,V3,V4,y");
        for (int i = 0; i < N; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < P; j++) sb.append(x[j * N + i]).append(',');  // Double.toString reads back exactly
            lines.add(sb.append(y[i]).toString());
        }
        Path csv = dir.resolve("same.csv");
        Files.write(csv, lines);
        return tsv(CliTest.cli("select", "--csv", csv.toString(), "--target", "y", "--discrete", "y", "--format", "tsv"));
    }

    @Test
    void rSegmentsRankEqualToTheCsvToTheLastBit() throws IOException {
        Fixtures.writeSegments(ns, "X", Fixtures.matrixRecord(N, P), Fixtures.doublesLE(matrix()));
        Fixtures.writeSegments(ns, "y", Fixtures.vectorRecord(N), Fixtures.doublesLE(target()));
        Run shared = CliTest.cli("select", "--shared", ns + ":X", "--target-shared", ns + ":y", "--discrete", "y", "--format", "tsv",
                "--workers", "2");
        assertEquals(fromCsv(), tsv(shared));
        assertTrue(shared.err().contains("reading the owner's pages (no copy)"), shared.err());
    }

    @Test
    void javaRegisteredMatrixInThisJvmWithNamesRanksEqualToo() throws IOException {
        Namespace space = Namespace.of(ns);
        space.register("X", Matrix.of(N, P, matrix()));
        space.register("y", target());
        Path names = dir.resolve("names.txt");
        Files.write(names, List.of("V1", "V2", "V3", "V4"));
        Run shared = CliTest.cli("select", "--shared", ns + ":X", "--target-shared", ns + ":y", "--discrete", "y", "--names",
                names.toString(), "--format", "tsv");
        assertEquals(fromCsv(), tsv(shared));
    }

    /**
     * The owner is another JVM, alive while select reads its pages; afterwards nothing is left. A
     * child that never answers fails the test after a generous bound instead of hanging the suite.
     */
    @StartsProcesses
    @Test
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aMatrixAnotherJvmOwnsRanksEqualToo() throws Exception {
        List<String> cmd = new ArrayList<>(Fixtures.javaCommand());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SharedOwner.class.getName(), ns));
        Process owner = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(owner.getInputStream()));
             var in = new java.io.PrintWriter(owner.getOutputStream(), true)) {
            assertEquals("OWNED", out.readLine());
            Run shared = CliTest.cli("select", "--shared", ns + ":X", "--target-shared", ns + ":y", "--discrete", "y", "--format",
                    "tsv", "--workers", "2");
            assertEquals(fromCsv(), tsv(shared));
            assertTrue(shared.err().contains("reading the owner's pages (no copy)"), shared.err());
            Memshare.releaseAll();  // this JVM's views, before the owner goes
            in.println("EXIT");
            assertEquals("BYE", out.readLine());
        } finally {
            owner.destroyForcibly();
            owner.waitFor();
        }
        Fixtures.assertNoShmEntries(ns);
    }

    @Test
    void badSharedInputIsOneLine() {
        // Usage (exit 2): a lone --shared, a name without a namespace, two namespaces; bad data (1): no such variable.
        int[] status = {2, 2, 2, 1};
        int k = 0;
        for (String[] args : List.of(new String[] {"--shared", ns + ":X"}, new String[] {"--shared", "X", "--target-shared", ns + ":y"},
                new String[] {"--shared", ns + ":X", "--target-shared", "other:y"},
                new String[] {"--shared", ns + ":nope", "--target-shared", ns + ":y"})) {
            String[] all = new String[args.length + 1];
            all[0] = "select";
            System.arraycopy(args, 0, all, 1, args.length);
            Run r = CliTest.cli(all);
            assertEquals(status[k++], r.status(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }
}
