package org.memshare.cli;

import java.nio.DoubleBuffer;

/**
 * What {@code memshare select} takes for class labels (docs/CLI.md, "What is a class"): a column
 * whose finite values are all integers, with at most {@link #MAX_CLASSES} distinct values and at
 * least {@link #ROWS_PER_CLASS} rows per class on average. Why these numbers: a classifier's users
 * (scikit-learn's {@code type_of_target}, R's factors) code classes as small integers, 2 to a few
 * dozen of them (the paper's case study has 32); a count or an age has more levels, and a
 * column with fewer than five rows per level is an ID or a measurement, for which a table
 * estimate would mostly count the levels. The same function decides in the CLI (for its report)
 * and in the workers (for {@code --discrete-features}), so the two cannot disagree.
 */
final class ClassRule {
    /** At most this many distinct values. */
    static final int MAX_CLASSES = 50;
    /** At least this many rows per class, on average. */
    static final int ROWS_PER_CLASS = 5;

    private ClassRule() {}

    /** What one pass over a column tells. */
    record Facts(int finite, int levels, boolean integers) {
        /** Whether these are class labels by the rule. */
        boolean classes() {
            return integers && levels >= 1 && levels <= MAX_CLASSES && (long) levels * ROWS_PER_CLASS <= finite;
        }

    }

    /** Whether {@code v} holds class labels by the rule. */
    static boolean isClasses(DoubleBuffer v) {
        // Most features are not integers: the first such value ends the look (facts() reads all).
        for (int i = 0, n = v.limit(); i < n; i++) {
            double x = v.get(i);
            if (Double.isFinite(x) && x != Math.rint(x)) return false;
        }
        return facts(v).classes();
    }

    /**
     * Counts the finite values and the distinct ones among them (counting stops past
     * {@link #MAX_CLASSES}, the levels then reported as one more), and whether all are integers.
     * A continuous column passes the cap within a few dozen values; after it each value costs one test.
     */
    static Facts facts(DoubleBuffer v) {
        int cap = MAX_CLASSES, n = v.limit(), finite = 0, levels = 0;
        boolean integers = true;
        double[] seen = new double[cap + 1];
        for (int i = 0; i < n; i++) {
            double x = v.get(i);
            if (!Double.isFinite(x)) continue;
            finite++;
            if (x != Math.rint(x)) integers = false;
            if (levels > cap) continue;  // past the cap only the finite count goes on
            boolean found = false;
            for (int k = 0; k < levels && !found; k++) found = seen[k] == x;
            if (!found) {
                if (levels < seen.length) seen[levels] = x;
                levels++;
            }
        }
        return new Facts(finite, Math.min(levels, cap + 1), integers);
    }

    /** The distinct values of {@code v} (NaN one of them), exactly: for the few columns --discrete names. */
    static int levels(DoubleBuffer v) {
        java.util.HashSet<Double> seen = new java.util.HashSet<>();
        for (int i = 0; i < v.limit(); i++) seen.add(v.get(i));
        return seen.size();
    }

    /** Whether {@code levels} classes are too many for {@code rows} rows (under {@link #ROWS_PER_CLASS} per class). */
    static boolean tooMany(int levels, int rows) {
        return (long) levels * ROWS_PER_CLASS > rows;
    }

    /**
     * Why a column of {@code levels} distinct values in {@code rows} rows that --discrete names is
     * not classes by the rule's counts (more than {@link #MAX_CLASSES}, or under {@link #ROWS_PER_CLASS}
     * rows per value), with the rows per class; null if it is. For the warning: a table estimate
     * over many classes for the rows is biased upward, so that unrelated features score high.
     */
    static String tooManyForClasses(int levels, int rows) {
        if (levels <= MAX_CLASSES && !tooMany(levels, rows)) return null;
        String perClass = String.format(java.util.Locale.ROOT, "%.1f rows per class", rows / (double) Math.max(1, levels));
        return levels + " distinct values in " + rows + " rows: " + (levels > MAX_CLASSES ? "more than the class rule's " + MAX_CLASSES
                + " classes, " : "fewer than " + ROWS_PER_CLASS + " rows per class, ") + perClass;
    }

    /** Rows where both {@code x} and {@code y} are finite: what --na-rm leaves. */
    static int usable(DoubleBuffer x, double[] y) {
        int used = 0;
        for (int i = 0; i < y.length; i++) if (Double.isFinite(x.get(i)) && Double.isFinite(y[i])) used++;
        return used;
    }

    /** The rule as users read it, for messages. */
    static String describe() {
        return "integers with at most " + MAX_CLASSES + " distinct values and at least " + ROWS_PER_CLASS + " rows per value";
    }
}
