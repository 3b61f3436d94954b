package org.memshare.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing what a JAR or classes directory bundles under org/memshare/native/. */
class BundledLibrariesTest {
    @Test
    void listsTheClassesDirectoryTheLoaderCameFrom() throws Exception {
        BundledLibraries found = BundledLibraries.besides(NativeLoader.class);
        Path classes = Paths.get(NativeLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertNull(found.problem());
        assertFalse(found.isJar());
        assertEquals(classes.toString(), found.location());
        // The build put this platform's library there (and only the cross builds could add more).
        String here = NativeLoader.platformId() + "/" + System.mapLibraryName("memshare");
        assertTrue(found.entries().contains(here), found.entries().toString());
        assertTrue(found.describe().startsWith("the classes directory " + classes + " has: "), found.describe());
    }

    @Test
    void listsAJar(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("memshare x.jar");   // a space, to see the path decoded
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("org/", "org/memshare/", "org/memshare/internal/", "org/memshare/native/",
                    "org/memshare/native/windows-x86_64/", "org/memshare/native/windows-x86_64/memshare.dll",
                    "org/memshare/native/linux-x86_64/libmemshare.so", "org/memshare/native/linux-aarch64/libmemshare.so",
                    "org/memshare/internal/NativeLoader.class", "org/memshare/Other.class")) {
                out.putNextEntry(new JarEntry(name));
                if (!name.endsWith("/")) out.write(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        URL classFile = new URL("jar:" + jar.toUri() + "!/org/memshare/internal/NativeLoader.class");
        BundledLibraries found = BundledLibraries.of(classFile, "org.memshare.internal.NativeLoader");
        assertEquals(List.of("linux-aarch64/libmemshare.so", "linux-x86_64/libmemshare.so", "windows-x86_64/memshare.dll"),
                found.entries());
        assertEquals("the JAR " + jar + " has: linux-aarch64/libmemshare.so, linux-x86_64/libmemshare.so,"
                + " windows-x86_64/memshare.dll", found.describe());
    }

    @Test
    void aJarWithoutLibrariesSaysSo(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("bare.jar");
        try (OutputStream f = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(f)) {
            out.putNextEntry(new JarEntry("org/memshare/internal/NativeLoader.class"));
            out.closeEntry();
        }
        BundledLibraries found = BundledLibraries.of(new URL("jar:" + jar.toUri() + "!/org/memshare/internal/NativeLoader.class"),
                "org.memshare.internal.NativeLoader");
        assertEquals("the JAR " + jar + " has no native libraries under org/memshare/native/", found.describe());
    }

    @Test
    void aLocationThatCannotBeListedSaysWhy() throws Exception {
        BundledLibraries found = BundledLibraries.of(String.class.getResource("String.class"), "java.lang.String");
        assertEquals("the classes came from jrt:/java.base/java/lang/String.class, which cannot be listed: it is neither"
                + " a jar: nor a file: location", found.describe());
    }
}
