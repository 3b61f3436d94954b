package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memshare.cli.SelectCommandTest.Run;
import org.memshare.mi.MutualInfo;
import org.memshare.mi.MutualInfoOptions;
import org.memshare.spark.SparkTestCluster;

/**
 * {@code --discrete-features} on {@code --spark} (a real local-cluster, two executor JVMs): the
 * executors decide per column by the rule the threads use, so the TSV is the threads' to the last
 * bit, and both equal the estimates computed here with the flags the documented rule gives.
 */
class SelectSparkDiscreteFeaturesTest {
    @Test
    void sparkRanksByTheClassRuleExactlyAsThreadsDo() {
        SparkTestCluster.linkSparkHome();
        String table = SelectTrapsTest.TABLES.resolve("pandas_tab.csv").toString();
        Run threads = SelectCommandTest.select("--csv", table, "--target", "cls", "--discrete-features", "--format", "tsv");
        Run spark = SelectCommandTest.select("--csv", table, "--target", "cls", "--discrete-features", "--format", "tsv",
                "--spark", SparkTestCluster.MASTER);
        assertEquals(0, spark.status(), spark.err());
        assertEquals(threads.out(), spark.out(), "the same TSV, to the last bit");
        Map<String, Double> got = SelectConventionsTest.tsv(spark);
        MutualInfoOptions y = MutualInfoOptions.DEFAULT.withYDiscrete(true);
        for (String f : List.of("a", "b", "lv")) {
            double[] x = SelectTrapsTest.values(f);
            assertEquals(MutualInfo.mutualinfo(x, SelectTrapsTest.values("cls"), y.withXDiscrete(SelectTrapsTest.classesByTheDocumentedRule(x))),
                    got.get(f), 0.0, f);
        }
        assertTrue(spark.err().contains("--discrete-features: 1 of 3 features hold class labels") && spark.err().contains("on Spark "),
                spark.err());
    }
}
