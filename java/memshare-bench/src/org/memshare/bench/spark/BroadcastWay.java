package org.memshare.bench.spark;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/** Spark's own broadcast of the array: each executor fetches the torrent blocks and deserializes a copy. */
final class BroadcastWay implements Way {
    @Override
    public List<BlockSums> run(JavaSparkContext jsc, double[] data, int rows, int cols, int blocks) {
        Broadcast<double[]> bc = jsc.broadcast(data);
        return jsc.parallelize(SparkBench.blocks(cols, blocks), blocks).map(b -> {
            double[] x = bc.value();
            return BlockSums.of(b[0], b[1], rows, j -> i -> x[j * rows + i]);
        }).collect();
    }
}
