package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.memshare.internal.NativeLoader;

/** The loader, in fresh JVMs (a JVM loads a library once): override, bundled resource, failure message. */
class NativeLoaderTest {
    /** Child main: touches the library and prints the outcome. */
    public static void main(String[] args) {
        try {
            System.out.println("PAGES " + Memshare.pageList());
            // Which file the JVM mapped: the extracted copy or the override.
            for (String line : Files.readAllLines(Paths.get("/proc/self/maps")))
                if (line.contains(System.mapLibraryName("memshare"))) {
                    System.out.println("LIB " + line.substring(line.indexOf('/')));
                    break;
                }
        } catch (java.io.IOException e) {
            System.out.println("IOException " + e);
        } catch (MemshareException e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String run(String... jvmArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Fixtures.javaBin()));
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), NativeLoaderTest.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void bundledLibraryIsExtractedToAUniqueFileAndLoaded() throws Exception {
        List<String> out = run().lines().toList();
        assertEquals("PAGES []", out.get(0), out.toString());
        String lib = out.get(1);
        // A unique temporary name (never a fixed one), removed from the directory once loaded.
        assertTrue(lib.matches("LIB .*/memshare-[0-9]+-libmemshare\\.so \\(deleted\\)"), lib);
    }

    @Test
    void overrideThatDoesNotExistFailsWithTheWholeStory() throws Exception {
        String out = run("-D" + NativeLoader.OVERRIDE_PROPERTY + "=/nonexistent/libmemshare.so");
        assertTrue(out.startsWith("NativeLibraryException: "), out);
        for (String expected : List.of("os.name='" + System.getProperty("os.name") + "'",
                "os.arch='" + System.getProperty("os.arch") + "'", "/nonexistent/libmemshare.so",
                "-D" + NativeLoader.OVERRIDE_PROPERTY))
            assertTrue(out.contains(expected), "message names " + expected + ": " + out);
    }

    @Test
    void overrideThatExistsIsUsed() throws Exception {
        Path bundled = Paths.get("target", "classes", "org", "memshare", "native", NativeLoader.platformId(),
                System.mapLibraryName("memshare"));
        assertTrue(Files.isRegularFile(bundled), "the build put the library at " + bundled);
        Path copy = Files.createTempFile("memshare-override-", "-" + System.mapLibraryName("memshare"));
        try {
            Files.copy(bundled, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            List<String> out = run("-D" + NativeLoader.OVERRIDE_PROPERTY + "=" + copy).lines().toList();
            assertEquals(List.of("PAGES []", "LIB " + copy.toRealPath()), out);
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    @Test
    void platformIdsAreCanonical() {
        assertEquals("linux-x86_64", NativeLoader.platformId("Linux", "amd64"));
        assertEquals("linux-aarch64", NativeLoader.platformId("Linux", "aarch64"));
        assertEquals("windows-x86_64", NativeLoader.platformId("Windows 11", "amd64"));
        assertEquals("macos-aarch64", NativeLoader.platformId("Mac OS X", "aarch64"));
        assertEquals("macos-x86_64", NativeLoader.platformId("Mac OS X", "x86_64"));
    }
}
