package org.memshare.bench.spark;

import java.util.Locale;
import java.util.Map;

/**
 * Prints, per host, the peak memory of each way side by side, the ratio broadcast / memshare, the
 * executors' baseline E·B and D, and the goal: memshare ≤ E·B + 1.1·D and ≤ half of broadcast.
 */
final class Report {
    private static final double MIB = 1024.0 * 1024.0;
    /** The goal is stated for a matrix of at least 1 GiB. */
    private static final long GOAL_BYTES = 1L << 30;

    private Report() {}

    static void print(BenchOptions o, long d, Map<String, SparkBench.WayResult> results) {
        System.out.printf(Locale.ROOT, "BENCH spark.D %.0f MiB%n", d / MIB);
        boolean pass = true;
        for (HostMemory.Host h : o.hosts()) {
            String host = h.name();
            System.out.printf(Locale.ROOT, "host %s:%n", host);
            results.forEach((way, r) -> {
                HostMemory.Sample b = r.baseline().get(host), p = r.peaks().get(host);
                System.out.printf(Locale.ROOT,
                        "  %-18s baseline E·B %7.0f MiB (%d executors)  peak %7.0f MiB = executors %7.0f + /dev/shm %6.0f%n",
                        way, b.total() / MIB, b.executors(), p.total() / MIB, p.executorBytes() / MIB, p.shmBytes() / MIB);
                System.out.printf(Locale.ROOT, "BENCH spark.%s.%s.peak %.0f MiB%n", host, way, p.total() / MIB);
                System.out.printf(Locale.ROOT, "BENCH spark.%s.%s.baseline %.0f MiB%n", host, way, b.total() / MIB);
            });
            SparkBench.WayResult bc = results.get("broadcast");
            for (Map.Entry<String, SparkBench.WayResult> e : results.entrySet()) {
                if (!e.getKey().startsWith("memshare") || bc == null) continue;
                long peak = e.getValue().peaks().get(host).total();
                long eb = e.getValue().baseline().get(host).total();
                long bcPeak = bc.peaks().get(host).total();
                double limit = eb + 1.1 * d;
                boolean ok = peak <= limit && peak <= bcPeak / 2.0;
                if (e.getKey().equals("memshare-file")) pass &= ok;
                System.out.printf(Locale.ROOT, "BENCH spark.%s.ratio.broadcast/%s %.2f x%n", host, e.getKey(), (double) bcPeak / peak);
                System.out.printf(Locale.ROOT, "  goal %s: %.0f MiB <= E·B + 1.1·D = %.0f MiB %s, <= broadcast/2 = %.0f MiB %s%n",
                        e.getKey(), peak / MIB, limit / MIB, peak <= limit ? "yes" : "NO",
                        bcPeak / 2.0 / MIB, peak <= bcPeak / 2.0 ? "yes" : "NO");
            }
        }
        if (!results.containsKey("broadcast") || !results.containsKey("memshare-file")) return;
        if (d < GOAL_BYTES)
            System.out.printf(Locale.ROOT, "spark bench goal: not judged at D = %.0f MiB; it is stated for D >= 1 GiB, where the "
                    + "executors' own growth during a job (tens of MiB) is small beside 0.1·D%n", d / MIB);
        else
            System.out.println("spark bench goal (memshare-file on every host): " + (pass ? "PASS" : "FAIL"));
    }
}
