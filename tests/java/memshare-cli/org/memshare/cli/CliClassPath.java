package org.memshare.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The class path of the command as it runs without Spark: its classes and its run-time
 * dependencies (Maven writes them, see the module's pom.xml), not the test class path, which
 * also holds Spark's 150 jars (provided, for select spark): a child JVM with a tiny heap runs out
 * of it opening them.
 */
final class CliClassPath {
    private CliClassPath() {}

    static String runtime() {
        String file = System.getProperty("memshare.cli.runtime.classpath");
        if (file == null) return System.getProperty("java.class.path");  // not under Maven: the IDE's class path
        try {
            String deps = Files.readString(Path.of(file)).strip();
            String classes = Path.of(MemshareCli.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            return deps.isEmpty() ? classes : classes + File.pathSeparator + deps;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the command's class path from " + file, e);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
