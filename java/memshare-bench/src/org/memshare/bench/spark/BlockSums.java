package org.memshare.bench.spark;

import java.io.Serializable;
import org.apache.spark.SparkEnv;

/** What one task returns: the sums of its block of columns and where it ran. */
record BlockSums(int firstColumn, double[] sums, String executorId, String host, long pid) implements Serializable {
    /** Sums of the columns [first, first + count), each added in row order (as the driver adds them). */
    static BlockSums of(int first, int count, int rows, Columns columns) {
        double[] s = new double[count];
        for (int k = 0; k < count; k++) {
            Column c = columns.column(first + k);
            double acc = 0;
            for (int i = 0; i < rows; i++) acc += c.get(i);
            s[k] = acc;
        }
        SparkEnv env = SparkEnv.get();
        return new BlockSums(first, s, env.executorId(), env.blockManager().blockManagerId().host(),
                ProcessHandle.current().pid());
    }

    /** The columns of a matrix. */
    interface Columns {
        Column column(int j);
    }

    /** The values of one column. */
    interface Column {
        double get(int i);
    }
}
