import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.memshare.facade.Memshare;

/** Runs the README's quick start against the memshare JAR from the local Maven repository. */
class QuickStartTest {
    @org.junit.jupiter.api.Test
    void readmeQuickStartRunsFromTheInstalledJar() throws Exception {
        // The library must come from the installed JAR, its native code from inside that JAR.
        Path jar = Paths.get(Memshare.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        System.out.println("memshare loaded from " + jar);
        assertTrue(jar.getFileName().toString().matches("memshare-.*\\.jar"), "not a JAR: " + jar);
        assertTrue(jar.toString().contains("/org/memshare/memshare/"), "not from a Maven repository: " + jar);
        assertNull(System.getProperty("memshare.library.path"), "the native library must come from the JAR");
        String sha256 = System.getProperty("memshare.jar.sha256", "");
        if (!sha256.isEmpty()) {   // set by scripts/package: the JAR it just built
            String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar)));
            assertEquals(sha256, actual, "the installed JAR is not the one scripts/package built");
        }

        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            QuickStart.main(new String[0]);
        } finally {
            System.setOut(out);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        // quickstart.out was written by hand from the quick start's own inputs: X = 1..6
        // column-major, so X[2,3] = 6; column j of the big matrix holds j*1000 + i, so
        // X[4,8] = 7*1000 + 3. scripts/package compares an aarch64 JVM's output with it too.
        String expected;
        try (InputStream in = QuickStartTest.class.getResourceAsStream("/quickstart.out")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(expected, printed);
        assertTrue(Memshare.viewList().isEmpty());

        // The native code is the copy the loader extracted from the JAR (mapped, its file already
        // deleted), not a library found on java.library.path.
        if (Files.isReadable(Paths.get("/proc/self/maps"))) {
            List<String> natives = Files.readAllLines(Paths.get("/proc/self/maps")).stream()
                    .filter(l -> l.matches(".*/memshare-[^/]*-libmemshare\\.so( \\(deleted\\))?$"))
                    .map(l -> l.substring(l.indexOf('/'))).distinct().collect(Collectors.toList());
            System.out.println("memshare native code mapped from " + natives);
            assertEquals(1, natives.size(), "expected one extracted libmemshare.so in /proc/self/maps: " + natives);
        }
    }
}
