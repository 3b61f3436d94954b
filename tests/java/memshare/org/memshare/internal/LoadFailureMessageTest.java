package org.memshare.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The failure message on a platform we bundle nothing for. A musl JVM is not to be had here, so
 * its message is built from a musl Platform and the JAR listing of a release (the real
 * unsupported-platform run is in NativeLoaderTest).
 */
class LoadFailureMessageTest {
    private static final BundledLibraries RELEASE = new BundledLibraries("/app/lib/memshare-0.1.0.jar", true,
            List.of("linux-aarch64/libmemshare.so", "linux-x86_64/libmemshare.so", "windows-x86_64/memshare.dll"), null);

    private static String message(Platform platform) {
        String resource = "org/memshare/native/" + platform.id() + "/libmemshare.so";
        return NativeLoader.failureMessage(platform, false, RELEASE, List.of("classpath:" + resource + " (not bundled)",
                "System.loadLibrary(\"memshare\") on java.library.path=/usr/lib"),
                List.of(new UnsatisfiedLinkError("no memshare in java.library.path: /usr/lib")));
    }

    private static void assertNames(String message, String... expected) {
        for (String e : expected) assertTrue(message.contains(e), "names " + e + ": " + message);
    }

    @Test
    void onMuslItSaysMuslAndWhatThereIs() {
        String m = message(new Platform("Linux", "amd64", true));
        assertTrue(m.startsWith("cannot load the memshare native library: this is a musl libc system, and memshare bundles"
                + " libraries built for glibc only\n"), m);
        assertNames(m, "platform linux-x86_64-musl (os.name='Linux', os.arch='amd64')",
                "the JAR /app/lib/memshare-0.1.0.jar has: linux-aarch64/libmemshare.so, linux-x86_64/libmemshare.so,"
                        + " windows-x86_64/memshare.dll",
                "classpath:org/memshare/native/linux-x86_64-musl/libmemshare.so (not bundled)",
                "no memshare in java.library.path", "-Dmemshare.library.path=/path/to/");
    }

    @Test
    void onAnotherPlatformItNamesIt() {
        String m = message(new Platform("FreeBSD", "amd64", false));
        assertTrue(m.startsWith("cannot load the memshare native library: memshare bundles no library for this platform\n"), m);
        assertNames(m, "platform freebsd-x86_64 (os.name='FreeBSD', os.arch='amd64')", "linux-x86_64/libmemshare.so",
                "-Dmemshare.library.path=");
    }
}
