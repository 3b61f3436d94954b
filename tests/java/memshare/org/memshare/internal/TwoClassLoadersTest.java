package org.memshare.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.StartsProcesses;

/**
 * memshare under two class loaders of one JVM, as in an application server: two
 * {@link URLClassLoader}s over the same classes directory, each with its own copy of every memshare
 * class, used through reflection. Each extracts its own uniquely named copy of the library, so
 * both load; with {@code -Dmemshare.library.path} they would share one file, which the JVM refuses,
 * and the second must say why and what to do.
 */
@StartsProcesses
class TwoClassLoadersTest {
    private static final String LIB = System.mapLibraryName("memshare");

    /** The memshare facade of one class loader, through reflection. */
    private static final class Facade {
        private final ClassLoader loader;
        private final Class<?> memshare;

        Facade(ClassLoader loader) throws ClassNotFoundException {
            this.loader = loader;
            this.memshare = Class.forName("org.memshare.facade.Memshare", true, loader);
        }

        void register(String ns, String name, int nrow, int ncol, double[] columnMajor) throws Exception {
            Object matrix = Class.forName("org.memshare.Matrix", true, loader).getMethod("of", int.class, int.class, double[].class)
                    .invoke(null, nrow, ncol, columnMajor);
            memshare.getMethod("registerVariables", String.class, Map.class).invoke(null, ns, Map.of(name, matrix));
        }

        /** The matrix {@code name} as seen through a view, column by column; the view is released again. */
        String read(String ns, String name) throws Exception {
            Map<?, ?> views = (Map<?, ?>) memshare.getMethod("retrieveViews", String.class, String[].class)
                    .invoke(null, ns, new String[] {name});
            Object view = views.get(name);
            Class<?> arrayView = Class.forName("org.memshare.ArrayView", true, loader);
            long nrow = (Long) arrayView.getMethod("nrow").invoke(view);
            long ncol = (Long) arrayView.getMethod("ncol").invoke(view);
            StringBuilder sb = new StringBuilder(nrow + "x" + ncol);
            for (long j = 0; j < ncol; j++)
                for (long i = 0; i < nrow; i++) sb.append(' ').append(arrayView.getMethod("get", long.class, long.class).invoke(view, i, j));
            memshare.getMethod("releaseViews", String.class, String[].class).invoke(null, ns, new String[] {name});
            return sb.toString();
        }

        void release(String ns, String name) throws Exception {
            memshare.getMethod("releaseVariables", String.class, String[].class).invoke(null, ns, new String[] {name});
        }
    }

    /**
     * Child main: args = classes directory, namespace. Loader A registers a 2x3 matrix, loader B
     * reads it through a view; prints what B read (or why it failed), then the distinct memshare
     * library files this JVM mapped.
     */
    public static void main(String[] args) throws Exception {
        URL[] classes = {Paths.get(args[0]).toUri().toURL()};
        String ns = args[1];
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        try (URLClassLoader a = new URLClassLoader("memshare-a", classes, platform);
                URLClassLoader b = new URLClassLoader("memshare-b", classes, platform)) {
            Facade fa = new Facade(a);
            Facade fb = new Facade(b);
            System.out.println("SEPARATE CLASSES " + (fa.memshare != fb.memshare));
            fa.register(ns, "X", 2, 3, new double[] {1, 2, 3, 4, 5, 6});
            try {
                System.out.println("B READ " + fb.read(ns, "X"));
            } catch (InvocationTargetException e) {
                System.out.println("B FAILED " + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
            }
            fa.release(ns, "X");
            System.out.println("LIBRARIES " + Files.readAllLines(Paths.get("/proc/self/maps")).stream()
                    .filter(l -> l.contains(LIB)).map(l -> l.substring(l.indexOf('/'))).distinct().count());
        }
    }

    private static List<String> runChild(String ns, String... jvmArgs) throws Exception {
        Path classes = Paths.get(NativeLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> cmd = new ArrayList<>(org.memshare.Fixtures.bundledJavaCommand());
        cmd.add("-Xcheck:jni");
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TwoClassLoadersTest.class.getName(), classes.toString(), ns));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertEquals(List.of(), shmEntries(ns), "left in /dev/shm; output: " + out);
        return out.lines().collect(Collectors.toList());
    }

    private static String uniqueNamespace() {
        return "jtcl" + ProcessHandle.current().pid() + "_" + System.nanoTime();
    }

    private static List<String> shmEntries(String ns) throws IOException {
        try (Stream<Path> s = Files.list(Paths.get("/dev/shm"))) {
            List<String> left = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(ns + ".")).collect(Collectors.toList());
            for (String n : left) Files.deleteIfExists(Paths.get("/dev/shm", n));   // no litter for the next run
            return left;
        }
    }

    @Test
    void eachClassLoaderLoadsItsOwnCopyAndTheySeeEachOthersSegments(@TempDir Path tmp) throws Exception {
        List<String> out = runChild(uniqueNamespace(), "-Djava.io.tmpdir=" + tmp);
        assertEquals(List.of("SEPARATE CLASSES true", "B READ 2x3 1.0 2.0 3.0 4.0 5.0 6.0", "LIBRARIES 2"), out);
    }

    @Test
    void theOverrideCannotServeTwoClassLoadersAndTheErrorSaysWhatToDo(@TempDir Path tmp) throws Exception {
        Path bundled = Paths.get(NativeLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(Paths.get("org", "memshare", "native", NativeLoader.platformId(), LIB));
        Path copy = Files.copy(bundled, tmp.resolve(LIB));
        List<String> out = runChild(uniqueNamespace(), "-D" + NativeLoader.OVERRIDE_PROPERTY + "=" + copy);
        assertEquals(3, out.size(), out.toString());
        assertEquals("SEPARATE CLASSES true", out.get(0));
        String failure = out.get(1);
        for (String expected : List.of("B FAILED NativeLibraryException: ", copy.toString(),
                "already loaded by another class loader", "a class loader both share", "drop -D" + NativeLoader.OVERRIDE_PROPERTY,
                "extracts its own copy"))
            assertTrue(failure.contains(expected), "names " + expected + ": " + failure);
        assertEquals("LIBRARIES 1", out.get(2));
    }
}
