import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.memshare.facade.Memshare;

/**
 * The quick start as a user launches it, in a JVM of its own: the installed JAR on the class path,
 * and on the module path as the module org.memshare (the JAR is then on no class path, so the
 * classes can only come from the module). Each run must print quickstart.out and nothing on
 * stderr: on JDK 24 and newer, a missing --enable-native-access shows up there as a warning. It
 * runs on this JDK and on a JDK 24+ if one is installed (-Dnewer.jdk=DIR, else /usr/lib/jvm).
 */
class LaunchModesTest {
    @org.junit.jupiter.api.Test
    void quickStartOnTheClassPathAndOnTheModulePath() throws Exception {
        String jar = Paths.get(Memshare.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String classes = Paths.get(QuickStart.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String expected;
        try (InputStream in = LaunchModesTest.class.getResourceAsStream("/quickstart.out")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Path> javas = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")));
        Path newer = newerJdk();
        if (newer != null) javas.add(newer);
        else if (Runtime.version().feature() < 24)
            System.out.println("launch modes: no JDK 24+ installed (-Dnewer.jdk=DIR names one): the native-access warning is not checked");
        for (Path java : javas) {
            run(java, expected, "--enable-native-access=ALL-UNNAMED", "-cp", jar + File.pathSeparator + classes, "QuickStart");
            run(java, expected, "--enable-native-access=org.memshare", "--module-path", jar, "--add-modules", "org.memshare",
                    "-cp", classes, "QuickStart");
        }
    }

    private static void run(Path java, String expected, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java.toString()));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("consumer", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "did not finish: " + cmd);
            String stderr = Files.readString(err);
            System.out.println("launch modes: " + String.join(" ", cmd) + ": exit " + p.exitValue() + ", " + out.lines().count()
                    + " lines out, " + stderr.lines().count() + " on stderr");
            assertEquals(0, p.exitValue(), cmd + "\n" + out + stderr);
            assertEquals(expected, out, String.valueOf(cmd));
            assertEquals("", stderr, "stderr of " + cmd);
        } finally {
            Files.delete(err);
        }
    }

    /** A JDK that warns about native access (24 or newer) when this one does not. */
    private static Path newerJdk() throws IOException {
        if (Runtime.version().feature() >= 24) return null;
        String given = System.getProperty("newer.jdk", "");
        if (!given.isEmpty()) return Paths.get(given, "bin", "java");
        Path jvms = Paths.get("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) return null;
        try (Stream<Path> dirs = Files.list(jvms)) {
            return dirs.filter(d -> d.getFileName().toString().matches(".*-(2[4-9]|[3-9][0-9])(-.*)?"))
                    .map(d -> d.resolve("bin/java")).filter(Files::isExecutable).sorted().findFirst().orElse(null);
        }
    }
}
