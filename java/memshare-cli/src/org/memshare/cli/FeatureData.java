package org.memshare.cli;

import java.util.List;

/**
 * What {@code memshare select} ranks: named feature columns, the target, which features are
 * discrete, and, for the synthetic data, which are planted. The columns come from a
 * {@link Columns} source, so that generated data can go straight into shared memory without a
 * second copy on the Java heap.
 *
 * @param source         where it came from, for messages
 * @param rows           number of observations
 * @param names          feature names, in column order
 * @param columns        the feature values
 * @param discrete       per feature: treat as discrete
 * @param targetName     the target's name
 * @param target         the target values
 * @param targetDiscrete treat the target as discrete
 * @param planted        names of the features known to be informative (empty for real data)
 */
record FeatureData(String source, int rows, List<String> names, Columns columns, boolean[] discrete, String targetName,
                   double[] target, boolean targetDiscrete, List<String> planted) {

    /** Feature values, one column at a time. */
    interface Columns {
        /** Writes feature {@code j}'s {@code rows} values into {@code into}. */
        void column(int j, double[] into);

        /** Whether some value may be missing or non-finite (generated data has none). */
        boolean mayHaveMissing();
    }

    /** Columns held in one column-major array (a CSV file's, read into memory). */
    record InMemory(double[] values, int rows) implements Columns {
        @Override
        public void column(int j, double[] into) {
            System.arraycopy(values, j * rows, into, 0, rows);
        }

        @Override
        public boolean mayHaveMissing() {
            return true;
        }
    }

    int features() {
        return names.size();
    }
}
