package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.cli.MemshareCli;
import org.memshare.facade.Memshare;

/**
 * The README's command-line examples, read from README.md and run as written, with only the
 * inputs put in place: {@code iris.csv} is tests/data/tables/iris.csv (R's write.csv of iris),
 * {@code data.tsv.gz} a gzipped table with a target {@code y}, and the namespace {@code rns} a
 * unique one holding X and y (as R's example registers them), so runs cannot collide. The
 * {@code --spark} line needs a Spark cluster; SelectSparkTest runs select on one.
 */
class ReadmeCommandLineTest extends MemshareTestBase {
    @TempDir
    Path dir;

    @Test
    void everyCommandLineExampleRuns() throws IOException {
        String ns = Fixtures.uniqueNamespace();
        Path gz = dir.resolve("data.tsv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            StringBuilder t = new StringBuilder("a\tb\ty\n");
            for (int i = 0; i < 40; i++) t.append(i % 7).append('\t').append((i * 13) % 17).append('\t').append(i % 4).append('\n');
            out.write(t.toString().getBytes(StandardCharsets.UTF_8));
        }
        double[] x = new double[40 * 2], y = new double[40];
        for (int i = 0; i < 40; i++) {
            x[i] = i % 5;
            x[40 + i] = (i * 3) % 11 + 0.5 * (i % 4);
            y[i] = i % 4;
        }
        Memshare.registerVariables(ns, Map.of("X", Matrix.of(40, 2, x), "y", y));
        try {
            List<List<String>> examples = examples();
            assertTrue(examples.size() >= 7, "the README's command-line block: " + examples);
            int ran = 0;
            for (List<String> args : examples) {
                if (args.contains("--spark")) {
                    System.out.println("README example not run here (needs a Spark cluster; SelectSparkTest runs one): " + args);
                    continue;
                }
                List<String> actual = new ArrayList<>();
                for (String a : args) {
                    actual.add(a.equals("iris.csv") ? "tests/data/tables/iris.csv" : a.equals("data.tsv.gz") ? gz.toString()
                            : a.equals("rns") ? ns : a.replaceFirst("^rns:", ns + ":"));
                }
                StringWriter out = new StringWriter(), err = new StringWriter();
                int status = MemshareCli.run(new PrintWriter(out, true), new PrintWriter(err, true), actual.toArray(String[]::new));
                assertEquals(0, status, "README example " + args + " as " + actual + ":\n" + out + err);
                assertTrue(!out.toString().isBlank(), "README example " + args + " printed nothing");
                if (args.get(0).equals("ls") || args.get(0).equals("inspect"))
                    assertTrue(out.toString().contains("X"), "README example " + args + ":\n" + out);
                ran++;
            }
            assertEquals(examples.size() - 1, ran);
        } finally {
            Memshare.releaseVariables(ns, "X", "y");
        }
    }

    /** The arguments of each {@code $ scripts/memshare ...} line of README.md's Command line block, comments cut. */
    private static List<List<String>> examples() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("## Command line");
        int start = readme.indexOf("```\n", section) + 4, end = readme.indexOf("```", start);
        List<List<String>> all = new ArrayList<>();
        for (String line : readme.substring(start, end).split("\n")) {
            if (!line.startsWith("$ scripts/memshare ")) continue;
            String command = line.substring("$ scripts/memshare ".length()).replaceFirst("\\s+#.*$", "");
            all.add(words(command));
        }
        return all;
    }

    /** Shell words: split at spaces, single quotes kept together (all the README uses). */
    private static List<String> words(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false, any = false;
        for (char c : s.toCharArray()) {
            if (c == '\'') { quoted = !quoted; any = true; }
            else if (c == ' ' && !quoted) { if (any) words.add(w.toString()); w.setLength(0); any = false; }
            else { w.append(c); any = true; }
        }
        if (any) words.add(w.toString());
        return words;
    }
}
