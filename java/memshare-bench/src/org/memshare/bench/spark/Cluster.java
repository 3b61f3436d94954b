package org.memshare.bench.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** A Spark application on the two simulated hosts: its configuration and the waits around a job. */
final class Cluster {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(180);   // a busy 2-core machine

    private Cluster() {}

    /** One 1-core executor per Worker core (2 per host), all on loopback. */
    static SparkConf conf(BenchOptions o, String app) {
        return new SparkConf()
                .setMaster(o.master())
                .setAppName(app)
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.executor.cores", "1")
                .set("spark.cores.max", String.valueOf(o.hosts().size() * 2))
                .set("spark.executor.memory", o.executorMemory())
                .set("spark.executor.extraClassPath", o.jar());
    }

    /** Waits until {@code n} executors registered with the driver (bounded). */
    static void awaitExecutors(JavaSparkContext jsc, int n) throws InterruptedException {
        long end = System.nanoTime() + WAIT_NANOS;
        while (jsc.sc().statusTracker().getExecutorInfos().length - 1 < n) {   // the driver is listed too
            if (System.nanoTime() > end)
                throw new IllegalStateException("only " + (jsc.sc().statusTracker().getExecutorInfos().length - 1)
                        + " of " + n + " executors registered in " + TimeUnit.NANOSECONDS.toSeconds(WAIT_NANOS) + " s");
            Thread.sleep(200);
        }
    }

    /** Waits until the previous application's executors are gone (bounded). */
    static void awaitNoExecutors(List<HostMemory.Host> hosts) throws InterruptedException {
        long end = System.nanoTime() + WAIT_NANOS;
        while (hosts.stream().anyMatch(h -> !HostMemory.executors(h).isEmpty())) {
            if (System.nanoTime() > end) throw new IllegalStateException("executors of an earlier application still run");
            Thread.sleep(200);
        }
    }

    /** A small job on every executor, so the baseline includes loaded task classes. */
    static void warmUp(JavaSparkContext jsc) {
        jsc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 8).map(x -> x * 2).collect();
    }

    /** Each host's memory before the job: the mean of 10 readings over 2 s. */
    static Map<String, HostMemory.Sample> baseline(List<HostMemory.Host> hosts) throws InterruptedException {
        Thread.sleep(1000);
        Map<String, long[]> sums = new LinkedHashMap<>();
        int n = 10;
        for (int k = 0; k < n; k++) {
            for (HostMemory.Host h : hosts) {
                HostMemory.Sample s = HostMemory.sample(h);
                long[] acc = sums.computeIfAbsent(h.name(), x -> new long[3]);
                acc[0] += s.executors();
                acc[1] += s.executorBytes();
                acc[2] += s.shmBytes();
            }
            Thread.sleep(200);
        }
        Map<String, HostMemory.Sample> out = new LinkedHashMap<>();
        sums.forEach((h, a) -> out.put(h, new HostMemory.Sample((int) (a[0] / n), a[1] / n, a[2] / n)));
        return out;
    }
}
