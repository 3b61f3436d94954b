package org.memshare.spark;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * The driver's check that executors will find memshare's classes. An executor that cannot load
 * {@code spark.plugins}' {@link MemsharePlugin} dies with ClassNotFoundException, and a standalone
 * Master relaunches it without end (an executor that reached RUNNING resets the Master's
 * {@code spark.deploy.maxExecutorRetries} count), so the job hangs. Spark offers no bound for
 * that in standalone mode; the driver plugin fails the application instead, with this reason.
 *
 * <p>It decides only what it can see: on a standalone or local-cluster master, when every entry
 * of {@code spark.jars}, {@code spark.executor.extraClassPath} and the driver's
 * {@code $SPARK_HOME/jars} (taken as the executors' Spark) is readable on the driver and none
 * holds a needed class. A remote URI, a path the driver lacks, or {@code spark.jars.packages}
 * means "cannot tell", and the check passes. Executors that get the JARs some other way (their
 * Spark's own jars/) turn it off with {@value #CHECK_CONF}=false.
 */
final class ExecutorClassPath {
    /** Turns the check off. */
    static final String CHECK_CONF = "spark.memshare.checkExecutorClassPath";

    /** The library's and this module's classes an executor's plugin needs. */
    static final List<String> NEEDED = List.of(
            MemsharePlugin.class.getName().replace('.', '/') + ".class",
            org.memshare.Segments.class.getName().replace('.', '/') + ".class");

    private ExecutorClassPath() {}

    /** The keys {@link #missing} reads. */
    static final List<String> KEYS = List.of("spark.master", CHECK_CONF, "spark.jars.packages", "spark.jars", "spark.executor.extraClassPath");

    /** The key of the driver's Spark installation (the SPARK_HOME environment variable) in {@link #missing}'s map. */
    static final String SPARK_HOME = "SPARK_HOME";

    /** The one-line reason executors would not find {@link #NEEDED}, or null when they will or it cannot be told. */
    static String missing(Map<String, String> conf) {
        String master = conf.getOrDefault("spark.master", "");
        if (!master.startsWith("spark://") && !master.startsWith("local-cluster")) return null;
        if (conf.getOrDefault(CHECK_CONF, "").strip().equalsIgnoreCase("false")) return null;
        if (!conf.getOrDefault("spark.jars.packages", "").isBlank()) return null;
        List<Path> entries = new ArrayList<>();
        for (String jar : conf.getOrDefault("spark.jars", "").split(",")) {
            if (jar.isBlank()) continue;
            Path p = localPath(jar.trim());
            if (p == null) return null;
            entries.add(p);
        }
        List<String> classPath = new ArrayList<>(List.of(conf.getOrDefault("spark.executor.extraClassPath", "").split(File.pathSeparator)));
        String home = conf.getOrDefault(SPARK_HOME, "");
        if (!home.isBlank()) classPath.add(Path.of(home, "jars") + "/*");  // executors load Spark's own jars/ too
        for (String e : classPath) {
            if (e.isBlank()) continue;
            if (e.endsWith("/*")) {
                Path dir = Path.of(e.substring(0, e.length() - 2));
                if (!Files.isDirectory(dir)) return null;
                try (Stream<Path> s = Files.list(dir)) {
                    s.filter(f -> f.toString().endsWith(".jar") || f.toString().endsWith(".JAR")).forEach(entries::add);
                } catch (IOException ex) {
                    return null;
                }
            } else {
                entries.add(Path.of(e));
            }
        }
        List<String> lacking = new ArrayList<>();
        for (String cls : NEEDED) {
            boolean found = false;
            for (Path p : entries) {
                Boolean has = holds(p, cls);
                if (has == null) return null;
                if (has) {
                    found = true;
                    break;
                }
            }
            if (!found) lacking.add(cls.replace('/', '.').replace(".class", ""));
        }
        if (lacking.isEmpty()) return null;
        return "memshare: spark.plugins names " + MemsharePlugin.class.getName() + " but the executors' class path ("
                + (entries.isEmpty() ? "spark.jars and spark.executor.extraClassPath are empty" : entries.size() + " entries of spark.jars, spark.executor.extraClassPath and $SPARK_HOME/jars")
                + ") lacks " + String.join(" and ", lacking) + ": pass memshare.jar and memshare-spark.jar with --jars"
                + " (or set " + CHECK_CONF + "=false when the executors have them otherwise)";
    }

    /** The driver-side path of a spark.jars entry, or null for one the driver cannot read (hdfs:, http:, ...). */
    private static Path localPath(String jar) {
        try {
            URI u = URI.create(jar);
            if (u.getScheme() == null) return Path.of(jar);
            if (u.getScheme().equals("file") || u.getScheme().equals("local")) return Path.of(u.getPath());
            return null;
        } catch (IllegalArgumentException e) {
            return Path.of(jar);  // not a URI (a space in a plain path): a path
        }
    }

    /** Whether the class path entry holds {@code cls}; null when it cannot be read here. */
    private static Boolean holds(Path entry, String cls) {
        if (Files.isDirectory(entry)) return Files.isRegularFile(entry.resolve(cls));
        if (!Files.isRegularFile(entry)) return null;
        try (ZipFile z = new ZipFile(entry.toFile())) {
            return z.getEntry(cls) != null;
        } catch (IOException e) {
            return null;
        }
    }
}
