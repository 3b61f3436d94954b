package org.memshare.cli;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;

/**
 * How R and pandas write numbers into text: what {@code memshare select} reads from a cell.
 * Missing: an empty cell, {@code NA} (R), {@code NaN}/{@code nan} (R, pandas), {@code <NA>}
 * (pandas' nullable types). Infinite: {@code Inf}/{@code -Inf} (R), {@code inf}/{@code -inf}
 * (pandas), {@code Infinity}/{@code -Infinity} (Java, JavaScript). Anything else must be a
 * decimal number, parsed by FastDoubleParser (correctly rounded, as {@link Double#parseDouble},
 * several times faster, and without a String per cell).
 */
final class Cells {
    private Cells() {}

    /** What {@link #parse} returns for a cell that is not a number (text); NaN is a missing value. */
    static final class Cell {
        double value;
        /** Decimal commas ({@code --decimal ,}): the cell is read with its one comma as the point. */
        boolean decimalComma;
        private byte[] scratch = new byte[64], bytes = new byte[64];
    }

    /** Whether the cell is a missing value. */
    static boolean missing(String cell) {
        byte[] c = cell.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return missing(c, 0, c.length);
    }

    /**
     * The cell's value (NaN when missing), or {@code null} when it is not a number (text).
     * Leading and trailing blanks are ignored, as R's {@code read.csv} does.
     */
    static Double number(String raw) {
        return number(raw, false);
    }

    /** The same, with decimal commas when {@code decimalComma}. */
    static Double number(String raw, boolean decimalComma) {
        char[] c = raw.toCharArray();
        Cell cell = new Cell();
        cell.decimalComma = decimalComma;
        return parse(c, 0, c.length, cell) ? cell.value : null;
    }

    /**
     * Parses the chars {@code b[off, off+len)} into {@code into.value}; false when the cell is
     * text. A number is ASCII, so the chars are narrowed to bytes and read as {@link #parse(byte[],
     * int, int, Cell)} reads them (one reader for both, so FastCSV's path and the byte scanner's agree).
     */
    static boolean parse(char[] b, int off, int len, Cell into) {
        if (into.bytes.length < len) into.bytes = new byte[len];
        for (int i = 0; i < len; i++) {
            char ch = b[off + i];
            if (ch >= 0x80) return false;  // no number, missing value or infinity holds a non-ASCII char
            into.bytes[i] = (byte) ch;
        }
        return parse(into.bytes, 0, len, into);
    }

    /** Parses the UTF-8 bytes {@code b[off, off+len)} into {@code into.value}; false when the cell is text. */
    static boolean parse(byte[] b, int off, int len, Cell into) {
        while (len > 0 && blank(b[off])) {
            off++;
            len--;
        }
        while (len > 0 && blank(b[off + len - 1])) len--;
        byte first = len == 0 ? (byte) ' ' : b[off], last = len == 0 ? (byte) ' ' : b[off + len - 1];
        boolean lastDigit = last >= '0' && last <= '9';
        boolean decimal = (first >= '0' && first <= '9' || first == '-' || first == '+' || first == '.') && lastDigit;
        if (!decimal && missing(b, off, len)) {  // no missing value starts like a number and ends in a digit
            into.value = Double.NaN;
            return true;
        }
        int s = first == '-' || first == '+' ? 1 : 0;  // the sign's length
        if (!(lastDigit || last == '.')) {
            // Not a decimal number's last character: an infinity, or text. (Java's parser would also
            // take "1d", "1f" and the like: no file writes those as numbers.)
            if (is(b, off + s, len - s, "inf") || is(b, off + s, len - s, "infinity")) {
                into.value = first == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                return true;
            }
            return false;
        }
        if (len - s > 1 && b[off + s] == '0' && (b[off + s + 1] == 'x' || b[off + s + 1] == 'X')) return false;  // hex
        if (into.decimalComma) {
            int comma = -1;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '.') return false;  // "1.234,5": a thousands mark, which no writer of numbers for reading puts in
                if (b[i] == ',') {
                    if (comma >= 0) return false;
                    comma = i;
                }
            }
            if (comma >= 0) {
                if (into.scratch.length < len) into.scratch = new byte[len];
                System.arraycopy(b, off, into.scratch, 0, len);
                into.scratch[comma - off] = '.';
                b = into.scratch;
                off = 0;
            }
        }
        try {
            into.value = JavaDoubleParser.parseDouble(b, off, len);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean missing(byte[] b, int off, int len) {
        return len == 0 || exactly(b, off, len, "NA") || exactly(b, off, len, "<NA>") || is(b, off, len, "nan");
    }

    /** Whether the cell is {@code word}, ignoring ASCII case ({@code word} in lower case). */
    private static boolean is(byte[] b, int off, int len, String word) {
        if (len != word.length()) return false;
        for (int i = 0; i < len; i++) {
            int ch = b[off + i];
            if ((ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch) != word.charAt(i)) return false;
        }
        return true;
    }

    private static boolean exactly(byte[] b, int off, int len, String word) {
        if (len != word.length()) return false;
        for (int i = 0; i < len; i++) if (b[off + i] != word.charAt(i)) return false;
        return true;
    }

    private static boolean blank(byte c) {
        return c >= 0 && c <= ' ';  // ASCII controls and space; bytes of a multi-byte char are negative
    }
}
