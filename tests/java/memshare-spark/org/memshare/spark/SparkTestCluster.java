package org.memshare.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code local-cluster}: executor JVMs started by Spark's launcher, which needs a
 * SPARK_HOME with a jars/ directory. The surefire configuration names one per module and Spark
 * version ({@code target/memshare-spark/spark-home-<spark.version>}); this class makes its jars/
 * the links to the jars of the test class path (Spark and its dependencies), and hands this build's own classes and JARs
 * to the executors through {@code spark.executor.extraClassPath}, as a user would memshare's.
 */
public final class SparkTestCluster {
    private SparkTestCluster() {}

    /** Two executors of one core and 1 GiB each: small enough for a busy two-core machine. */
    public static final String MASTER = "local-cluster[2,1,1024]";

    /** A context on {@link #MASTER} with memshare's plugin; skips (with the reason) when no SPARK_HOME is configured. */
    public static JavaSparkContext start(String appName) {
        List<String> ours = linkSparkHome();
        quietLogging();
        SparkConf conf = new SparkConf()
                .setMaster(MASTER)
                .setAppName(appName)
                .set("spark.plugins", MemsharePlugin.class.getName())
                .set("spark.executor.extraClassPath", String.join(File.pathSeparator, ours))
                // Spark's launcher takes the executors' java from JAVA_HOME before the driver's
                // own: a run on another JDK (surefire's jvm, scripts/test on JDK 25) tests that one.
                .set("spark.executorEnv.JAVA_HOME", System.getProperty("java.home"))
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.task.maxFailures", "2");
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("ERROR");  // the failure tests make Spark log every lost task with its stack
        return sc;
    }

    /** Spark's warnings and errors only (its INFO lines run to a hundred per context), unless a configuration is given. */
    static void quietLogging() {
        if (System.getProperty("log4j2.configurationFile") != null) return;
        try {
            Path config = Path.of("target", "memshare-spark", "test-log4j2.properties").toAbsolutePath();
            Files.createDirectories(config.getParent());
            Files.writeString(config, String.join("\n", "rootLogger.level = error", "rootLogger.appenderRef.stderr.ref = stderr",
                    "appender.console.type = Console", "appender.console.name = stderr", "appender.console.target = SYSTEM_ERR",
                    "appender.console.layout.type = PatternLayout", "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex", ""));
            System.setProperty("log4j2.configurationFile", config.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@link #linkSparkHome(Path)} into the SPARK_HOME the surefire configuration names; skips
     * the test (with the reason) when none is named.
     */
    public static List<String> linkSparkHome() {
        String home = System.getenv("SPARK_HOME");
        Assumptions.assumeTrue(home != null && !home.isEmpty(),
                "SPARK_HOME is not set: the Spark tests run under Maven (the module's pom.xml sets it)");
        return linkSparkHome(Path.of(home));
    }

    /**
     * Makes {@code home/jars} hold exactly a link to every JAR of the class path that is not this
     * build's (Spark and what it needs), dropping any other entry: a home left by a run on another
     * Spark version (-Dspark.version) would otherwise give the executors two Sparks' jars. Fails
     * if the home still holds more than one spark-core. Returns this build's entries (class
     * directories, module JARs) for the executors' class path.
     */
    public static synchronized List<String> linkSparkHome(Path home) {
        Path target = Path.of("target").toAbsolutePath().normalize();
        List<String> ours = new ArrayList<>();
        Map<String, Path> wanted = new TreeMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isEmpty()) continue;
            Path p = Path.of(entry).toAbsolutePath().normalize();
            if (p.startsWith(target)) {
                ours.add(p.toString());
            } else if (p.toString().endsWith(".jar")) {
                wanted.putIfAbsent(p.getFileName().toString(), p);
            }
        }
        Path jars = home.resolve("jars");
        try {
            Files.createDirectories(jars);
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(jars)) {
                for (Path link : entries) {
                    Path want = wanted.get(link.getFileName().toString());
                    if (want == null || !Files.isSymbolicLink(link) || !Files.readSymbolicLink(link).equals(want)) Files.delete(link);
                }
            }
            for (Map.Entry<String, Path> e : wanted.entrySet()) {
                Path link = jars.resolve(e.getKey());
                if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, e.getValue());
            }
            requireOneSpark(home);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the test SPARK_HOME " + home + ": " + e.getMessage(), e);
        }
        return ours;
    }

    /** Fails, naming them, if {@code home/jars} holds more than one spark-core version (its executors would mix them). */
    static void requireOneSpark(Path home) throws IOException {
        List<String> versions = sparkCoreVersions(home.resolve("jars"));
        if (versions.size() > 1) {
            throw new IllegalStateException("the test SPARK_HOME " + home + " holds spark-core of " + versions.size()
                    + " versions " + versions + ": its executors would mix them; delete " + home.resolve("jars"));
        }
    }

    /** The versions of the {@code spark-core_<scala>-<version>.jar} files in {@code jars}, sorted. */
    static List<String> sparkCoreVersions(Path jars) throws IOException {
        Pattern core = Pattern.compile("spark-core_[0-9.]+-(.+)\\.jar");
        Set<String> versions = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(jars)) {
            for (Path p : entries) {
                Matcher m = core.matcher(p.getFileName().toString());
                if (m.matches()) versions.add(m.group(1));
            }
        }
        return new ArrayList<>(versions);
    }

    /** The entries of {@code /dev/shm} whose names start with {@code prefix}, sorted. */
    public static List<String> shmEntries(String prefix) {
        List<String> out = new ArrayList<>();
        File[] files = new File("/dev/shm").listFiles();
        if (files != null) for (File f : files) if (f.getName().startsWith(prefix)) out.add(f.getName());
        out.sort(null);
        return out;
    }

    /** Stops {@code sc} and waits (up to 60 s) until no entry of the application is left in /dev/shm; returns what is left. */
    public static List<String> stopAndCollectLeftovers(JavaSparkContext sc) throws InterruptedException {
        String prefix = HostNames.prefix(sc.sc().applicationId());
        sc.stop();
        return awaitEmpty(() -> shmEntries(prefix));
    }

    /** Asks {@code probe} every 200 ms, for up to 60 s, until it returns nothing; returns its last answer. */
    public static List<String> awaitEmpty(java.util.function.Supplier<List<String>> probe) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        List<String> left = probe.get();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            left = probe.get();
        }
        return left;
    }
}
