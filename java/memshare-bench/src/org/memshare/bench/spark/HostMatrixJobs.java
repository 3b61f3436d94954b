package org.memshare.bench.spark;

import java.nio.DoubleBuffer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.memshare.MatrixView;
import org.memshare.spark.HostMatrix;

/** The column-sum job over a {@link HostMatrix}: every task reads its host's one copy, zero-copy. */
final class HostMatrixJobs {
    private HostMatrixJobs() {}

    /** Column sums in {@code blocks} tasks, each pausing {@code pauseMillis} after its sums (to give a check time to act). */
    static JavaRDD<BlockSums> sums(JavaSparkContext jsc, HostMatrix m, int rows, int cols, int blocks, long pauseMillis) {
        return jsc.parallelize(SparkBench.blocks(cols, blocks), blocks).map(b -> {
            MatrixView v = m.view();
            BlockSums s = BlockSums.of(b[0], b[1], rows, j -> {
                DoubleBuffer c = v.column(j);
                return c::get;
            });
            if (pauseMillis > 0) Thread.sleep(pauseMillis);
            return s;
        });
    }
}
