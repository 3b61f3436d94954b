package org.memshare.bench.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code scripts/bench spark}: the memory per host of a plain Spark broadcast against memshare's
 * one copy per host, side by side in one run on the two simulated hosts of
 * {@code scripts/lib/spark-cluster.sh}. Each way is its own Spark application (fresh executors):
 * wait for the 4 executors, run a warm-up job, read each host's baseline (E·B), then sample every
 * host every 100 ms while a job sums every column of a rows × cols double matrix (D bytes) in
 * blocks on all executors. Column sums are checked against the driver's own sums of its array.
 *
 * <pre>SparkBench --master URL --host 127.0.0.2=WORKER_PID --host 127.0.0.3=WORKER_PID
 *            --jar EXECUTOR_CLASSPATH --rows R --cols C [--executor-memory 4g] [--ways broadcast,...]
 *            [--dir DIR]</pre>
 */
public final class SparkBench {
    private static final double MIB = 1024.0 * 1024.0;

    private SparkBench() {}

    public static void main(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parse(args);
        long bytes = (long) o.rows() * o.cols() * Double.BYTES;
        System.out.printf(Locale.ROOT, "spark bench: %d x %d doubles, D = %.0f MiB; %d hosts; executors %s each; ways %s%n",
                o.rows(), o.cols(), bytes / MIB, o.hosts().size(), o.executorMemory(), o.ways());
        double[] data = matrix(o.rows(), o.cols());
        double[] expected = columnSums(data, o.rows(), o.cols());

        Map<String, WayResult> results = new LinkedHashMap<>();
        for (String way : o.ways()) {
            WayResult r = run(o, way, data);
            boolean equal = Arrays.equals(r.sums(), expected);
            System.out.printf(Locale.ROOT, "%s: job %.1f s, %d blocks on executors %s, column sums %s%n", way, r.seconds(),
                    r.blocks(), r.executorHosts(), equal ? "equal to the driver's" : "DIFFER from the driver's");
            if (!equal) throw new IllegalStateException(way + ": wrong column sums");
            if (r.executorHosts().size() < o.hosts().size() * 2)
                throw new IllegalStateException(way + ": only " + r.executorHosts().size() + " executors ran tasks");
            results.put(way, r);
        }
        Report.print(o, bytes, results);
    }

    /** Runs one way as its own application and returns what it measured. */
    private static WayResult run(BenchOptions o, String way, double[] data) throws Exception {
        Cluster.awaitNoExecutors(o.hosts());
        SparkConf conf = Cluster.conf(o, "memshare-bench-" + way);
        Way job = Way.of(way, o);
        job.configure(conf);
        job.prepare(data);
        try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
            jsc.setLogLevel("WARN");
            Cluster.awaitExecutors(jsc, o.hosts().size() * 2);
            Cluster.warmUp(jsc);
            Map<String, HostMemory.Sample> baseline = Cluster.baseline(o.hosts());
            long t0 = System.nanoTime();
            List<BlockSums> blocks;
            Map<String, HostMemory.Sample> peaks;
            try (PeakSampler sampler = new PeakSampler(o.hosts())) {
                blocks = job.run(jsc, data, o.rows(), o.cols(), o.blocks());
                sampler.close();
                peaks = sampler.peaks();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double[] sums = new double[o.cols()];
            Map<String, String> executorHosts = new TreeMap<>();
            for (BlockSums b : blocks) {
                System.arraycopy(b.sums(), 0, sums, b.firstColumn(), b.sums().length);
                executorHosts.put(b.executorId(), b.host());
            }
            return new WayResult(baseline, peaks, executorHosts, sums, blocks.size(), seconds);
        } finally {
            job.cleanUp();
        }
    }

    /** A deterministic rows × cols column-major matrix of doubles in [0, 1). */
    static double[] matrix(int rows, int cols) {
        double[] d = new double[Math.multiplyExact(rows, cols)];
        SplittableRandom r = new SplittableRandom(20261204);
        for (int i = 0; i < d.length; i++) d[i] = r.nextDouble();
        return d;
    }

    /** Column sums added in row order, the order the tasks use. */
    static double[] columnSums(double[] data, int rows, int cols) {
        double[] s = new double[cols];
        for (int j = 0; j < cols; j++) {
            double acc = 0;
            for (int i = 0, base = j * rows; i < rows; i++) acc += data[base + i];   // < length, so no overflow
            s[j] = acc;
        }
        return s;
    }

    /** What one way measured. */
    record WayResult(Map<String, HostMemory.Sample> baseline, Map<String, HostMemory.Sample> peaks,
                     Map<String, String> executorHosts, double[] sums, int blocks, double seconds) {}

    /** The blocks of columns the tasks sum: [first, first + count) for block b of n. */
    static List<int[]> blocks(int cols, int n) {
        List<int[]> out = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            int first = (int) ((long) cols * b / n), end = (int) ((long) cols * (b + 1) / n);
            out.add(new int[] {first, end - first});
        }
        return out;
    }
}
