package org.memshare.bench;

import java.io.IOException;
import java.nio.DoubleBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.memshare.ArrayPage;
import org.memshare.ElementType;
import org.memshare.MatrixView;
import org.memshare.Namespace;
import org.memshare.apply.Apply;
import org.memshare.apply.ApplyFunction;
import org.memshare.apply.ApplyOptions;
import org.memshare.apply.DoubleApplyFunction;
import org.memshare.apply.Margin;
import org.memshare.apply.OutputBlock;
import org.memshare.apply.WorkerCluster;
import org.memshare.cli.PssSampler;

/**
 * {@code scripts/bench apply}: {@code sd} over the columns of an already-registered n × n
 * matrix, every contender in one run: a plain sequential read, a serial loop, memApply on 2
 * threads, memApply on 2 warm worker processes, shipping the matrix to 2 workers by copy, and the
 * fixed cost of a tiny call; plus the summed PSS of all processes during the process and copy
 * runs. Then a transform: every column standardised into a shared output by the 2 worker processes
 * (memApplyInto), beside a sequential read-and-write of the same bytes and beside the columns
 * returned over the sockets, with the summed PSS it adds. Prints {@code BENCH <name> <value> <unit>} lines; with {@code --write FILE} also writes
 * a Markdown report. Usage: {@code ApplyBench [n=10000] [repeats=3] [--write FILE]}.
 */
public final class ApplyBench {
    private ApplyBench() {}

    /** Sample standard deviation (R's {@code sd}), two passes. */
    static double sd(DoubleBuffer x) {
        return meanSd(x)[1];
    }

    /** The memory-bandwidth floor: touch every value once, in column order. */
    static double sequentialRead(MatrixView x) {
        double sink = 0;
        for (long j = 0; j < x.ncol(); j++) sink += sum(x.column(j));  // per column, so it compiles like sd
        return sink;
    }

    static double sum(DoubleBuffer c) {
        // Four independent sums: the loop runs at memory speed instead of one add's latency.
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int n = c.limit(), i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += c.get(i);
            s1 += c.get(i + 1);
            s2 += c.get(i + 2);
            s3 += c.get(i + 3);
        }
        for (; i < n; i++) s0 += c.get(i);
        return s0 + s1 + s2 + s3;
    }

    /** Mean and sample standard deviation of a column, two passes. */
    static double[] meanSd(DoubleBuffer x) {
        int n = x.limit();
        double sum = 0;
        for (int i = 0; i < n; i++) sum += x.get(i);
        double mean = sum / n, ss = 0;
        for (int i = 0; i < n; i++) {
            double d = x.get(i) - mean;
            ss += d * d;
        }
        return new double[] {mean, Math.sqrt(ss / (n - 1))};
    }

    /** Standardises a column into its block of the shared output: (x - mean) / sd. */
    static void standardize(DoubleBuffer x, OutputBlock out) {
        double[] m = meanSd(x);
        for (int i = 0; i < out.length(); i++) out.set(i, (x.get(i) - m[0]) / m[1]);
    }

    /** The same values into a new array (for the results returned over the socket). */
    static double[] standardized(DoubleBuffer x) {
        double[] m = meanSd(x), out = new double[x.limit()];
        for (int i = 0; i < out.length; i++) out[i] = (x.get(i) - m[0]) / m[1];
        return out;
    }

    /**
     * The floor of a transform into shared memory: allocate the output, read every value of X
     * and write one value per value, column by column, in one thread; publish.
     */
    static void sequentialReadWrite(Namespace space, MatrixView x, String name) {
        try (ArrayPage out = space.allocateMatrix(name, ElementType.FLOAT64, x.nrow(), x.ncol())) {
            for (long j = 0; j < x.ncol(); j++) {
                DoubleBuffer in = x.column(j), o = out.column(j);
                for (int i = 0; i < in.limit(); i++) o.put(i, in.get(i) * 0.5);
            }
            out.publish();
        }
    }

    static double[] serialSd(MatrixView x) {
        double[] s = new double[Math.toIntExact(x.ncol())];
        for (int j = 0; j < s.length; j++) s[j] = sd(x.column(j));
        return s;
    }

    /** Entry point; see the class comment. */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path report = args.length > 3 && args[2].equals("--write") ? Paths.get(args[3]) : null;
        String ns = "ab" + ProcessHandle.current().pid();
        long bytes = 8L * n * n;
        List<String> lines = new ArrayList<>();
        String load = loadAverage();
        try (Namespace space = Namespace.of(ns); WorkerCluster cluster = WorkerCluster.start(2)) {
            ArrayPage page = space.allocateMatrix("X", ElementType.FLOAT64, n, n);
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(42);
            double[] col = new double[n];
            for (long j = 0; j < n; j++) {  // filled in place: no heap copy of the matrix
                for (int i = 0; i < n; i++) col[i] = rnd.nextDouble();
                page.column(j).put(col);
            }
            page.publish();
            ApplyOptions threads = ApplyOptions.defaults().withNamespace(ns).withWorkers(2);
            ApplyOptions procs = ApplyOptions.defaults().withNamespace(ns).withCluster(cluster);
            DoubleApplyFunction sdFun = (v, vars) -> sd(v);
            double[] reference;
            try (MatrixView x = space.matrix("X")) {
                reference = serialSd(x);
                sequentialRead(x);  // warm-up
            }
            // Warm every path once (JIT, worker class loading and views) before timing.
            Apply.memApplyDouble("X", Margin.COLUMNS, sdFun, threads);
            Apply.memApplyDouble("X", Margin.COLUMNS, sdFun, procs);

            long[] read = new long[repeats], serial = new long[repeats], thr = new long[repeats], proc = new long[repeats];
            long addedProcPss = 0, peakProcPss = 0;
            double sink = 0;
            for (int r = 0; r < repeats; r++) {
                try (MatrixView x = space.matrix("X")) {
                    long t0 = System.nanoTime();
                    sink += sequentialRead(x);
                    read[r] = System.nanoTime() - t0;
                    t0 = System.nanoTime();
                    double[] s = serialSd(x);
                    serial[r] = System.nanoTime() - t0;
                    check(reference, s, "serial");
                }
                long t0 = System.nanoTime();
                check(reference, Apply.memApplyDouble("X", Margin.COLUMNS, sdFun, threads), "threads");
                thr[r] = System.nanoTime() - t0;
                try (PssSampler pss = new PssSampler(cluster.pids())) {
                    t0 = System.nanoTime();
                    check(reference, Apply.memApplyDouble("X", Margin.COLUMNS, sdFun, procs), "processes");
                    proc[r] = System.nanoTime() - t0;
                    addedProcPss = Math.max(addedProcPss, pss.addedKiB());
                    peakProcPss = Math.max(peakProcPss, pss.peakPssKiB());
                }
            }
            if (sink == 42) System.out.print("");  // keep the reads

            // The baseline shared memory replaces, as R's PSOCK clusters do it (clusterExport): the
            // whole matrix is serialized to every worker, inside the function of a call over a
            // 1 x 2 index matrix, and each worker computes the sd of its half of the columns.
            long copyNs;
            long addedCopyPss, peakCopyPss;
            space.register("halves", org.memshare.Matrix.of(1, 2, new double[] {0, 1}));
            try (MatrixView x = space.matrix("X"); PssSampler pss = new PssSampler(cluster.pids())) {
                long t0 = System.nanoTime();
                double[] copy = x.toDoubleArray();
                final int rows = n;
                ApplyFunction<double[]> half = (h, vars) -> {
                    int from = (int) h.get(0) * rows / 2, to = ((int) h.get(0) + 1) * rows / 2;
                    double[] out = new double[to - from];
                    for (int j = from; j < to; j++) out[j - from] = sd(DoubleBuffer.wrap(copy, j * rows, rows).slice());
                    return out;
                };
                List<double[]> parts = Apply.memApply("halves", Margin.COLUMNS, half, procs.withChunkSize(1));
                copyNs = System.nanoTime() - t0;
                addedCopyPss = pss.addedKiB();
                peakCopyPss = pss.peakPssKiB();
                double[] joined = new double[n];
                System.arraycopy(parts.get(0), 0, joined, 0, n / 2);
                System.arraycopy(parts.get(1), 0, joined, n / 2, n - n / 2);
                check(reference, joined, "copy");
            }

            // A transform: standardise every column into a shared output of X's shape on the 2
            // worker processes, each writing its columns in place; beside the floor (read X and
            // write the output once, sequentially, in one thread) and the same transform with the
            // columns returned over the worker sockets and copied into the output by the caller.
            long back;
            // The memory of the transform, in one untimed run each way, after the heap the copy
            // run grew is given back (a full GC; G1 uncommits in the background): what a JVM still
            // keeps can only lower the socket run's figure, which makes it a lower bound. The timed
            // runs have no sampler running, since sampling walks the processes' page tables (1.6 GB
            // mapped each) and slows them.
            System.gc();
            Thread.sleep(1000);
            long addedIntoPss, addedIntoMemory, addedBackPss, addedBackMemory;
            try (PssSampler pss = new PssSampler(cluster.pids(), ns); ArrayPage z = standardizeInto(space, n, procs)) {
                addedIntoPss = pss.addedPssKiB();
                addedIntoMemory = pss.addedMemoryKiB();
            }
            try (PssSampler pss = new PssSampler(cluster.pids(), ns); ArrayPage z = standardizeBack(space, n, procs)) {
                addedBackPss = pss.addedPssKiB();
                addedBackMemory = pss.addedMemoryKiB();
            }
            long[] readWrite = new long[repeats], into = new long[repeats];
            try (MatrixView x = space.matrix("X")) {
                sequentialReadWrite(space, x, "W");  // warm-up
            }
            for (int r = 0; r < repeats; r++) {
                try (MatrixView x = space.matrix("X")) {
                    long t0 = System.nanoTime();
                    sequentialReadWrite(space, x, "W");
                    readWrite[r] = System.nanoTime() - t0;
                }
                long intoStart = System.nanoTime();
                try (ArrayPage z = standardizeInto(space, n, procs)) {
                    into[r] = System.nanoTime() - intoStart;
                    checkStandardized(space, "Z");
                }
            }
            long backStart = System.nanoTime();
            try (ArrayPage z = standardizeBack(space, n, procs)) {
                back = System.nanoTime() - backStart;
                checkStandardized(space, "Zs");
            }

            // Fixed cost of one call with a warm cluster: after 300 calls, so that the workers'
            // JIT has compiled the call path, as in a cluster that serves many calls.
            space.register("tiny", org.memshare.Matrix.of(2, 2, new double[] {1, 2, 3, 4}));
            long[] tiny = new long[200];
            for (int r = -300; r < tiny.length; r++) {
                long t0 = System.nanoTime();
                Apply.memApplyDouble("tiny", Margin.COLUMNS, sdFun, procs);
                if (r >= 0) tiny[r] = System.nanoTime() - t0;
            }

            double mRead = median(read), mSerial = median(serial), mThr = median(thr), mProc = median(proc);
            String size = n + "x" + n;
            emit(lines, "matrix_" + size + "_size", bytes / 1e6, "MB");
            emit(lines, "sequential_read_" + size, mRead, "ms");
            emit(lines, "serial_sd_" + size, mSerial, "ms");
            emit(lines, "memApply_2threads_sd_" + size, mThr, "ms");
            emit(lines, "memApply_2processes_sd_" + size, mProc, "ms");
            emit(lines, "copy_to_2processes_sd_" + size, copyNs / 1e6, "ms");
            emit(lines, "memApply_tiny_warm_cluster_fixed_cost", median(tiny), String.format(
                    "ms (p10 %.3f, p90 %.3f; 2 columns of a 2 x 2 matrix on 2 worker processes; goal < 1 ms median)",
                    pct(tiny, 10), pct(tiny, 90)));
            double mReadWrite = median(readWrite), mInto = median(into);
            emit(lines, "sequential_read_write_" + size, mReadWrite, "ms (allocate the output, read X and write it once, 1 thread)");
            emit(lines, "memApplyInto_2processes_standardize_" + size, mInto, "ms (allocate, workers write their columns in place, publish)");
            emit(lines, "returned_over_socket_2processes_standardize_" + size, back / 1e6, "ms (columns sent back, copied into the output)");
            emit(lines, "into_over_sequential_read_write", mInto / mReadWrite, "ratio (goal <= 2)");
            emit(lines, "returned_over_socket_over_into", back / 1e6 / mInto, "ratio");
            emit(lines, "memory_added_by_into_run", addedIntoMemory / 1024.0, "MiB (anonymous memory of all 3 processes + shared objects, each once)");
            emit(lines, "memory_added_by_into_run_over_output", addedIntoMemory * 1024.0 / bytes, "ratio (goal <= 1.1: the output once)");
            emit(lines, "memory_added_by_socket_run_over_output", addedBackMemory * 1024.0 / bytes,
                    "ratio (a lower bound: this JVM may keep heap the copy run grew)");
            emit(lines, "pss_added_by_into_run_over_output", addedIntoPss * 1024.0 / bytes,
                    "ratio (raw peak of summed PSS, read one process after another while pages become shared)");
            emit(lines, "pss_added_by_socket_run_over_output", addedBackPss * 1024.0 / bytes, "ratio (raw summed PSS)");
            emit(lines, "threads_over_sequential_read", mThr / mRead, "ratio");
            emit(lines, "processes_over_sequential_read", mProc / mRead, "ratio");
            emit(lines, "copy_over_processes", copyNs / 1e6 / mProc, "ratio");
            emit(lines, "pss_added_by_processes_run", addedProcPss / 1024.0, "MiB");
            emit(lines, "pss_added_by_processes_run_over_matrix", addedProcPss * 1024.0 / bytes, "ratio");
            emit(lines, "pss_added_by_copy_run", addedCopyPss / 1024.0, "MiB");
            emit(lines, "pss_added_by_copy_run_over_matrix", addedCopyPss * 1024.0 / bytes, "ratio");
            emit(lines, "pss_sum_peak_processes_run", peakProcPss / 1024.0, "MiB");
            emit(lines, "pss_sum_peak_copy_run", peakCopyPss / 1024.0, "MiB");
            String raw = "# raw ms: read " + raw(read) + " | serial " + raw(serial) + " | threads " + raw(thr)
                    + " | processes " + raw(proc) + " | read-write " + raw(readWrite) + " | into " + raw(into)
                    + " | tiny p10/p90 " + String.format("%.2f/%.2f", pct(tiny, 10), pct(tiny, 90));
            System.out.println(raw);
            lines.add(raw);
            String busy = "# load average (1, 5, 15 min) at the start: " + load + "; at the end: " + loadAverage()
                    + " (2 cores here: a load above 2 stretches every time above, the parallel ones most)";
            System.out.println(busy);
            lines.add(busy);
        }
        if (report != null) writeReport(report, lines, n, repeats);
    }

    /** Allocates Z (n x n) and has the workers standardise X's columns into it; published. */
    private static ArrayPage standardizeInto(Namespace space, int n, ApplyOptions procs) {
        ArrayPage z = space.allocateMatrix("Z", ElementType.FLOAT64, n, n);
        Apply.memApplyInto("X", Margin.COLUMNS, (v, out, vars) -> standardize(v, out), z, procs);
        return z;
    }

    /** The same columns computed by the workers, returned over the sockets, copied into Zs; published. */
    private static ArrayPage standardizeBack(Namespace space, int n, ApplyOptions procs) {
        List<double[]> cols = Apply.memApply("X", Margin.COLUMNS, (ApplyFunction<double[]>) (v, vars) -> standardized(v), procs);
        ArrayPage z = space.allocateMatrix("Zs", ElementType.FLOAT64, n, n);
        for (int j = 0; j < n; j++) z.column(j).put(cols.get(j));
        z.publish();
        return z;
    }

    /** Every 97th column of the published output equals the serial computation bit for bit. */
    private static void checkStandardized(Namespace space, String name) {
        try (MatrixView x = space.matrix("X"); MatrixView z = space.matrix(name)) {
            for (long j = 0; j < x.ncol(); j += 97) {
                DoubleBuffer in = x.column(j), out = z.column(j);
                double[] m = meanSd(in);
                for (int i = 0; i < in.limit(); i++)
                    if (Double.doubleToRawLongBits(out.get(i)) != Double.doubleToRawLongBits((in.get(i) - m[0]) / m[1]))
                        throw new AssertionError(name + ": column " + j + " row " + i + " is " + out.get(i));
            }
        }
    }

    /** The first three fields of /proc/loadavg, or "unknown". */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void check(double[] expected, double[] got, String what) {
        for (int j = 0; j < expected.length; j++)
            if (Math.abs(expected[j] - got[j]) > 1e-12)
                throw new AssertionError(what + ": column " + j + " gave " + got[j] + " instead of " + expected[j]);
    }

    private static void emit(List<String> lines, String name, double value, String unit) {
        String line = String.format("BENCH %s %.3f %s", name, value, unit);
        System.out.println(line);
        lines.add(line);
    }

    private static double median(long[] xs) {
        return pct(xs, 50);
    }

    private static double pct(long[] xs, int p) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.round((s.length - 1) * p / 100.0))] / 1e6;
    }

    private static String raw(long[] xs) {
        StringBuilder b = new StringBuilder();
        for (long x : xs) b.append(String.format("%.1f ", x / 1e6));
        return b.toString().trim();
    }

    /** Replaces the apply section of the report file, or appends it. */
    private static void writeReport(Path file, List<String> lines, int n, int repeats) throws IOException {
        String begin = "<!-- apply:begin -->", end = "<!-- apply:end -->";
        StringBuilder section = new StringBuilder(begin).append("\n## Parallel apply (`scripts/bench apply`)\n\n")
                .append("`sd` over the columns of a registered ").append(n).append(" × ").append(n)
                .append(" matrix, medians of ").append(repeats).append(" runs (tiny call: 200, after 300 warm-up calls), 2 workers, written by the")
                .append(" benchmark itself on ").append(java.time.LocalDate.now()).append(":\n\n```\n");
        for (String l : lines) section.append(l).append('\n');
        section.append("```\n\n")
                .append("How to read it: `sequential_read` touches every value once (the memory-bandwidth floor); ")
                .append("`serial_sd` is a plain loop; `memApply_2threads` and `memApply_2processes` run the same `sd` ")
                .append("by name over the registered matrix (processes: a warm `WorkerCluster`, views attached per call); ")
                .append("`copy_to_2processes` serializes the whole matrix to each of 2 worker processes, as R's PSOCK ")
                .append("clusters do, and each computes half the columns. `pss_added_by_*` is what the run added to the ")
                .append("summed PSS of all processes, measured as the peak of their summed private memory (smaps_rollup ")
                .append("Private_Clean + Private_Dirty) minus its value at the start: the matrix stays mapped by its owner, ")
                .append("so this equals the added PSS without the skew of sampling several processes' shares at slightly ")
                .append("different times; the raw peak sums of PSS are printed too. Two threads are not faster than one ")
                .append("here: `sd` of a column is bound by memory bandwidth, which one core already saturates. ")
                .append("The transform: `memApplyInto_2processes_standardize` allocates an output page of X's shape and ")
                .append("has the 2 worker processes write (x - mean) / sd of their columns into it in place (`memApplyInto`), ")
                .append("then publishes it; `sequential_read_write` is its floor (allocate the output, read every value of X ")
                .append("and write one value per value, in one thread); `returned_over_socket` computes the same columns ")
                .append("on the workers, sends them back over the sockets and copies them into the output. Every 97th ")
                .append("column of both outputs is checked against a serial computation bit for bit. These three are ")
                .append("timed with no memory sampler running (sampling walks the processes' page tables and slows them); ")
                .append("their memory is measured in one more, untimed run of each. ")
                .append("`memory_added_by_*` is the peak of the summed anonymous memory of the 3 processes plus the ")
                .append("bytes of the namespace's shared-memory objects, minus its value at the start: the added summed ")
                .append("PSS, without the double counting of pages that become shared between the reads of two ")
                .append("processes' PSS (the raw summed-PSS figure is printed beside it). The tiny call is timed after 300 ")
                .append("warm-up calls.\n")
                .append(end);
        String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n";
        int b = text.indexOf(begin), e = text.indexOf(end);
        text = b >= 0 && e > b ? text.substring(0, b) + section + text.substring(e + end.length())
                : text.stripTrailing() + "\n\n" + section + "\n";
        Files.writeString(file, text);
    }
}
