package org.memshare.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.memshare.NativeLibraryException;

/**
 * Loads the memshare JNI library once per class loader. Order: the file named by the system
 * property {@value #OVERRIDE_PROPERTY}; the library bundled in the JAR under
 * {@code org/memshare/native/<os>-<arch>/}, extracted to a uniquely named temporary file; then
 * {@code System.loadLibrary("memshare")} on {@code java.library.path}. A failure names os.name,
 * os.arch, every path tried and the override property.
 */
public final class NativeLoader {
    /** System property naming a library file to load instead of the bundled one. */
    public static final String OVERRIDE_PROPERTY = "memshare.library.path";
    /** System property naming the directory to extract the bundled library to (default java.io.tmpdir). */
    public static final String TMPDIR_PROPERTY = "memshare.tmpdir";

    private static boolean loaded;

    private NativeLoader() {}

    /** Loads the library if this class loader has not yet; throws {@link NativeLibraryException}. */
    public static synchronized void load() {
        if (loaded) return;
        List<String> tried = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        String override = System.getProperty(OVERRIDE_PROPERTY);
        if (override != null && !override.isEmpty()) {
            tried.add(override + " (from -D" + OVERRIDE_PROPERTY + ")");
            try {
                System.load(Paths.get(override).toAbsolutePath().toString());
                loaded = true;
                return;
            } catch (Throwable t) {
                // An explicit override that fails must not silently fall back to another library.
                throw failure(tried, List.of(t));
            }
        }
        String resource = "/org/memshare/native/" + platformId() + "/" + System.mapLibraryName("memshare");
        tried.add("classpath:" + resource);
        try {
            if (loadBundled(resource, tried)) {
                loaded = true;
                return;
            }
        } catch (Throwable t) {
            failures.add(t);
        }
        tried.add("java.library.path=" + System.getProperty("java.library.path"));
        try {
            System.loadLibrary("memshare");
            loaded = true;
        } catch (Throwable t) {
            failures.add(t);
            throw failure(tried, failures);
        }
    }

    /** Canonical platform directory name, e.g. {@code linux-x86_64}, {@code windows-x86_64}, {@code macos-aarch64}. */
    public static String platformId() {
        return platformId(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /** Canonical platform directory name for these os.name / os.arch values. */
    public static String platformId(String osName, String osArch) {
        return osId(osName) + "-" + archId(osArch);
    }

    static String osId(String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) return "linux";
        if (os.startsWith("windows")) return "windows";
        if (os.startsWith("mac") || os.startsWith("darwin")) return "macos";
        return os.replaceAll("[^a-z0-9]", "");
    }

    static String archId(String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        switch (arch) {
            case "amd64": case "x86_64": case "x64": return "x86_64";
            case "aarch64": case "arm64": return "aarch64";
            default: return arch.replaceAll("[^a-z0-9_]", "");
        }
    }

    private static boolean loadBundled(String resource, List<String> tried) throws IOException {
        try (InputStream in = NativeLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                tried.set(tried.size() - 1, "classpath:" + resource + " (not in the JAR)");
                return false;
            }
            String dir = System.getProperty(TMPDIR_PROPERTY, System.getProperty("java.io.tmpdir"));
            Path file = Files.createTempFile(Paths.get(dir), "memshare-", "-" + System.mapLibraryName("memshare"));
            tried.add(file.toString() + " (extracted)");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toAbsolutePath().toString());
            } finally {
                // The loaded library stays mapped; POSIX lets us remove its name at once. Windows
                // refuses while it is loaded, so it goes at exit there.
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    file.toFile().deleteOnExit();
                }
            }
            return true;
        }
    }

    private static NativeLibraryException failure(List<String> tried, List<Throwable> failures) {
        StringBuilder msg = new StringBuilder("cannot load the memshare native library for os.name='")
                .append(System.getProperty("os.name")).append("', os.arch='").append(System.getProperty("os.arch"))
                .append("' (platform ").append(platformId()).append("); tried:");
        for (String t : tried) msg.append("\n  ").append(t);
        for (Throwable f : failures) msg.append("\n  failure: ").append(f);
        msg.append("\nSet -D").append(OVERRIDE_PROPERTY).append("=/path/to/").append(System.mapLibraryName("memshare"))
                .append(" to load a library built for this platform.");
        NativeLibraryException e = new NativeLibraryException(msg.toString(), failures.isEmpty() ? null : failures.get(0));
        for (int i = 1; i < failures.size(); i++) e.addSuppressed(failures.get(i));
        return e;
    }
}
