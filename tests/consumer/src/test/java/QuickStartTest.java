import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.memshare.Memshare;

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
        // Expected values come from the quick start's own inputs: X = 1..6 column-major, so
        // X[2,3] = 6; column j of the big matrix holds j*1000 + i, so X[4,8] = 7*1000 + 3.
        assertEquals(String.join("\n",
                "X[2,3] = 6.0",
                "pages [rns.X, rns.y], views [rns.X, rns.y]",
                "X[4,8] = 7003.0 = 7003.0",
                "left: []", ""), printed);
        assertTrue(Memshare.viewList().isEmpty());
    }
}
