package org.memshare.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The message for a column name that is not in the header: the closest names ("did you mean"),
 * and at most {@link #LISTED} of the columns, so that a typo on a file of thousands of columns
 * is one readable line, not the whole header.
 */
final class ColumnNames {
    static final int LISTED = 20;
    /** Characters of a name shown at most: a file of thousands of long names never prints a huge line. */
    static final int SHOWN = 40;

    private ColumnNames() {}

    /** "no column 'x' in FILE; did you mean 'X'? (columns: a, b, ... and 2980 more)", with {@code what} naming the option. */
    static String unknown(String what, String name, Object file, List<String> columns) {
        List<String> close = closest(name, columns);
        StringBuilder sb = new StringBuilder(what).append(" names '").append(shown(name)).append("', which is not a column of ").append(file);
        if (!close.isEmpty()) sb.append("; did you mean ").append(quoted(close, " or ")).append('?');
        sb.append(" (").append(columns.size()).append(columns.size() == 1 ? " column: " : " columns: ")
                .append(quoted(columns.subList(0, Math.min(LISTED, columns.size())), ", "));
        if (columns.size() > LISTED) sb.append(", ... and ").append(columns.size() - LISTED).append(" more");
        return sb.append(')').toString();
    }

    /** Names equal ignoring case, else within a small edit distance (1, or 2 for names of 6+ characters); at most 3. */
    static List<String> closest(String name, List<String> columns) {
        List<String> close = new ArrayList<>();
        List<Integer> by = new ArrayList<>();
        String lower = name.toLowerCase(Locale.ROOT);
        int limit = name.length() >= 6 ? 2 : 1;
        for (String c : columns) {
            String cl = c.toLowerCase(Locale.ROOT);
            int d = Math.abs(cl.length() - lower.length()) <= limit ? distance(cl, lower) : limit + 1;
            if (d <= limit) {
                close.add(c);
                by.add(d);  // 0: the same name in another case
            }
        }
        // The closest first, ties in header order.
        Integer[] order = new Integer[close.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(by::get));
        List<String> best = new ArrayList<>();
        for (int i = 0; i < Math.min(3, order.length); i++) best.add(close.get(order[i]));
        return best;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** "'a', 'b' and 3 more", with at most {@link #LISTED} names. */
    static String list(List<String> names) {
        String shown = quoted(names.subList(0, Math.min(LISTED, names.size())), ", ");
        return names.size() > LISTED ? shown + " and " + (names.size() - LISTED) + " more" : shown;
    }

    private static String quoted(List<String> names, String sep) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) sb.append(sb.length() == 0 ? "" : sep).append('\'').append(shown(n)).append('\'');
        return sb.toString();
    }

    /** A name (or a cell) as messages show it: its first {@link #SHOWN} characters, then "...". */
    static String shown(String name) {
        if (name.codePointCount(0, name.length()) <= SHOWN) return name;
        return name.substring(0, name.offsetByCodePoints(0, SHOWN)) + "...";
    }
}
