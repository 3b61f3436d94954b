package org.memshare.spark;

import org.memshare.apply.ProgressListener;

/**
 * Options of {@link SparkApply#memApply}: how many partitions (blocks of rows or columns) and who
 * hears of progress. Immutable; each {@code with} returns a copy.
 */
public final class SparkApplyOptions {
    private final int partitions;
    private final ProgressListener progress;

    private SparkApplyOptions(int partitions, ProgressListener progress) {
        this.partitions = partitions;
        this.progress = progress;
    }

    /** Four partitions per core of the application (Spark's default parallelism), no progress. */
    public static SparkApplyOptions defaults() {
        return new SparkApplyOptions(0, null);
    }

    /** {@code n} partitions (at most one per row or column); 0 for the default. */
    public SparkApplyOptions withPartitions(int n) {
        if (n < 0) throw new IllegalArgumentException("partitions must be at least 0, not " + n);
        return new SparkApplyOptions(n, progress);
    }

    /** Receives (items done, items in the call) on the driver as partitions finish; the last call has done == total. */
    public SparkApplyOptions withProgress(ProgressListener listener) {
        return new SparkApplyOptions(partitions, listener);
    }

    public int partitions() {
        return partitions;
    }

    public ProgressListener progress() {
        return progress;
    }
}
