package org.memshare.internal;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.memshare.NativeLibraryException;

/**
 * Loads the memshare JNI library once per class loader. Order: the file named by the system
 * property {@value #OVERRIDE_PROPERTY}; the library bundled under
 * {@code org/memshare/native/<platform>/} (see {@link Platform}), extracted by
 * {@link LibraryExtractor}; then {@code System.loadLibrary("memshare")} on {@code java.library.path}.
 * A failure names the platform, what the JAR bundles, every path tried and the override property.
 */
public final class NativeLoader {
    /** System property naming a library file to load instead of the bundled one. */
    public static final String OVERRIDE_PROPERTY = "memshare.library.path";
    /** System property naming the directory to extract the bundled library under (default java.io.tmpdir). */
    public static final String TMPDIR_PROPERTY = "memshare.tmpdir";

    private static final System.Logger LOG = System.getLogger("org.memshare");
    /** The JVM's words when a library file is loaded, or being loaded, by another class loader. */
    private static final String OTHER_LOADER_SIGN = "in another classloader";

    private static boolean loaded;

    private NativeLoader() {}

    /** Loads the library if this class loader has not yet; throws {@link NativeLibraryException}. */
    public static synchronized void load() {
        if (loaded) return;
        String override = System.getProperty(OVERRIDE_PROPERTY);
        if (override != null && !override.isEmpty()) loadOverride(Paths.get(override).toAbsolutePath());
        else loadBundledOrFromLibraryPath(Platform.current());
        loaded = true;
    }

    /** This JVM's platform directory name, e.g. {@code linux-x86_64} or {@code linux-x86_64-musl}. */
    public static String platformId() {
        return Platform.current().id();
    }

    private static void loadOverride(Path file) {
        try {
            System.load(file.toString());
        } catch (UnsatisfiedLinkError | SecurityException e) {
            String what = file + " (from -D" + OVERRIDE_PROPERTY + ")";
            if (loadedByAnotherClassLoader(e)) throw sharedFile(what, "drop -D" + OVERRIDE_PROPERTY, e);
            // An explicit override that fails must not silently fall back to another library.
            throw new NativeLibraryException("cannot load the memshare native library " + what + " on "
                    + describe(Platform.current()) + ": " + e.getMessage() + "\nFix the path, or remove -D" + OVERRIDE_PROPERTY
                    + " to use the library bundled in the JAR.", e);
        }
    }

    private static void loadBundledOrFromLibraryPath(Platform platform) {
        String resource = platform.resource();
        String library = platform.libraryFileName();
        URL bundled = NativeLoader.class.getResource("/" + resource);
        List<String> tried = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        if (bundled == null) {
            tried.add("classpath:" + resource + " (not bundled)");
        } else {
            tried.add("classpath:" + resource + ", extracted");
            try {
                Path file = extractor().extractAndLoad(bundled, library);
                LOG.log(System.Logger.Level.DEBUG, "loaded the memshare native library from " + file);
                return;
            } catch (IOException | UnsatisfiedLinkError e) {
                failures.add(e);
            }
        }
        tried.add("System.loadLibrary(\"memshare\") on java.library.path=" + System.getProperty("java.library.path"));
        try {
            System.loadLibrary("memshare");
            return;
        } catch (UnsatisfiedLinkError e) {
            if (loadedByAnotherClassLoader(e))
                throw sharedFile(library + " from java.library.path", "take it off java.library.path", e);
            failures.add(e);
        }
        throw failure(platform, bundled != null, tried, failures);
    }

    /** Extraction under memshare.tmpdir or java.io.tmpdir, else ~/.cache/memshare; warnings to the "org.memshare" logger. */
    private static LibraryExtractor extractor() {
        String user = System.getProperty("user.name", "user");
        Path tmp = Paths.get(System.getProperty(TMPDIR_PROPERTY, System.getProperty("java.io.tmpdir")));
        List<Path> candidates = new ArrayList<>(List.of(LibraryExtractor.privateDirectoryUnder(tmp, user)));
        String home = System.getProperty("user.home", "");
        if (!home.isEmpty() && !home.equals("?")) candidates.add(Paths.get(home, ".cache", "memshare"));
        return new LibraryExtractor(candidates, user, file -> System.load(file.toString()), NativeLoader::warn);
    }

    private static void warn(String message) {
        LOG.log(System.Logger.Level.WARNING, message);
    }

    private static boolean loadedByAnotherClassLoader(Throwable e) {
        return String.valueOf(e.getMessage()).contains(OTHER_LOADER_SIGN);
    }

    /** The JVM loads one library file into one class loader only; say so and what to do. */
    private static NativeLibraryException sharedFile(String what, String otherRemedy, Throwable cause) {
        return new NativeLibraryException("cannot load the memshare native library " + what + " in this class loader: it is"
                + " already loaded by another class loader of this JVM, and a JVM loads one library file into one class"
                + " loader only. Either load memshare from a class loader both share (put the memshare JAR on the"
                + " application or server class path instead of in each application), or " + otherRemedy
                + " so that each class loader extracts its own copy of the library bundled in the JAR.", cause);
    }

    private static String describe(Platform p) {
        return "platform " + p.id() + " (os.name='" + p.osName() + "', os.arch='" + p.osArch() + "')";
    }

    private static NativeLibraryException failure(Platform platform, boolean bundled, List<String> tried, List<Throwable> failures) {
        String message = failureMessage(platform, bundled, BundledLibraries.besides(NativeLoader.class), tried, failures);
        NativeLibraryException e = new NativeLibraryException(message, failures.isEmpty() ? null : failures.get(0));
        for (int i = 1; i < failures.size(); i++) e.addSuppressed(failures.get(i));
        return e;
    }

    /** What went wrong, on what, with what the JAR has, and what the user can do. */
    static String failureMessage(Platform platform, boolean bundled, BundledLibraries present, List<String> tried,
            List<Throwable> failures) {
        String headline;
        if (bundled) headline = "the library bundled for " + platform.id() + " did not load";
        else if (platform.musl()) headline = "this is a musl libc system, and memshare bundles libraries built for glibc only";
        else headline = "memshare bundles no library for this platform";
        StringBuilder msg = new StringBuilder("cannot load the memshare native library: ").append(headline)
                .append("\n  ").append(describe(platform))
                .append("\n  bundled: ").append(present.describe())
                .append("\n  tried:");
        for (String t : tried) msg.append("\n    ").append(t);
        for (Throwable f : failures) msg.append("\n  failure: ").append(f);
        String library = platform.libraryFileName();
        msg.append("\nBuild ").append(library).append(" for ").append(platform.id())
                .append(" (CMake; see docs/BUILD.md in the memshare sources) and set -D").append(OVERRIDE_PROPERTY).append("=/path/to/")
                .append(library).append(", or put it on java.library.path.");
        return msg.toString();
    }
}
