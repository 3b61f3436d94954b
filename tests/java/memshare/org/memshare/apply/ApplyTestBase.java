package org.memshare.apply;

import java.io.IOException;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.memshare.facade.Memshare;

/**
 * A warm cluster of 2 worker processes shared by a test class, the two modes to run in, and a
 * check after every test that /dev/shm holds nothing it did not hold before.
 */
abstract class ApplyTestBase {
    static WorkerCluster cluster;
    TreeSet<String> shmBefore;

    @BeforeAll
    static void startCluster() throws IOException {
        cluster = WorkerCluster.start(2);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void snapshot() {
        shmBefore = ApplyTestSupport.shm();
    }

    @AfterEach
    void nothingLeft() {
        Memshare.releaseAll();
        ApplyTestSupport.assertNoNewSegments(shmBefore);
    }

    /** "threads" and "processes": the argument source of the parameterized tests. */
    static List<String> modes() {
        return List.of("threads", "processes");
    }

    /** Two workers, as threads or as the shared cluster. */
    static ApplyOptions options(String mode) {
        ApplyOptions o = ApplyOptions.defaults().withWorkers(2);
        return mode.equals("processes") ? o.withCluster(cluster) : o;
    }
}
