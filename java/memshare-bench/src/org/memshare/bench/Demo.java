package org.memshare.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.memshare.Matrix;
import org.memshare.MatrixView;
import org.memshare.facade.Memshare;
import org.memshare.VariableInfo;
import org.memshare.VectorView;
import org.memshare.View;

/**
 * {@code scripts/demo}: one JVM registers a matrix and a vector; a second JVM process reads them
 * through zero-copy views; the first prints what the child read, the segments and their sizes,
 * releases everything and shows that nothing is left in /dev/shm.
 */
public final class Demo {
    private Demo() {}

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("child")) {
            child(args[1]);
            return;
        }
        String ns = "demo" + ProcessHandle.current().pid();
        int nrow = 4, ncol = 3;
        double[] x = new double[nrow * ncol];
        for (int i = 0; i < x.length; i++) x[i] = i + 1;  // R's matrix(1:12, 4, 3)
        double[] y = {1.5, 2.5, 3.5, 4.5, 5.5};
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("X", Matrix.of(nrow, ncol, x));
        vars.put("y", y);
        Memshare.registerVariables(ns, vars);
        System.out.println("parent (pid " + ProcessHandle.current().pid() + ") registered in namespace '" + ns + "':");
        for (VariableInfo info : Memshare.pages()) System.out.println("  " + info);
        System.out.println("segments in /dev/shm:");
        for (String line : shmEntries(ns)) System.out.println("  " + line);

        List<String> cmd = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Demo.class.getName(), "child", ns);
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes());
        int rc = child.waitFor();
        System.out.println("child JVM (exit " + rc + ") read through views:");
        out.lines().forEach(l -> System.out.println("  " + l));

        Memshare.releaseVariables(ns, "X", "y");
        List<String> left = shmEntries(ns);
        System.out.println("released; left in /dev/shm for '" + ns + "': " + (left.isEmpty() ? "nothing" : left));
        if (rc != 0 || !left.isEmpty()) System.exit(1);
    }

    private static void child(String ns) {
        Map<String, View> views = Memshare.retrieveViews(ns, "X", "y");
        MatrixView x = (MatrixView) views.get("X");
        VectorView y = (VectorView) views.get("y");
        System.out.println("pid " + ProcessHandle.current().pid() + " viewList() = " + Memshare.viewList());
        System.out.println("X is " + x.nrow() + "x" + x.ncol() + ":");
        for (long i = 0; i < x.nrow(); i++) {
            StringBuilder row = new StringBuilder("  ");
            for (long j = 0; j < x.ncol(); j++) row.append(String.format("%6.1f", x.get(i, j)));
            System.out.println(row);
        }
        StringBuilder ys = new StringBuilder("y = ");
        for (long i = 0; i < y.length(); i++) ys.append(y.get(i)).append(' ');
        System.out.println(ys.toString().trim());
        Memshare.releaseViews(ns, "X", "y");
    }

    /** "name  size bytes  mode" for the namespace's entries in /dev/shm (Linux). */
    private static List<String> shmEntries(String ns) throws IOException {
        List<String> out = new ArrayList<>();
        Path shm = Paths.get("/dev/shm");
        if (!Files.isDirectory(shm)) return out;
        try (Stream<Path> s = Files.list(shm)) {
            s.filter(p -> p.getFileName().toString().startsWith(ns + ".")).sorted().forEach(p -> {
                File f = p.toFile();
                try {
                    out.add(String.format("%-20s %6d bytes  %s", p.getFileName(), f.length(),
                            java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p))));
                } catch (IOException e) {
                    out.add(p.getFileName() + " (" + e.getMessage() + ")");
                }
            });
        }
        return out;
    }
}
