package org.memshare.cli;

import java.io.PrintWriter;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.memshare.MatrixView;

/**
 * What {@code memshare select} decides about the data before ranking it, each decision one line
 * on stderr with the option that reverses it, and the data it refuses (docs/CLI.md, "What is a
 * class"): whether the target holds class labels ({@link ClassRule}), a target of one class or
 * fewer than 3 usable rows (an error, not a ranking of zeros), the rows each feature has after
 * --na-rm, a --discrete column with too many levels for its rows, and, after ranking, the
 * features whose estimate is negative.
 */
final class Decisions {
    /** Names listed in one line at most. */
    static final int LISTED = 20;

    private Decisions() {}

    /**
     * The target's kind: named in --discrete or --continuous, text (already discrete), or by the
     * class rule. Fails for a target of one value or fewer than 3 usable rows.
     */
    static FeatureData target(FeatureData data, boolean namedDiscrete, boolean namedContinuous, boolean naRm, PrintWriter err) {
        String t = data.targetName();
        DoubleBuffer y = DoubleBuffer.wrap(data.target());
        boolean text = data.targetDiscrete() && !namedDiscrete;
        if (namedContinuous && (namedDiscrete || text))
            throw new MemshareCli.UsageException("--continuous names the target '" + t + "', which "
                    + (namedDiscrete ? "--discrete names too" : "holds text labels (classes by nature)"));
        if (!naRm && !namedDiscrete && !text)
            for (int i = 0; i < y.limit(); i++)
                if (!Double.isFinite(y.get(i)))
                    throw new MemshareCli.CliException(data.source() + ": the target '" + t + "' has a missing or non-finite value in row "
                            + (i + 1) + "; use --na-rm to drop such rows, or --discrete " + t + " if it is a category");
        ClassRule.Facts f = ClassRule.facts(y);
        int rows = naRm ? f.finite() : data.rows();
        if (rows < 3)
            throw new MemshareCli.CliException(data.source() + ": the target '" + t + "' has " + rows + " usable rows"
                    + (naRm ? " after --na-rm (finite values)" : "") + "; at least 3 are needed");
        int distinct = ClassRule.levels(naRm ? finiteOnly(y) : y);
        if (distinct == 1)
            throw new MemshareCli.CliException(data.source() + ": the target '" + t + "' holds one value (" + first(y) + ") in all "
                    + rows + " usable rows: every feature's information about it is 0; check the target");
        boolean discrete;
        String why;
        if (namedDiscrete) {
            discrete = true;
            why = "named in --discrete: class labels (" + distinct + " classes)";
            String tooMany = ClassRule.tooManyForClasses(distinct, rows);
            if (tooMany != null)
                err.println("memshare select: warning: --discrete names the target '" + t + "', which has " + tooMany
                        + ": as classes, the estimates are biased upward and features unrelated to it score high (docs/CLI.md, "
                        + "\"What is a class\"); leave it out of --discrete to rank it as continuous");
        } else if (text) {
            discrete = true;
            why = null;  // CsvFeatures said so ("holds text: k classes")
        } else if (namedContinuous) {
            discrete = false;
            why = "named in --continuous: continuous";
        } else {
            discrete = f.classes();
            // The counts behind the decision, so that the user sees why: levels (or more than the cap) in rows.
            String levels = (f.levels() > ClassRule.MAX_CLASSES ? "more than " + ClassRule.MAX_CLASSES : Integer.toString(f.levels()))
                    + " distinct " + (f.integers() ? "integers" : "values") + " in " + f.finite() + " rows";
            why = discrete ? levels + ": class labels (the rule: " + ClassRule.describe() + "); --continuous " + t + " ranks it as continuous"
                    : (f.integers() ? levels + (f.levels() > ClassRule.MAX_CLASSES ? "" : " (fewer than " + ClassRule.ROWS_PER_CLASS
                    + " rows per value)") : "not all integers (" + levels + ", e.g. " + firstFraction(y) + ")") + ": continuous (the class rule: "
                    + ClassRule.describe() + "); --discrete " + t + " ranks it as class labels";
        }
        if (why != null) err.println("memshare select: target '" + t + "': " + why);
        return new FeatureData(data.source(), data.rows(), data.names(), data.columns(), data.discrete(), t, data.target(), discrete,
                data.planted());
    }

    /** Per feature: class labels by the rule, and the rows --na-rm leaves (all rows without it). */
    record Facts(boolean[] classes, int[] usable) {
        /** Without feature 0 (the row numbers). */
        Facts withoutFirst() {
            return new Facts(java.util.Arrays.copyOfRange(classes, 1, classes.length), java.util.Arrays.copyOfRange(usable, 1, usable.length));
        }
    }

    /** A first column of row numbers: numbered from {@code base} (0 or 1), in order or shuffled. */
    record RowIds(int base, boolean inOrder) {}

    /**
     * Headers that name an ID: what pandas calls a reset index ("index"), "id", "idx", "row" and
     * the like, and names ending in _id, .id, -id, " id", _idx, _index or camelCase Id/ID
     * ("sampleId"). Only under such a header is a shuffled permutation of the row numbers taken as
     * IDs: a rank-transformed feature is a permutation of 1..n too, but not named as an ID.
     */
    static boolean idName(String name) {
        String lower = name.strip().toLowerCase(java.util.Locale.ROOT);
        return java.util.Set.of("index", "id", "idx", "row", "rowid", "row_id", "rownames", "row.names", "row_number", "rownum").contains(lower)
                || lower.matches(".+[_.\\- ](id|idx|index)") || name.strip().matches(".*[a-z0-9](Id|ID)");
    }

    /**
     * Whether {@code col} holds the row numbers 0..n-1 or 1..n: in order under any header (pandas'
     * named index), or as a permutation of them under a header {@link #idName} takes for an ID
     * (the index of a shuffled frame, {@code df.sample(frac=1)}); null otherwise.
     */
    static RowIds rowIds(DoubleBuffer col, String name) {
        int n = col.limit();
        if (n < 3) return null;
        double base = col.get(0);
        boolean inOrder = base == 0 || base == 1;
        for (int i = 1; i < n && inOrder; i++) inOrder = col.get(i) == base + i;
        if (inOrder) return new RowIds((int) base, true);
        if (!idName(name)) return null;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) min = Math.min(min, col.get(i));  // NaN never passes the checks below
        if (min != 0 && min != 1) return null;
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            double k = col.get(i) - min;
            if (!(k >= 0 && k < n && k == Math.rint(k)) || seen[(int) k]) return null;
            seen[(int) k] = true;
        }
        return new RowIds((int) min, false);
    }

    /**
     * A first feature that holds the row numbers (pandas' named index, an ID column numbered from
     * 0 or 1) is an observation ID, not a feature: the note, and the data without it.
     */
    static FeatureData rowNumbers(FeatureData data, RowIds ids, PrintWriter err) {
        String first = ColumnNames.shown(data.names().get(0));
        err.println("memshare select: " + data.source() + ": the first column '" + first + "' holds the row numbers " + ids.base() + ".."
                + (data.rows() - 1 + ids.base()) + (ids.inOrder() ? " (as pandas writes a named index)" : " in shuffled order, under an ID's "
                + "name (as pandas writes the named index of a shuffled frame)") + ": observation IDs, not a feature; --rank-row-numbers ranks it");
        return new FeatureData(data.source(), data.rows(), data.names().subList(1, data.features()), data.columns(),
                java.util.Arrays.copyOfRange(data.discrete(), 1, data.features()), data.targetName(), data.target(), data.targetDiscrete(),
                data.planted());
    }

    /**
     * Without --na-rm a missing or infinite value is an error naming its row and column (1-based):
     * for a source whose reader does not check (a page someone else shares); numpy's reader uses it too.
     */
    static void requireFinite(String source, org.memshare.SharedArray x, int[] members, List<String> names) {
        for (int k = 0; k < members.length; k++) {
            DoubleBuffer col = x.column(k);
            for (int i = 0, n = col.limit(); i < n; i++)
                if (!Double.isFinite(col.get(i)))
                    throw new MemshareCli.CliException(source + ": row " + (i + 1) + ", column " + (members[k] + 1) + " ('"
                            + ColumnNames.shown(names.get(members[k])) + "') has a missing or non-finite value; use --na-rm to drop such rows");
        }
    }

    /** Fills {@code into} for the features {@code members}, the columns of {@code x} in that order. */
    static void scan(MatrixView x, int[] members, double[] y, boolean naRm, Facts into) {
        for (int k = 0; k < members.length; k++) {
            DoubleBuffer col = x.column(k);
            into.classes()[members[k]] = ClassRule.isClasses(col);
            into.usable()[members[k]] = naRm ? ClassRule.usable(col, y) : y.length;
        }
    }

    /**
     * The summary line (rows used: the range over the features with --na-rm), the warning for
     * --discrete columns of too many levels, the features ranked discrete by --discrete-features;
     * fails when no feature has 3 usable rows.
     */
    static void report(FeatureData data, Facts facts, boolean naRm, boolean discreteFeatures, java.util.function.IntFunction<DoubleBuffer> column,
                       PrintWriter err) {
        int min = Integer.MAX_VALUE, max = 0;
        List<String> few = new ArrayList<>();
        for (int j = 0; j < data.features(); j++) {
            min = Math.min(min, facts.usable()[j]);
            max = Math.max(max, facts.usable()[j]);
            if (facts.usable()[j] < 3) few.add(data.names().get(j));
        }
        if (data.features() > 0 && max < 3)
            throw new MemshareCli.CliException(data.source() + ": no feature has 3 usable rows after --na-rm (at most " + max
                    + " rows where both it and the target '" + data.targetName() + "' are finite); at least 3 are needed");
        String rows = !naRm || min == max ? (naRm ? min + " rows used" : data.rows() + " observations")
                : "rows used after --na-rm: " + min + "-" + max + " per feature, of " + data.rows();
        err.printf(Locale.ROOT, "memshare select: %s: %s, %d feature%s, target '%s' (%s)%n", data.source(), rows, data.features(),
                data.features() == 1 ? "" : "s",
                data.targetName(), data.targetDiscrete() ? "discrete" : "continuous");
        if (!few.isEmpty())
            err.println("memshare select: warning: " + list(few) + (few.size() == 1 ? " has" : " have") + " fewer than 3 usable rows "
                    + "after --na-rm: estimated as 0");
        for (int j = 0; j < data.features(); j++) {
            if (!data.discrete()[j]) continue;
            int levels = ClassRule.levels(column.apply(j)), used = facts.usable()[j];
            String tooMany = ClassRule.tooManyForClasses(levels, used);
            if (tooMany != null)
                err.println("memshare select: warning: --discrete names '" + ColumnNames.shown(data.names().get(j)) + "', which has " + tooMany
                        + ": as classes its estimate is biased upward, toward counting the levels (an ID's is ln n); leave it out of --discrete");
        }
        if (discreteFeatures) {
            List<String> auto = new ArrayList<>();
            for (int j = 0; j < data.features(); j++) if (!data.discrete()[j] && facts.classes()[j]) auto.add(data.names().get(j));
            err.println("memshare select: --discrete-features: " + auto.size() + " of " + data.features() + " features hold class labels "
                    + "(" + ClassRule.describe() + ") and are ranked as discrete" + (auto.isEmpty() ? "" : ": " + list(auto)));
        }
    }

    /**
     * One line per reason naming every feature whose estimate is negative: R gives the same
     * values (they are kept), but a negative information is an artefact, and the fix differs. A
     * feature of few integer values that was ranked as continuous is to be ranked as discrete; a
     * target of class labels that --continuous ({@code forcedContinuous}) made continuous is the
     * cause of them all, whatever the features, and the fix is to leave --continuous out (naming
     * --discrete for the target, which --continuous contradicts, would be a usage error).
     */
    static void negatives(FeatureData data, double[] mi, boolean[] classes, boolean discreteFeatures, boolean forcedContinuous,
                          PrintWriter err) {
        List<String> integer = new ArrayList<>(), other = new ArrayList<>();
        for (int j = 0; j < mi.length; j++) {
            if (!(mi[j] < 0)) continue;
            boolean fewIntegers = classes != null && classes[j], rankedDiscrete = data.discrete()[j] || discreteFeatures && fewIntegers;
            (fewIntegers && !rankedDiscrete ? integer : other).add(data.names().get(j));
        }
        String t = data.targetName();
        ClassRule.Facts target = ClassRule.facts(DoubleBuffer.wrap(data.target()));
        if (forcedContinuous && target.classes() && !(integer.isEmpty() && other.isEmpty())) {
            List<String> all = new ArrayList<>(integer);
            all.addAll(other);
            err.println("memshare select: negative estimate for " + list(all) + ": --continuous " + t + " ranks the target, whose "
                    + target.levels() + " distinct integers in " + target.finite() + " rows are class labels by the rule, as continuous "
                    + "(a density smoothed over a few spikes; R memshare gives the same values); leave out --continuous " + t
                    + " to rank it as class labels" + (integer.isEmpty() ? "" : ", and rank " + list(integer) + " as discrete: "
                    + discreteOption(integer, discreteFeatures)));
            return;
        }
        if (!integer.isEmpty())
            err.println("memshare select: negative estimate for " + list(integer) + ": " + (integer.size() == 1 ? "it holds" : "they hold")
                    + " few integer values, estimated as continuous (a density smoothed over a few spikes; R memshare gives the same "
                    + "values); rank them as discrete: " + discreteOption(integer, discreteFeatures));
        if (!other.isEmpty())
            err.println("memshare select: negative estimate for " + list(other) + ": the estimator's error around 0 for a feature that "
                    + "carries (almost) no information (R memshare gives the same values); read it as 0"
                    + (data.targetDiscrete() || forcedContinuous ? "" : ", or, if the target holds classes, name it in --discrete"));
    }

    /**
     * "--discrete a,b or --discrete-features": the names written out only when they make an option
     * of bounded length (at most {@link #LISTED}, none cut), since a cut name would be a wrong one.
     */
    private static String discreteOption(List<String> names, boolean discreteFeatures) {
        boolean spelled = names.size() <= LISTED && names.stream().allMatch(n -> ColumnNames.shown(n).equals(n));
        if (!spelled) return discreteFeatures ? "name them in --discrete" : "--discrete-features (or name them in --discrete)";
        return "--discrete " + String.join(",", names) + (discreteFeatures ? "" : " or --discrete-features");
    }

    /** Indexes of features with a negative estimate, for the plot. */
    static java.util.Set<String> negativeNames(FeatureData data, double[] mi) {
        java.util.Set<String> names = new HashSet<>();
        for (int j = 0; j < mi.length; j++) if (mi[j] < 0) names.add(data.names().get(j));
        return names;
    }

    /** "'a', 'b' and 3 more" with at most {@link #LISTED} names, each cut as {@link ColumnNames#shown} cuts it. */
    static String list(List<String> names) {
        return ColumnNames.list(names) + (names.size() > LISTED ? " (--format tsv lists all)" : "");
    }

    private static DoubleBuffer finiteOnly(DoubleBuffer v) {
        double[] f = new double[v.limit()];
        int n = 0;
        for (int i = 0; i < v.limit(); i++) if (Double.isFinite(v.get(i))) f[n++] = v.get(i);
        return DoubleBuffer.wrap(f, 0, n);
    }

    /** The first finite value that is not an integer, as Java prints it. */
    private static String firstFraction(DoubleBuffer v) {
        for (int i = 0; i < v.limit(); i++) if (Double.isFinite(v.get(i)) && v.get(i) != Math.rint(v.get(i))) return Double.toString(v.get(i));
        return "none";
    }

    private static String first(DoubleBuffer v) {
        for (int i = 0; i < v.limit(); i++) if (Double.isFinite(v.get(i))) return v.get(i) == Math.rint(v.get(i)) && Math.abs(v.get(i)) < 1e15 ? Long.toString((long) v.get(i)) : Double.toString(v.get(i));
        return "NaN";
    }
}
