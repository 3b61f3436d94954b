package org.memshare.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The platform the JVM runs on, as the name of the directory its library is bundled under:
 * {@code <os>-<arch>}, plus {@code -musl} on a Linux whose C library is musl (we bundle glibc
 * builds only, and a glibc build does not load there).
 *
 * @param osName the JVM's {@code os.name}
 * @param osArch the JVM's {@code os.arch}
 * @param musl whether the C library is musl (Linux only)
 */
record Platform(String osName, String osArch, boolean musl) {
    /** The platform of this JVM: {@code os.name}, {@code os.arch} and, on Linux, its C library. */
    static Platform current() {
        String osName = System.getProperty("os.name", "");
        String osArch = System.getProperty("os.arch", "");
        boolean musl = osId(osName).equals("linux") && isMusl(readLines(Paths.get("/proc/self/maps")), listNames(Paths.get("/lib")));
        return new Platform(osName, osArch, musl);
    }

    /** The directory name, e.g. {@code linux-x86_64}, {@code linux-x86_64-musl}, {@code windows-x86_64}, {@code darwin-aarch64}. */
    String id() {
        return osId(osName) + "-" + archId(osArch) + (musl ? "-musl" : "");
    }

    /**
     * The file name of the memshare library on this platform: {@code libmemshare.so},
     * {@code memshare.dll} or {@code libmemshare.dylib} (macOS's JVMs report "Mac OS X" on every
     * version, Intel and Apple silicon alike); for an OS we do not build for, the running JVM's
     * {@code System.mapLibraryName}.
     */
    String libraryFileName() {
        switch (osId(osName)) {
            case "linux": return "libmemshare.so";
            case "windows": return "memshare.dll";
            case "darwin": return "libmemshare.dylib";
            default: return System.mapLibraryName("memshare");
        }
    }

    /** The class-path resource of the bundled library, e.g. {@code org/memshare/native/darwin-aarch64/libmemshare.dylib}. */
    String resource() {
        return BundledLibraries.ROOT + id() + "/" + libraryFileName();
    }

    /**
     * {@code linux}, {@code windows}, {@code darwin} (macOS, as the JDK's {@code include/darwin}
     * and CMake's {@code CMAKE_SYSTEM_NAME} call it), {@code solaris}, or os.name reduced to [a-z0-9].
     */
    static String osId(String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) return "linux";
        if (os.startsWith("windows")) return "windows";
        if (os.startsWith("mac") || os.startsWith("darwin")) return "darwin";
        if (os.startsWith("sunos") || os.startsWith("solaris")) return "solaris";
        return os.replaceAll("[^a-z0-9]", "");
    }

    /** One name per instruction set whatever the JVM vendor calls it, e.g. amd64 and x64 are x86_64. */
    static String archId(String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        switch (arch) {
            case "amd64": case "x86_64": case "x64": return "x86_64";
            case "aarch64": case "arm64": return "aarch64";
            case "x86": case "i386": case "i486": case "i586": case "i686": return "x86";
            default: return arch.replaceAll("[^a-z0-9_]", "");
        }
    }

    /**
     * Whether a process is on musl, from the lines of its {@code /proc/self/maps} and the names in
     * {@code /lib}. The maps decide when they show a C library: musl's is its dynamic linker
     * {@code ld-musl-<arch>.so.1} (Alpine also names it {@code libc.musl-<arch>.so.1}); glibc's is
     * {@code libc.so.6}. Only when they show neither (unreadable, or a linker path we do not know)
     * does {@code /lib/ld-musl-*.so.1} decide: a glibc system may have musl installed beside it
     * (Debian's musl package puts that file there), so its mere presence is the weaker sign.
     */
    static boolean isMusl(List<String> mapsLines, List<String> libNames) {
        boolean glibc = false;
        for (String line : mapsLines) {
            if (line.contains("/ld-musl-") || line.contains("/libc.musl-")) return true;
            if (line.endsWith("/libc.so.6") || line.contains("/ld-linux")) glibc = true;
        }
        if (glibc) return false;
        for (String name : libNames)
            if (name.startsWith("ld-musl-") && name.endsWith(".so.1")) return true;
        return false;
    }

    /** The file's lines, or none if it cannot be read (the caller then has less to go on, not an error). */
    private static List<String> readLines(Path file) {
        try {
            // Latin-1 decodes any byte, so an odd path in the maps cannot make the read fail.
            return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static List<String> listNames(Path dir) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) names.add(p.getFileName().toString());
        } catch (IOException | RuntimeException e) {
            // no /lib: nothing to go on
        }
        return names;
    }
}
