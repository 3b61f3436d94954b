package org.memshare.bench.spark;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** One way of giving every executor the matrix: a plain broadcast, or memshare's one copy per host. */
interface Way {
    /** Settings the way needs in its application (e.g. memshare's executor plugin). */
    default void configure(SparkConf conf) {}

    /** Work before the application starts (e.g. writing the file the hosts read). */
    default void prepare(double[] data) throws Exception {}

    /** Sums the columns of the rows × cols matrix {@code data} in {@code blocks} tasks. */
    List<BlockSums> run(JavaSparkContext jsc, double[] data, int rows, int cols, int blocks) throws Exception;

    /** Removes what {@link #prepare} left (e.g. the file). */
    default void cleanUp() throws Exception {}

    static Way of(String name, BenchOptions o) {
        return switch (name) {
            case "broadcast" -> new BroadcastWay();
            case "memshare-file" -> new MemshareWay.FromFile(o.dir().resolve("matrix.bin"));
            case "memshare-broadcast" -> new MemshareWay.FromBroadcast();
            default -> throw new IllegalArgumentException("unknown way '" + name + "' (broadcast, memshare-file, memshare-broadcast)");
        };
    }
}
