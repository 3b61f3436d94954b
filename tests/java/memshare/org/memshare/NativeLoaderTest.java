package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memshare.internal.NativeLoader;
import org.memshare.facade.Memshare;

/**
 * The loader, in fresh JVMs (a JVM loads a library once): override, bundled resource in a private
 * directory, an unsupported platform, a noexec temp directory.
 */
@StartsProcesses
class NativeLoaderTest {
    private static final String USER = System.getProperty("user.name");
    private static final String LIB = System.mapLibraryName("memshare");

    /** Child main: touches the library, does a register/view round trip in namespace args[0], prints the outcome. */
    public static void main(String[] args) {
        try {
            System.out.println("PAGES " + Memshare.pageList());
            Memshare.registerVariables(args[0], Map.of("X", Matrix.of(2, 2, new double[] {1, 2, 3, 4})));
            MatrixView x = (MatrixView) Memshare.retrieveViews(args[0], "X").get("X");
            System.out.println("ROUNDTRIP " + x.get(0, 0) + " " + x.get(1, 0) + " " + x.get(0, 1) + " " + x.get(1, 1));
            Memshare.releaseViews(args[0], "X");
            Memshare.releaseVariables(args[0], "X");
            // Which file the JVM mapped: the extracted copy or the override.
            for (String line : Files.readAllLines(Paths.get("/proc/self/maps")))
                if (line.contains(LIB)) {
                    System.out.println("LIB " + line.substring(line.indexOf('/')));
                    break;
                }
        } catch (java.io.IOException e) {
            System.out.println("IOException " + e);
        } catch (MemshareException e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Runs {@link #main} in a fresh JVM (after {@code launcher}); its stdout and stderr, once it exited 0. */
    private static String run(List<String> launcher, String classPath, String... jvmArgs) throws Exception {
        String ns = Fixtures.uniqueNamespace();
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(Fixtures.bundledJavaCommand());
        cmd.add("-Xcheck:jni");
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", classPath, NativeLoaderTest.class.getName(), ns));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // Exit 0: a failure to load is an exception the child prints, never a crash.
        assertEquals(0, p.waitFor(), out);
        Fixtures.assertNoShmEntries(ns);
        return out;
    }

    private static String run(String... jvmArgs) throws Exception {
        return run(List.of(), System.getProperty("java.class.path"), jvmArgs);
    }

    private static String line(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("(no " + prefix + "line in: " + out + ")");
    }

    private static final String WORKS = "ROUNDTRIP 1.0 2.0 3.0 4.0";

    @Test
    void bundledLibraryIsExtractedToAUniqueFileInAPrivateDirectory(@TempDir Path tmp) throws Exception {
        String out = run("-Djava.io.tmpdir=" + tmp);
        assertEquals(List.of("PAGES []", WORKS), out.lines().limit(2).collect(Collectors.toList()), out);
        Path dir = tmp.resolve("memshare-" + USER);
        // A unique name (never a fixed one) in our 0700 directory, removed once loaded.
        String expected = "LIB " + dir + "/memshare-[0-9]+-" + LIB.replace(".", "\\.") + " \\(deleted\\)";
        assertTrue(line(out, "LIB ").matches(expected), out);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count());
        }
        assertFalse(out.contains("WARNING"), out);
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
        Path bundled = classesDir().resolve(Paths.get("org", "memshare", "native", NativeLoader.platformId(), LIB));
        assertTrue(Files.isRegularFile(bundled), "the build put the library at " + bundled);
        Path copy = Files.createTempFile("memshare-override-", "-" + LIB);
        try {
            Files.copy(bundled, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            List<String> out = run("-D" + NativeLoader.OVERRIDE_PROPERTY + "=" + copy).lines().collect(Collectors.toList());
            assertEquals(List.of("PAGES []", WORKS, "LIB " + copy.toRealPath()), out);
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /**
     * A platform we bundle nothing for, for real: the child JVM believes it is Solaris on SPARC.
     * Once with the classes directory on the class path, once with a JAR made of it.
     */
    @ParameterizedTest(name = "from a {0}")
    @ValueSource(strings = {"classes directory", "JAR"})
    void unsupportedPlatformFailsNamingThePlatformWhatIsBundledAndTheOverride(String from, @TempDir Path tmp) throws Exception {
        Path classes = classesDir();
        String where = "the classes directory " + classes;
        String classPath = System.getProperty("java.class.path");
        if (from.equals("JAR")) {
            Path jar = jarOf(classes, tmp.resolve("memshare.jar"));
            where = "the JAR " + jar;
            // The JAR instead of the classes directory; the rest (test classes, junit) as it was.
            List<String> entries = Stream.of(classPath.split(File.pathSeparator))
                    .filter(e -> !Paths.get(e).toAbsolutePath().equals(classes)).collect(Collectors.toList());
            entries.add(0, jar.toString());
            classPath = String.join(File.pathSeparator, entries);
        }
        String out = run(List.of(), classPath, "-Dos.name=SunOS", "-Dos.arch=sparcv9", "-Djava.io.tmpdir=" + tmp);
        assertTrue(out.startsWith("NativeLibraryException: cannot load the memshare native library: memshare bundles no"
                + " library for this platform"), out);
        for (String expected : List.of("platform solaris-sparcv9 (os.name='SunOS', os.arch='sparcv9')",
                where + " has: ", HostPlatform.linuxId() + "/" + LIB, "org/memshare/native/solaris-sparcv9/" + LIB + " (not bundled)",
                "java.library.path=", "-D" + NativeLoader.OVERRIDE_PROPERTY + "=/path/to/" + LIB))
            assertTrue(out.contains(expected), "message names " + expected + ": " + out);
        assertFalse(out.contains("ROUNDTRIP"), out);
    }

    /**
     * java.io.tmpdir on a noexec file system, for real: a private mount namespace (unshare -m) with
     * a noexec tmpfs over an empty directory. The library must load from ~/.cache/memshare instead,
     * and the warning say so.
     */
    @Test
    void noexecTempDirectoryFallsBackToTheCacheDirectoryAndSaysSo(@TempDir Path noexec, @TempDir Path home) throws Exception {
        String why = whyNoMountNamespace(noexec);
        if (why != null) System.out.println("NativeLoaderTest: noexec test skipped: " + why);
        assumeTrue(why == null, why);
        List<String> launcher = List.of("unshare", "-m", "sh", "-c",
                "mount -t tmpfs -o noexec,size=64m tmpfs \"$0\" && exec \"$@\"", noexec.toString());
        String out = run(launcher, System.getProperty("java.class.path"), "-Djava.io.tmpdir=" + noexec, "-Duser.home=" + home);
        Path cache = home.resolve(".cache").resolve("memshare");
        assertEquals(WORKS, line(out, "ROUNDTRIP"), out);
        assertTrue(line(out, "LIB ").startsWith("LIB " + cache + "/memshare-"), out);
        String warning = line(out, "WARNING: ");
        for (String expected : List.of("from " + cache + " instead", "could not load it from " + noexec.resolve("memshare-" + USER),
                "noexec", "failed to map segment from shared object"))
            assertTrue(warning.contains(expected), "warning names " + expected + ": " + out);
    }

    /** Null if this process may make a mount namespace with a noexec tmpfs; else why not. */
    private static String whyNoMountNamespace(Path dir) throws Exception {
        try {
            Process p = new ProcessBuilder("unshare", "-m", "sh", "-c", "mount -t tmpfs -o noexec,size=1m tmpfs \"$0\"",
                    dir.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? null : "unshare -m + mount failed (needs root or CAP_SYS_ADMIN; running as " + USER + "): " + out;
        } catch (java.io.IOException e) {
            return "cannot run unshare: " + e.getMessage();
        }
    }

    static Path classesDir() throws Exception {
        return Paths.get(NativeLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** A JAR of everything under {@code classes}, as Maven would package it. */
    private static Path jarOf(Path classes, Path jar) throws Exception {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                if (f.equals(classes)) continue;
                String name = classes.relativize(f).toString().replace(File.separatorChar, '/');
                out.putNextEntry(new JarEntry(Files.isDirectory(f) ? name + "/" : name));
                if (!Files.isDirectory(f)) Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
