package org.memshare.cli;

import java.util.Locale;

/**
 * How R and pandas write numbers into text: what {@code memshare select} reads from a cell.
 * Missing: an empty cell, {@code NA} (R), {@code NaN}/{@code nan} (R, pandas), {@code <NA>}
 * (pandas' nullable types). Infinite: {@code Inf}/{@code -Inf} (R), {@code inf}/{@code -inf}
 * (pandas), {@code Infinity}/{@code -Infinity} (Java, JavaScript). Anything else must be a
 * decimal number.
 */
final class Cells {
    private Cells() {}

    /** Whether the cell is a missing value. */
    static boolean missing(String cell) {
        return cell.isEmpty() || cell.equals("NA") || cell.equals("<NA>") || cell.equalsIgnoreCase("NaN");
    }

    /**
     * The cell's value (NaN when missing), or {@code null} when it is not a number (text).
     * Leading and trailing blanks are ignored, as R's {@code read.csv} does.
     */
    static Double number(String raw) {
        String cell = raw.strip();
        if (missing(cell)) return Double.NaN;
        Double infinite = infinity(cell);
        if (infinite != null) return infinite;
        char last = cell.charAt(cell.length() - 1);
        // Java's parser also takes "1d", "1f", "0x1p3" and the like: no file writes those as numbers.
        if (!(Character.isDigit(last) || last == '.') || cell.startsWith("0x") || cell.startsWith("-0x")) return null;
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double infinity(String cell) {
        String s = cell.toLowerCase(Locale.ROOT);
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) s = s.substring(1);
        if (!s.equals("inf") && !s.equals("infinity")) return null;
        return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
}
