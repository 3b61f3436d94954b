package org.memshare.cli;

import java.util.List;

/**
 * What {@code memshare select} ranks: named feature columns (column-major, {@code rows} values
 * each), the target, which features are discrete, and, for the synthetic data, which are planted.
 *
 * @param source      where it came from, for messages
 * @param rows        number of observations
 * @param names       feature names, in column order
 * @param columns     the feature values, column-major: feature j is [j*rows, (j+1)*rows)
 * @param discrete    per feature: treat as discrete
 * @param targetName  the target's name
 * @param target      the target values
 * @param targetDiscrete treat the target as discrete
 * @param planted     names of the features known to be informative (empty for real data)
 */
record FeatureData(String source, int rows, List<String> names, double[] columns, boolean[] discrete, String targetName,
                   double[] target, boolean targetDiscrete, List<String> planted) {
    int features() {
        return names.size();
    }
}
