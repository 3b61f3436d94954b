package org.memshare.internal;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * What native libraries the memshare classes came with: the files under {@value #ROOT} in the
 * JAR or classes directory that holds a given class. Used to tell a user on an unsupported
 * platform what there is, from the JAR itself rather than from a list that can go stale.
 *
 * @param location the JAR or classes directory, as the user would recognise it
 * @param isJar whether {@code location} is a JAR
 * @param entries the paths below {@value #ROOT}, sorted, e.g. {@code linux-x86_64/libmemshare.so}
 * @param problem why nothing could be listed, or null
 */
record BundledLibraries(String location, boolean isJar, List<String> entries, String problem) {
    /** The resource directory holding one subdirectory per platform. */
    static final String ROOT = "org/memshare/native/";

    /** The libraries beside {@code anchor}'s class file. */
    static BundledLibraries besides(Class<?> anchor) {
        return of(anchor.getResource(anchor.getSimpleName() + ".class"), anchor.getName());
    }

    /**
     * The libraries beside a class file found at {@code classFile} ({@code jar:} or {@code file:}
     * URL) for the class named {@code className}.
     */
    static BundledLibraries of(URL classFile, String className) {
        if (classFile == null) return new BundledLibraries("(unknown)", false, List.of(), "the class file is not a resource");
        try {
            switch (classFile.getProtocol()) {
                case "jar": return inJar((JarURLConnection) classFile.openConnection());
                case "file": return inDirectory(classesRoot(Paths.get(classFile.toURI()), className));
                default: return new BundledLibraries(classFile.toString(), false, List.of(),
                        "it is neither a jar: nor a file: location");
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return new BundledLibraries(classFile.toString(), false, List.of(), e.toString());
        }
    }

    /** {@code "the JAR /x/memshare.jar has: a, b"}, or why it has none or cannot say. */
    String describe() {
        if (problem != null) return "the classes came from " + location + ", which cannot be listed: " + problem;
        String where = (isJar ? "the JAR " : "the classes directory ") + location;
        if (entries.isEmpty()) return where + " has no native libraries under " + ROOT;
        return where + " has: " + String.join(", ", entries);
    }

    private static BundledLibraries inJar(JarURLConnection connection) throws IOException, URISyntaxException {
        // Our own JarFile, closed here: the cached one belongs to the class loader.
        connection.setUseCaches(false);
        List<String> found = new ArrayList<>();
        try (JarFile jar = connection.getJarFile()) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                if (!entry.isDirectory() && entry.getName().startsWith(ROOT)) found.add(entry.getName().substring(ROOT.length()));
            }
        }
        Collections.sort(found);
        URL jarUrl = connection.getJarFileURL();
        String location = "file".equals(jarUrl.getProtocol()) ? Paths.get(jarUrl.toURI()).toString() : jarUrl.toString();
        return new BundledLibraries(location, true, found, null);
    }

    /** {@code .../classes/org/memshare/internal/NativeLoader.class} to {@code .../classes}. */
    private static Path classesRoot(Path classFile, String className) {
        Path root = classFile.getParent();
        for (int dots = className.split("\\.").length - 1; dots > 0; dots--) root = root.getParent();
        return root;
    }

    private static BundledLibraries inDirectory(Path classes) throws IOException {
        Path nativeDir = classes.resolve(ROOT);
        List<String> found = new ArrayList<>();
        if (Files.isDirectory(nativeDir)) {
            try (Stream<Path> files = Files.walk(nativeDir)) {
                files.filter(Files::isRegularFile)
                        .forEach(f -> found.add(nativeDir.relativize(f).toString().replace('\\', '/')));
            }
        }
        Collections.sort(found);
        return new BundledLibraries(classes.toString(), false, found, null);
    }
}
