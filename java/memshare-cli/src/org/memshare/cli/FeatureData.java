package org.memshare.cli;

import java.util.List;
import org.memshare.ArrayPage;
import org.memshare.ElementType;
import org.memshare.Namespace;

/**
 * What {@code memshare select} ranks: named feature columns, the target, which features are
 * discrete, and, for the synthetic data, which are planted. The columns come from a
 * {@link Columns} source that puts them into shared memory itself, so that no source needs a
 * copy of the matrix on the Java heap: generated data is written column by column, a table is
 * parsed straight into its pages.
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

    /** Where the feature values come from. */
    interface Columns {
        /**
         * Makes {@code name} in {@code space} a published float64 matrix of {@code rows} rows
         * holding the features {@code members}, in that order. A source that has already parsed
         * its values into that page (a table) only checks that it is there.
         */
        void put(Namespace space, String name, int rows, int[] members);
    }

    /** A source that produces one feature column at a time (generated data). */
    interface ColumnByColumn extends Columns {
        /** Writes feature {@code j}'s values into {@code into}. */
        void column(int j, double[] into);

        @Override
        default void put(Namespace space, String name, int rows, int[] members) {
            ArrayPage page = space.allocateMatrix(name, ElementType.FLOAT64, rows, members.length);
            double[] column = new double[rows];
            for (int k = 0; k < members.length; k++) {
                column(members[k], column);
                page.column(k).put(column);
            }
            page.publish();
        }
    }

    int features() {
        return names.size();
    }
}
