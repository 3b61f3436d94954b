package org.memshare.spark;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's check of the executors' class path: a standalone or local-cluster application
 * whose executors would lack memshare's classes fails at its start with the reason (instead of
 * executors relaunched without end); whatever the driver cannot see passes.
 */
class ExecutorClassPathTest {
    @TempDir
    Path dir;

    private static Map<String, String> conf(String master, String jars, String extra) {
        Map<String, String> c = new HashMap<>();
        c.put("spark.master", master);
        c.put("spark.jars", jars);
        c.put("spark.executor.extraClassPath", extra);
        c.put(ExecutorClassPath.CHECK_CONF, "");  // what the driver plugin passes for an unset key
        return c;
    }

    /** A JAR holding empty files under the given class file names. */
    private Path jar(String name, List<String> classes) throws IOException {
        Path p = dir.resolve(name);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(p))) {
            for (String c : classes) {
                z.putNextEntry(new ZipEntry(c));
                z.closeEntry();
            }
        }
        return p;
    }

    @Test
    void nothingOnTheExecutorsClassPathIsRefusedWithTheFix() {
        String why = ExecutorClassPath.missing(conf("spark://127.0.0.1:7077", "", ""));
        assertTrue(why != null && why.contains("lacks org.memshare.spark.MemsharePlugin and org.memshare.Segments")
                && why.contains("--jars") && !why.contains("\n"), why);
    }

    @Test
    void bothJarsInSparkJarsOrExtraClassPathPass() throws IOException {
        Path spark = jar("memshare-spark.jar", List.of(ExecutorClassPath.NEEDED.get(0)));
        Path lib = jar("memshare.jar", List.of(ExecutorClassPath.NEEDED.get(1)));
        assertNull(ExecutorClassPath.missing(conf("spark://h:7077", spark.toUri() + "," + lib, "")));
        assertNull(ExecutorClassPath.missing(conf("spark://h:7077", "", spark + ":" + lib)));
        assertNull(ExecutorClassPath.missing(conf("spark://h:7077", "local:" + spark, lib.toString())));
        assertNull(ExecutorClassPath.missing(conf("spark://h:7077", "", dir + "/*")));
    }

    @Test
    void jarsInstalledInSparksOwnJarsPass() throws IOException {
        Path home = dir.resolve("spark");
        Files.createDirectories(home.resolve("jars"));
        Files.move(jar("memshare-spark.jar", List.of(ExecutorClassPath.NEEDED.get(0))), home.resolve("jars/memshare-spark.jar"));
        Map<String, String> c = conf("spark://h:7077", "", "");
        c.put(ExecutorClassPath.SPARK_HOME, home.toString());
        String why = ExecutorClassPath.missing(c);
        assertTrue(why != null && why.contains("lacks org.memshare.Segments:"), why);
        Files.move(jar("memshare.jar", List.of(ExecutorClassPath.NEEDED.get(1))), home.resolve("jars/memshare.jar"));
        assertNull(ExecutorClassPath.missing(c));
    }

    @Test
    void theLibraryAloneIsNotEnough() throws IOException {
        Path lib = jar("memshare.jar", List.of(ExecutorClassPath.NEEDED.get(1)));
        Path app = jar("app.jar", List.of("com/example/App.class"));
        String why = ExecutorClassPath.missing(conf("spark://h:7077", app + "," + lib, ""));
        assertTrue(why != null && why.contains("lacks org.memshare.spark.MemsharePlugin:"), why);
    }

    @Test
    void whatTheDriverCannotSeeOrLocalModePasses() throws IOException {
        assertNull(ExecutorClassPath.missing(conf("spark://h:7077", "hdfs://nn/jars/memshare.jar", "")), "a remote URI");
        assertNull(ExecutorClassPath.missing(conf("spark://h:7077", "", "/opt/not/on/the/driver.jar")), "a path only the executors may have");
        assertNull(ExecutorClassPath.missing(conf("local[2]", "", "")), "local mode: the driver runs the tasks");
        assertNull(ExecutorClassPath.missing(conf("yarn", "", "")), "other cluster managers: not checked");
        Map<String, String> off = conf("spark://h:7077", "", "");
        off.put(ExecutorClassPath.CHECK_CONF, "false");
        assertNull(ExecutorClassPath.missing(off), "turned off");
        Map<String, String> packages = conf("spark://h:7077", "", "");
        packages.put("spark.jars.packages", "org.memshare:memshare-spark:0.1.0");
        assertNull(ExecutorClassPath.missing(packages), "resolved by Spark, not seen here");
    }

    /** A real local-cluster whose executors get no memshare JAR: the context fails at once with the reason. */
    @Test
    void aContextWithoutTheJarsFailsAtItsStartWithTheReason() {
        SparkTestCluster.linkSparkHome();
        SparkTestCluster.quietLogging();
        SparkConf conf = new SparkConf()
                .setMaster("local-cluster[1,1,1024]")
                .setAppName("ExecutorClassPathTest")
                .set("spark.plugins", MemsharePlugin.class.getName())
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.ui.enabled", "false");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new JavaSparkContext(conf).stop());
        assertTrue(e.getMessage().startsWith("memshare: spark.plugins names org.memshare.spark.MemsharePlugin but the executors' class path"),
                e.getMessage());
    }
}
