package org.memshare.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.memshare.Matrix;
import org.memshare.MatrixView;
import org.memshare.Namespace;
import org.memshare.apply.Margin;
import org.memshare.apply.ProgressListener;
import org.memshare.mi.MutualInfo;
import org.memshare.mi.MutualInfoOptions;
import org.memshare.spark.HostMatrix;
import org.memshare.spark.MemsharePlugin;
import org.memshare.spark.SparkApply;
import org.memshare.spark.SparkApplyOptions;

/**
 * {@code memshare select --spark MASTER}: the ranking on a Spark cluster. Loaded only with
 * {@code --spark}, so that the command runs without Spark on the class path otherwise. Each
 * feature group's page is written to a raw column-major file in {@code dir} (read by every host
 * at the same path) and becomes a {@link HostMatrix}: one copy per host, every executor reading
 * it zero-copy; the target goes by Spark's broadcast. The function is the one the other modes
 * run, so the values are the same to the last bit.
 */
final class SparkRanking implements AutoCloseable {
    private static final String LOG_CONFIG = "log4j2.configurationFile";
    private final JavaSparkContext sc;
    private final HostMatrix target;
    private final Path dir;

    private SparkRanking(JavaSparkContext sc, HostMatrix target, Path dir) {
        this.sc = sc;
        this.target = target;
        this.dir = dir;
    }

    /** Starts the application on {@code master}, broadcasting {@code y}; matrix files go to a new directory under {@code parent}. */
    static SparkRanking start(String master, Path parent, double[] y) throws IOException {
        // Before Spark's first log line: its INFO lines would bury the progress on stderr.
        if (System.getProperty(LOG_CONFIG) == null) System.setProperty(LOG_CONFIG, "org/memshare/cli/spark-log4j2.properties");
        Path dir = Files.createTempDirectory(parent, "memshare-select-");
        SparkConf conf = new SparkConf()
                .setMaster(master)
                .setAppName("memshare select")
                .set("spark.plugins", MemsharePlugin.class.getName())
                .set("spark.executor.extraClassPath", String.join(File.pathSeparator, codeLocations()))
                .set("spark.ui.enabled", "false");
        JavaSparkContext sc;
        try {
            sc = new JavaSparkContext(conf);
        } catch (RuntimeException e) {
            Files.deleteIfExists(dir);
            throw new MemshareCli.CliException("--spark " + master + ": Spark did not start: " + e.getMessage());
        }
        return new SparkRanking(sc, HostMatrix.broadcast(sc, "y", Matrix.of(y.length, 1, y)), dir);
    }

    /** "Spark local-cluster[2,1,1024] (2 executors)", for the report line. */
    String describe() {
        return "Spark " + sc.master() + " (default parallelism " + sc.defaultParallelism() + ")";
    }

    /**
     * Ranks the columns of {@code space}'s page {@code name}, which it releases after writing it to
     * a file; {@code byRule}: --discrete-features, decided on the executors by the function the
     * other modes use ({@link SelectCommand#flags}).
     */
    double[] rank(Namespace space, String name, MutualInfoOptions o, boolean byRule, ProgressListener progress) {
        Path file = dir.resolve(name + ".f64");
        long nrow, ncol;
        try (MatrixView m = space.matrix(name); FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            nrow = m.nrow();
            ncol = m.ncol();
            for (long j = 0; j < ncol; j++) {
                ByteBuffer column = m.columnBytes(j);
                while (column.hasRemaining()) ch.write(column);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + " for the executors: " + e.getMessage(), e);
        }
        space.release(name);  // the executors' host copies take its place
        try {
            HostMatrix x = HostMatrix.fromFile(sc, name, file, nrow, ncol);
            List<Double> mi = SparkApply.memApply(sc, x, Margin.COLUMNS,
                    (col, vars) -> MutualInfo.mutualinfo(col, vars.array("y").column(0), SelectCommand.flags(col, o, byRule)), Map.of("y", target),
                    SparkApplyOptions.defaults().withProgress(progress));
            return mi.stream().mapToDouble(Double::doubleValue).toArray();
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the directory goes at close; a file that will not go is left in the temporary directory
            }
        }
    }

    /** The class path entries holding the library, the Spark module and this command, for the executors. */
    private static Set<String> codeLocations() {
        Set<String> out = new LinkedHashSet<>();
        for (Class<?> c : new Class<?>[] {SparkRanking.class, HostMatrix.class, Namespace.class}) {
            try {
                out.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (Exception e) {
                throw new IllegalStateException("cannot locate the code of " + c.getName() + " for the executors' class path: " + e, e);
            }
        }
        return out;
    }

    /** Stops the application (its executors release their host copies) and removes the directory of matrix files. */
    @Override
    public void close() throws IOException {
        try {
            sc.stop();
        } finally {
            Files.deleteIfExists(dir);
        }
    }
}
