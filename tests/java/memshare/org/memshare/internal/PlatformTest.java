package org.memshare.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Platform ids from os.name / os.arch / libc, and musl detection on real and sample inputs. */
class PlatformTest {
    @ParameterizedTest(name = "{0} / {1} / musl={2} -> {3}")
    @CsvSource({
        "Linux,             amd64,   false, linux-x86_64",
        "Linux,             x86_64,  false, linux-x86_64",
        "Linux,             aarch64, false, linux-aarch64",
        "Linux,             amd64,   true,  linux-x86_64-musl",
        "Linux,             aarch64, true,  linux-aarch64-musl",
        "Linux,             i686,    false, linux-x86",
        "Linux,             ppc64le, false, linux-ppc64le",
        "Windows 11,        amd64,   false, windows-x86_64",
        "Windows Server 2022, x64,   false, windows-x86_64",
        "Mac OS X,          aarch64, false, darwin-aarch64",
        "Mac OS X,          x86_64,  false, darwin-x86_64",
        "Mac OS X,          amd64,   false, darwin-x86_64",
        "Darwin,            arm64,   false, darwin-aarch64",
        "SunOS,             sparcv9, false, solaris-sparcv9",
        "FreeBSD,           amd64,   false, freebsd-x86_64",
        "AIX,               ppc64,   false, aix-ppc64",
    })
    void platformIds(String osName, String osArch, boolean musl, String id) {
        assertEquals(id, new Platform(osName, osArch, musl).id());
    }

    /**
     * The resource each platform's JVM looks for: the directory and file names scripts/package puts
     * into the JAR (docs/BUILD.md, "Packaging"), written out here, not derived from the code.
     */
    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource({
        "Linux,      amd64,   org/memshare/native/linux-x86_64/libmemshare.so",
        "Linux,      aarch64, org/memshare/native/linux-aarch64/libmemshare.so",
        "Windows 11, amd64,   org/memshare/native/windows-x86_64/memshare.dll",
        "Mac OS X,   aarch64, org/memshare/native/darwin-aarch64/libmemshare.dylib",
        "Mac OS X,   x86_64,  org/memshare/native/darwin-x86_64/libmemshare.dylib",
    })
    void bundledResources(String osName, String osArch, String resource) {
        assertEquals(resource, new Platform(osName, osArch, false).resource());
    }

    /** The written-out file names agree with what this JVM itself would call the library. */
    @Test
    void fileNameIsThisJvmsOwn() {
        assertEquals(System.mapLibraryName("memshare"), Platform.current().libraryFileName());
    }

    /** What a JVM on Alpine maps: musl's dynamic linker is its C library. */
    private static final List<String> ALPINE_MAPS = List.of(
            "55d0c1a00000-55d0c1a01000 r--p 00000000 00:2f 1844  /usr/lib/jvm/java-17-openjdk/bin/java",
            "7f3a5c200000-7f3a5d1c6000 r-xp 00000000 00:2f 2101  /usr/lib/jvm/java-17-openjdk/lib/server/libjvm.so",
            "7f3a5d9e1000-7f3a5d9f5000 r--p 00000000 00:2f 12    /lib/ld-musl-x86_64.so.1",
            "7f3a5d9f5000-7f3a5da41000 r-xp 00014000 00:2f 12    /lib/ld-musl-x86_64.so.1",
            "7ffd1b5e2000-7ffd1b603000 rw-p 00000000 00:00 0     [stack]");

    /** Void Linux (musl) names its C library /usr/lib/libc.so; /lib/ld-musl-*.so.1 links to it. */
    private static final List<String> VOID_MUSL_MAPS = List.of(
            "7f3a5c200000-7f3a5d1c6000 r-xp 00000000 00:2f 2101  /usr/lib/jvm/openjdk17/lib/server/libjvm.so",
            "7f3a5d9f5000-7f3a5da41000 r-xp 00014000 00:2f 12    /usr/lib/libc.so");

    private static final List<String> GLIBC_MAPS = List.of(
            "7f6d8e4d5000-7f6d8e62b000 r-xp 00026000 fe:00 339380 /usr/lib/x86_64-linux-gnu/libc.so.6",
            "7f6d8e6c0000-7f6d8e6e5000 r-xp 00001000 fe:00 339369 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");

    @Test
    void muslSamplesAreMusl() {
        assertTrue(Platform.isMusl(ALPINE_MAPS, List.of()));
        assertTrue(Platform.isMusl(List.of("7f00-7f01 r-xp 0 00:2f 12 /lib/libc.musl-aarch64.so.1"), List.of()));
        // The maps name no C library we know: the linker in /lib decides.
        assertTrue(Platform.isMusl(VOID_MUSL_MAPS, List.of("ld-musl-x86_64.so.1", "libc.so")));
        assertTrue(Platform.isMusl(List.of(), List.of("ld-musl-aarch64.so.1")));
    }

    @Test
    void glibcSamplesAreNotMusl() {
        assertFalse(Platform.isMusl(GLIBC_MAPS, List.of("ld-linux-x86-64.so.2")));
        // Debian with its musl package installed: the process still runs on glibc.
        assertFalse(Platform.isMusl(GLIBC_MAPS, List.of("ld-linux-x86-64.so.2", "ld-musl-x86_64.so.1")));
        assertFalse(Platform.isMusl(List.of(), List.of()));
    }

    @Test
    void thisGlibcMachineIsNotMusl() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "needs Linux");
        List<String> maps = Files.readAllLines(Paths.get("/proc/self/maps"), StandardCharsets.ISO_8859_1);
        // Only meaningful if this JVM really runs on glibc (so the answer false is the right one).
        assertTrue(maps.stream().anyMatch(l -> l.endsWith("/libc.so.6")), "this JVM maps glibc's libc.so.6");
        List<String> lib;
        try (Stream<Path> s = Files.list(Paths.get("/lib"))) {
            lib = s.map(p -> p.getFileName().toString()).collect(Collectors.toList());
        }
        assertFalse(Platform.isMusl(maps, lib));
        Platform here = Platform.current();
        assertFalse(here.musl());
        assertEquals(org.memshare.HostPlatform.linuxId(), here.id());
    }
}
