package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.memshare.spark.SparkTestCluster;

/**
 * {@code memshare select --spark}: on a real local-cluster (two executor JVMs), the embedded data
 * set ranks to exactly the TSV of {@code --processes}, every value to the last bit, and nothing is
 * left in /dev/shm.
 */
class SelectSparkTest {
    @Test
    void sparkPrintsExactlyTheTsvOfProcesses() throws IOException, InterruptedException {
        SparkTestCluster.linkSparkHome();
        TreeSet<String> before = SelectCommandTest.shm();
        SelectCommandTest.Run processes = SelectCommandTest.select("--format", "tsv", "--processes", "--workers", "2");
        assertEquals(0, processes.status(), processes.err());
        SelectCommandTest.Run spark = SelectCommandTest.select("--format", "tsv", "--spark", SparkTestCluster.MASTER);
        assertEquals(0, spark.status(), spark.err());
        assertEquals(2001, processes.out().lines().count(), "a header and 2,000 features");
        assertEquals(processes.out(), spark.out(), "the same TSV, to the last bit");
        assertTrue(spark.err().contains("on Spark local-cluster[2,1,1024]"), spark.err());
        assertTrue(spark.err().contains("20 of the 20 planted features are in the top 20"), spark.err());
        // The executors release their host copies as they stop, which may end just after the driver returns.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!before.equals(SelectCommandTest.shm()) && System.nanoTime() < deadline) Thread.sleep(200);
        assertEquals(before, SelectCommandTest.shm(), "nothing left in /dev/shm (the executors released their host copies)");
    }

    @Test
    void withoutSparkOnTheClassPathTheErrorSaysHowToGetIt() throws Exception {
        Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", CliClassPath.runtime(), MemshareCli.class.getName(), "select", "--spark", SparkTestCluster.MASTER).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(MemshareCli.FAILURE, p.waitFor(), err);
        assertEquals("", out);
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("memshare: --spark needs Spark on the class path: run scripts/memshare"), err);
    }

    @Test
    void sparkRefusesWorkerOptions() {
        SelectCommandTest.Run r = SelectCommandTest.select("--spark", SparkTestCluster.MASTER, "--processes");
        assertEquals(MemshareCli.USAGE, r.status());
        assertTrue(r.err().contains("--spark runs on the cluster's executors"), r.err());
    }
}
