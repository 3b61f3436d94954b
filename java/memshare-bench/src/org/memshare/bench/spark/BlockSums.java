package org.memshare.bench.spark;

import java.io.Serializable;
import org.apache.spark.SparkEnv;

/** What one task returns: the sums of its block of columns and where it ran. */
record BlockSums(int firstColumn, double[] sums, String executorId, String host, long pid) implements Serializable {
    /** Sums of the columns [first, first + count) of a column-major matrix read through {@code column}. */
    static BlockSums of(int first, int count, int rows, ColumnReader column) {
        double[] s = new double[count];
        for (int k = 0; k < count; k++) {
            double acc = 0;
            for (int i = 0; i < rows; i++) acc += column.get(first + k, i);
            s[k] = acc;
        }
        SparkEnv env = SparkEnv.get();
        return new BlockSums(first, s, env.executorId(), env.blockManager().blockManagerId().host(),
                ProcessHandle.current().pid());
    }

    /** Element (row i) of column j. */
    interface ColumnReader {
        double get(int j, int i);
    }
}
