package org.memshare.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test SPARK_HOME holds one Spark: a home left by a run on another Spark version is relinked
 * to this class path's jars alone, and a home with two spark-core versions is refused.
 */
class SparkTestClusterTest {
    @TempDir
    Path dir;

    /** The spark-core version of this JVM's class path, read from its JAR's name. */
    private static String classPathSparkCore() {
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            String name = Path.of(e).getFileName().toString();
            if (name.startsWith("spark-core_") && name.endsWith(".jar")) return name.substring(name.indexOf('-', 11) + 1, name.length() - 4);
        }
        throw new AssertionError("no spark-core JAR on the test class path");
    }

    @Test
    void aStaleHomeOfAnotherSparkIsRelinkedToThisClassPathAlone() throws IOException {
        Path jars = Files.createDirectories(dir.resolve("jars"));
        Path stale = jars.resolve("spark-core_2.13-0.0.1.jar");
        Files.createSymbolicLink(stale, dir.resolve("elsewhere/spark-core_2.13-0.0.1.jar"));
        Path other = jars.resolve("some-dependency-1.0.jar");
        Files.writeString(other, "not a link");
        SparkTestCluster.linkSparkHome(dir);
        assertFalse(Files.exists(stale, LinkOption.NOFOLLOW_LINKS), "the other version's link is dropped");
        assertFalse(Files.exists(other, LinkOption.NOFOLLOW_LINKS), "what the class path does not hold is dropped");
        assertEquals(List.of(classPathSparkCore()), SparkTestCluster.sparkCoreVersions(jars));
        try (var entries = Files.list(jars)) {
            assertTrue(entries.allMatch(p -> Files.isSymbolicLink(p) && Files.exists(p)), "every entry links to a JAR that exists");
        }
    }

    @Test
    void aHomeWithTwoSparkCoresIsRefused() throws IOException {
        Path jars = Files.createDirectories(dir.resolve("jars"));
        Files.writeString(jars.resolve("spark-core_2.13-4.1.1.jar"), "");
        Files.writeString(jars.resolve("spark-core_2.13-4.2.0.jar"), "");
        Files.writeString(jars.resolve("spark-sql_2.13-4.2.0.jar"), "");
        assertEquals(List.of("4.1.1", "4.2.0"), SparkTestCluster.sparkCoreVersions(jars));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SparkTestCluster.requireOneSpark(dir));
        assertTrue(e.getMessage().contains("holds spark-core of 2 versions [4.1.1, 4.2.0]"), e.getMessage());
        Files.delete(jars.resolve("spark-core_2.13-4.1.1.jar"));
        SparkTestCluster.requireOneSpark(dir);
    }
}
