package org.memshare.modulepath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.memshare.Namespace;
import org.memshare.StartsProcesses;

/**
 * The library as a named module: the exploded classes directory (module-info.class and the
 * bundled native library inside) on the module path of a child JVM, the program on its class
 * path. The other tests run the library on the class path, where module-info.class is ignored.
 */
@StartsProcesses
class ModulePathTest {
    private static final String NAME = "org.memshare";

    @Test
    void exportsTheApiPackagesAndNoInternalType() throws Exception {
        Result r = run(thisJava(), "describe");
        assertEquals(List.of(
                "MODULE org.memshare",
                "EXPORTS org.memshare org.memshare.apply org.memshare.facade org.memshare.mi org.memshare.text"),
                r.stdout.subList(0, 2), r.toString());
        String internal = r.stdout.stream().filter(l -> l.startsWith("VISIBLE org.memshare.internal ")).findFirst().orElseThrow();
        assertTrue(internal.matches("VISIBLE org.memshare.internal 0 of [1-9][0-9]*"), internal);
    }

    /** Loading the native library from the module, and worker JVMs started from the module path. */
    @Test
    void runsWithWorkerJvmsAndNoNativeAccessWarning() throws Exception {
        List<Path> javas = new ArrayList<>(List.of(thisJava()));
        Path jdk24Plus = newerJdk();
        if (jdk24Plus != null) javas.add(jdk24Plus);
        else System.out.println("ModulePathTest: no JDK 24+ found (set -Dmemshare.test.newer.jdk=DIR): the native-access warning is checked on this JDK only");
        for (Path java : javas) {
            String ns = "modpath" + ProcessHandle.current().pid();
            Result r = run(java, "run", ns);
            assertEquals(List.of("X[2,3] 6.0", "SUMS [3.0, 7.0, 11.0]", "LEFT []"), r.stdout, r.toString());
            // JDK 24+ prints "WARNING: A restricted method in java.lang.System has been called"
            // unless the application enabled native access for the module, in the workers too.
            assertEquals(List.of(), r.stderr, java + ": " + r);
        }
    }

    private record Result(int exit, List<String> stdout, List<String> stderr) {}

    private static Result run(Path java, String... args) throws IOException, InterruptedException {
        Path classes = Paths.get(Namespace.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path testClasses = Paths.get(ModulePathMain.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        assertTrue(Files.exists(classes.resolve("module-info.class")), "no module-info.class in " + classes);
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "--enable-native-access=" + NAME,
                "--module-path", classes.toString(), "--add-modules", NAME,
                "-cp", testClasses.toString(), ModulePathMain.class.getName()));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("modulepath", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the child JVM did not finish: " + cmd);
            Result r = new Result(p.exitValue(), out, Files.readAllLines(err));
            assertEquals(0, r.exit, cmd + ": " + r);
            return r;
        } finally {
            Files.delete(err);
        }
    }

    private static Path thisJava() {
        return Paths.get(System.getProperty("java.home"), "bin", "java");
    }

    /** A JDK that warns about native access (24 or newer), if this one does not and one is installed. */
    private static Path newerJdk() throws IOException {
        if (Runtime.version().feature() >= 24) return null;   // this JVM is one already
        String given = System.getProperty("memshare.test.newer.jdk");
        if (given != null) return Paths.get(given, "bin", "java");
        Path jvms = Paths.get("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) return null;
        try (var dirs = Files.list(jvms)) {
            return dirs.filter(d -> d.getFileName().toString().matches(".*-(2[4-9]|[3-9][0-9])(-.*)?"))
                    .map(d -> d.resolve("bin/java")).filter(Files::isExecutable).sorted().findFirst().orElse(null);
        }
    }
}
