package org.memshare.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The embedded default data set of {@code memshare select}: the shape of the paper's case study
 * scaled to 2,000 features (10,446 observations, a 32-class target), with a known set of planted
 * informative features and pure noise everywhere else. Deterministic for a seed, and generated
 * one column at a time (each from its own seeded stream), so it can be written straight into
 * shared memory.
 *
 * <p>A planted feature is {@code s·e(y) + noise}: e maps each class to its own level (drawn
 * once per feature, so the dependence is not monotone in the class label), s is a strength
 * between 0.6 and 1.5, and the noise is standard normal. Noise features are standard normal.
 */
final class SyntheticFeatures {
    static final int CLASSES = 32;
    static final int PLANTED = 20;

    private SyntheticFeatures() {}

    static FeatureData generate(int rows, int features, int planted, long seed) {
        if (rows < 3 || features < 1) throw new MemshareCli.CliException("synthetic data needs at least 3 rows and 1 feature");
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) y[i] = i % CLASSES;  // balanced classes, then shuffled
        for (int i = rows - 1; i > 0; i--) {
            int k = rnd.nextInt(i + 1);
            double t = y[i];
            y[i] = y[k];
            y[k] = t;
        }
        int stride = Math.max(1, features / Math.max(1, planted));
        List<String> names = new ArrayList<>();
        List<String> plantedNames = new ArrayList<>();
        for (int f = 0; f < features; f++) {
            String name = String.format("f%04d", f + 1);
            names.add(name);
            if (isPlanted(f, stride, planted)) plantedNames.add(name);
        }
        FeatureData.ColumnByColumn columns = new FeatureData.ColumnByColumn() {
            @Override
            public void column(int f, double[] into) {
                SplittableRandom r = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (f + 1)));
                boolean informative = isPlanted(f, stride, planted);
                double strength = 0.6 + 0.9 * r.nextDouble();
                double[] level = new double[CLASSES];
                for (int c = 0; c < CLASSES; c++) level[c] = gaussian(r);
                for (int i = 0; i < rows; i++) into[i] = gaussian(r) + (informative ? strength * level[(int) y[i]] : 0);
            }
        };
        return new FeatureData("synthetic (seed " + seed + ")", rows, names, columns, new boolean[features], "class", y, true,
                plantedNames);
    }

    private static boolean isPlanted(int f, int stride, int planted) {
        return f % stride == 0 && f / stride < planted;
    }

    /** Standard normal by Box–Muller (SplittableRandom has no nextGaussian on Java 17). */
    private static double gaussian(SplittableRandom rnd) {
        double u = 1.0 - rnd.nextDouble(), v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
