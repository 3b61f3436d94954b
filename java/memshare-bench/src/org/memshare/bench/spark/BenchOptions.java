package org.memshare.bench.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of {@link SparkBench}. */
record BenchOptions(String master, List<HostMemory.Host> hosts, String jar, int rows, int cols, int blocks,
                    String executorMemory, List<String> ways, Path dir) {
    static BenchOptions parse(String[] args) {
        String master = null, jar = null, mem = "4g";
        List<HostMemory.Host> hosts = new ArrayList<>();
        List<String> ways = List.of("broadcast", "memshare-file");
        int rows = 16384, cols = 8192, blocks = 16;
        Path dir = Path.of("target/spark-bench");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
            String v = args[++i];
            switch (a) {
                case "--master" -> master = v;
                case "--host" -> hosts.add(HostMemory.Host.parse(v));
                case "--jar" -> jar = v;
                case "--rows" -> rows = Integer.parseInt(v);
                case "--cols" -> cols = Integer.parseInt(v);
                case "--blocks" -> blocks = Integer.parseInt(v);
                case "--executor-memory" -> mem = v;
                case "--ways" -> ways = List.of(v.split(","));
                case "--dir" -> dir = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (master == null || jar == null || hosts.isEmpty())
            throw new IllegalArgumentException("--master, --jar and --host NAME=WORKER_PID are required");
        return new BenchOptions(master, List.copyOf(hosts), jar, rows, cols, blocks, mem, ways, dir);
    }
}
