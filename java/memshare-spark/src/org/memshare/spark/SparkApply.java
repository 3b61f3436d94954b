package org.memshare.spark;

import java.io.Serializable;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.memshare.MatrixView;
import org.memshare.View;
import org.memshare.apply.ApplyException;
import org.memshare.apply.ApplyFunction;
import org.memshare.apply.Margin;
import org.memshare.apply.SharedVars;

/**
 * The library's {@code memApply} on a Spark cluster: the same {@link ApplyFunction}, run for every
 * column (or row) of a {@link HostMatrix}, the columns cut into blocks, one Spark partition per
 * block. Each task reads its host's one copy zero-copy (columns are handed over as buffers over
 * the shared memory; rows are gathered into a buffer, as on one host); the shared variables are
 * host copies too, handed to the function as {@link SharedVars} of views.
 */
public final class SparkApply {
    private SparkApply() {}

    /** {@link #memApply(JavaSparkContext, HostMatrix, Margin, ApplyFunction, Map, SparkApplyOptions)} with the default options. */
    public static <R> List<R> memApply(JavaSparkContext sc, HostMatrix x, Margin margin, ApplyFunction<R> fun,
                                       Map<String, HostMatrix> vars) {
        return memApply(sc, x, margin, fun, vars, SparkApplyOptions.defaults());
    }

    /**
     * Runs {@code fun} for every column or row of {@code x} on the cluster.
     *
     * @param vars    the shared variables, by the name the function asks {@link SharedVars} for (an
     *                n x 1 host matrix serves as a vector through {@link SharedVars#array})
     * @return the results, in index order (column 0 first)
     * @throws ApplyException if the function threw (the index named, the function's exception
     *                        as the cause) or the job failed otherwise (Spark's exception as the cause)
     */
    public static <R> List<R> memApply(JavaSparkContext sc, HostMatrix x, Margin margin, ApplyFunction<R> fun,
                                       Map<String, HostMatrix> vars, SparkApplyOptions options) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(margin, "margin");
        Objects.requireNonNull(fun, "function");
        long total = margin == Margin.COLUMNS ? x.ncol() : x.nrow();
        List<long[]> blocks = blocks(total, options.partitions() > 0 ? options.partitions() : 4 * sc.defaultParallelism());
        if (blocks.isEmpty()) return List.of();
        Block<R> task = new Block<>(x, margin, fun, new HashMap<>(vars));
        String what = (margin == Margin.COLUMNS ? "the columns of " : "the rows of ") + x.describe();
        ApplyProgress progress = options.progress() == null ? null : ApplyProgress.start(sc, blocks, total, options.progress());
        String previous = sc.getLocalProperty(ApplyProgress.CALL_PROPERTY);
        sc.setLocalProperty(ApplyProgress.CALL_PROPERTY, progress != null ? progress.callId() : UUID.randomUUID().toString());
        sc.setJobDescription("memshare memApply over " + what);
        List<List<R>> parts;
        try {
            parts = sc.parallelize(blocks, blocks.size()).map(task).collect();
        } catch (Exception e) {
            throw failure(what, e);
        } finally {
            sc.setLocalProperty(ApplyProgress.CALL_PROPERTY, previous);
            sc.setJobDescription(null);
            if (progress != null) progress.stop();
        }
        List<R> out = new ArrayList<>((int) Math.min(total, Integer.MAX_VALUE));
        for (List<R> p : parts) out.addAll(p);
        if (progress != null) progress.finish();
        return out;
    }

    /** {@code [from, to)} ranges cutting {@code total} items into at most {@code parts} blocks of nearly equal size. */
    static List<long[]> blocks(long total, int parts) {
        List<long[]> out = new ArrayList<>();
        int n = (int) Math.max(1, Math.min(parts, total));
        for (int b = 0; b < n && total > 0; b++) out.add(new long[] {total * b / n, total * (b + 1) / n});
        return out;
    }

    /** The function's failure, found in Spark's exception chain, with its index; else the job's failure. */
    private static ApplyException failure(String what, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause())
            if (t instanceof ItemFailure f)
                return new ApplyException("memApply on Spark: the function failed for " + f.item + ": " + f.getCause(), f.index,
                        f.getCause());
        // Spark's message carries the executor's stack trace; the task's exception (when it could
        // be sent) or the message's first line says what failed.
        Throwable reason = e instanceof SparkException && e.getCause() != null ? e.getCause() : e;
        String text = reason == e ? String.valueOf(e.getMessage()) : reason.toString();
        return new ApplyException("memApply on Spark over " + what + " failed: " + text.strip().lines().findFirst().orElse(""), -1, e);
    }

    /** The function failed for one item; travels from the executor to the driver inside Spark's task failure. */
    static final class ItemFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long index;
        final String item;

        ItemFailure(long index, String item, Throwable cause) {
            super(item + ": " + cause, cause);
            this.index = index;
            this.item = item;
        }
    }

    /** One partition's work: the items {@code [from, to)} of x, in order. */
    private record Block<R>(HostMatrix x, Margin margin, ApplyFunction<R> fun, HashMap<String, HostMatrix> vars)
            implements Function<long[], List<R>>, Serializable {
        @Override
        public List<R> call(long[] range) {
            MatrixView m = x.view();
            Map<String, View> views = new HashMap<>();
            vars.forEach((name, hm) -> views.put(name, hm.view()));
            SharedVars shared = SharedVars.of(views);
            double[] row = margin == Margin.ROWS ? new double[Math.toIntExact(m.ncol())] : null;
            List<R> out = new ArrayList<>((int) (range[1] - range[0]));
            for (long i = range[0]; i < range[1]; i++) {
                DoubleBuffer v = row == null ? m.column(i) : DoubleBuffer.wrap(m.row(i, row)).asReadOnlyBuffer();
                try {
                    out.add(fun.apply(v, shared));
                } catch (Exception | Error e) {
                    throw new ItemFailure(i, (margin == Margin.COLUMNS ? "column " : "row ") + i + " of " + x.describe(), e);
                }
            }
            return out;
        }
    }
}
