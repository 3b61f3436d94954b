package org.memshare.bench.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.memshare.Matrix;
import org.memshare.spark.HostMatrix;
import org.memshare.spark.MemsharePlugin;

/** memshare's one copy per host ({@link HostMatrix}), with its executor plugin. */
abstract class MemshareWay implements Way {
    @Override
    public void configure(SparkConf conf) {
        conf.set("spark.plugins", MemsharePlugin.class.getName());
    }

    abstract HostMatrix matrix(JavaSparkContext jsc, double[] data, int rows, int cols);

    @Override
    public List<BlockSums> run(JavaSparkContext jsc, double[] data, int rows, int cols, int blocks) {
        return HostMatrixJobs.sums(jsc, matrix(jsc, data, rows, cols), rows, cols, blocks, 0).collect();
    }

    /** Each host streams the matrix from a file into its page: no copy on any Java heap. */
    static final class FromFile extends MemshareWay {
        private final Path file;

        FromFile(Path file) {
            this.file = file;
        }

        @Override
        public void prepare(double[] data) throws Exception {
            MatrixFile.write(file, data);
        }

        @Override
        HostMatrix matrix(JavaSparkContext jsc, double[] data, int rows, int cols) {
            return HostMatrix.fromFile(jsc, "X", file, rows, cols);
        }

        @Override
        public void cleanUp() throws Exception {
            Files.deleteIfExists(file);
        }
    }

    /** Carried by Spark's broadcast: the executor that fills a host's copy deserializes it once. */
    static final class FromBroadcast extends MemshareWay {
        @Override
        HostMatrix matrix(JavaSparkContext jsc, double[] data, int rows, int cols) {
            return HostMatrix.broadcast(jsc, "X", Matrix.of(rows, cols, data));
        }
    }
}
