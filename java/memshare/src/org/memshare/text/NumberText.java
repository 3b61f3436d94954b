package org.memshare.text;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.List;
import java.util.Objects;
import org.memshare.internal.NativeText;

/**
 * Reads the numbers of delimited text (CSV, TSV) into column buffers, in native code, without a
 * Java object per cell. It takes the plain case, which is what R's {@code write.csv} and pandas'
 * {@code to_csv} write for numbers: unquoted decimal numbers ({@code -1.5}, {@code 3e-7},
 * {@code .5}, {@code 5.}), missing values as {@code ""}, {@code NA}, {@code <NA>} or
 * {@code NaN} (any case), LF or CRLF record ends, empty lines (skipped), and, in columns it does
 * not read, any cell without quotes or a quoted one without quotes or line ends inside. Anything
 * else it declines with an {@link Outcome} and the offset of the record, so that the caller can
 * give the same bytes to a reader that explains the problem or reads more (quoted numbers,
 * infinities, blanks around numbers, old Mac line ends). Each number it reads has the bits
 * {@link Double#parseDouble} gives.
 *
 * <p>Text is read through a window: call {@link #parse} with the bytes at hand; it reads the whole
 * records among them, and the caller keeps the bytes after {@link Result#consumed} and appends
 * more. With {@code last}, the end of the bytes also ends the last record.
 *
 * <p>The outputs are written through their addresses: they must stay open (a page's columns:
 * the page not closed) until {@code parse} returns.
 */
public final class NumberText {
    private NumberText() {}

    /** What to do with a column's cells; the codes are the native reader's (native/jni/contract.hpp). */
    public enum Cell {
        /** Not read. */
        SKIP(0),
        /** A decimal number; a missing value declines ({@link Outcome#MISSING_WHERE_FINITE}). */
        NUMBER(1),
        /** A decimal number, or a missing value, read as NaN. */
        NUMBER_OR_MISSING(2);

        /** The native code. */
        final int code;

        Cell(int code) {
            this.code = code;
        }
    }

    /** Why {@link #parse} stopped; the codes are the native reader's. */
    public enum Outcome {
        /** Every whole record read (with {@code last}: the bytes read to their end). */
        PARSED(0),
        /** A quote in a number cell, or a skipped cell quoted in a way not read here. */
        QUOTE(1),
        /** A number cell holding something else: text, blanks, an infinity, a leading '+', hex. */
        NOT_A_NUMBER(2),
        /** A missing value in a {@link Cell#NUMBER} column. */
        MISSING_WHERE_FINITE(3),
        /** A record with more or fewer cells than the plan has columns. */
        CELL_COUNT(4),
        /** A carriage return not followed by a line feed (old Mac line ends). */
        LONE_CARRIAGE_RETURN(5),
        /** More records than the outputs have rows. */
        ROW_COUNT(6),
        /** With {@code last}: the bytes end inside a quoted cell. */
        NO_RECORD_END(7);

        /** The native code. */
        final int code;

        Outcome(int code) {
            this.code = code;
        }
    }

    /**
     * The layout of the text: the separator, the decimal point ({@code '.'}, or {@code ','} for
     * decimal commas) and, per column of the file, what to do with its cells.
     */
    public static final class Plan {
        final char separator, decimalPoint;
        final byte[] kinds;

        /** Throws IllegalArgumentException for a separator or point that is not ASCII, or the two equal. */
        public Plan(char separator, char decimalPoint, List<Cell> cells) {
            if (separator == 0 || separator >= 0x80 || separator == '"' || separator == '\n' || separator == '\r')
                throw new IllegalArgumentException("the separator must be an ASCII character other than a quote or a line end");
            if (decimalPoint != '.' && decimalPoint != ',') throw new IllegalArgumentException("the decimal point must be '.' or ','");
            if (separator == decimalPoint) throw new IllegalArgumentException("the separator and the decimal point are the same");
            this.separator = separator;
            this.decimalPoint = decimalPoint;
            this.kinds = new byte[cells.size()];
            for (int c = 0; c < kinds.length; c++) kinds[c] = (byte) Objects.requireNonNull(cells.get(c), "cell kind").code;
        }

        /** The columns of a record. */
        public int columns() {
            return kinds.length;
        }
    }

    /**
     * Where the values go: per column of the plan a buffer ({@code null} for a {@link Cell#SKIP}
     * column), row r of a stretch written at the buffer's position + r. Every buffer must be
     * direct, writable and in native byte order, and hold {@code rows} values from its position.
     */
    public static final class Columns {
        final DoubleBuffer[] buffers;  // kept reachable while their addresses are in use
        final long[] addresses;
        final int rows;

        private Columns(DoubleBuffer[] buffers, long[] addresses, int rows) {
            this.buffers = buffers;
            this.addresses = addresses;
            this.rows = rows;
        }

        /** Throws IllegalArgumentException for a missing, read-only, heap, foreign-order or short buffer. */
        public static Columns of(Plan plan, List<DoubleBuffer> outputs, int rows) {
            if (outputs.size() != plan.columns()) throw new IllegalArgumentException(outputs.size() + " outputs for " + plan.columns() + " columns");
            if (rows < 0) throw new IllegalArgumentException("rows < 0");
            DoubleBuffer[] buffers = new DoubleBuffer[outputs.size()];
            long[] addresses = new long[buffers.length];
            for (int c = 0; c < buffers.length; c++) {
                DoubleBuffer b = outputs.get(c);
                if (plan.kinds[c] == Cell.SKIP.code) continue;
                if (b == null) throw new IllegalArgumentException("column " + c + " is read but has no output");
                if (!b.isDirect() || b.isReadOnly() || b.order() != ByteOrder.nativeOrder())
                    throw new IllegalArgumentException("column " + c + ": the output must be a direct, writable buffer in native byte order");
                if (b.remaining() < rows) throw new IllegalArgumentException("column " + c + ": " + b.remaining() + " values left, " + rows + " rows");
                buffers[c] = b;
                addresses[c] = NativeText.address(b) + (long) Double.BYTES * b.position();
            }
            return new Columns(buffers, addresses, rows);
        }

        /** The rows each output holds. */
        public int rows() {
            return rows;
        }
    }

    /**
     * What {@link #parse} did: why it stopped, the bytes of whole records read (where the next call
     * starts), the rows read, and for an outcome other than {@link Outcome#PARSED} the offset (from
     * the text's position) of the record that declined.
     */
    public record Result(Outcome outcome, int consumed, int rows, int at) {}

    private static final Outcome[] OUTCOMES = Outcome.values();

    /**
     * Reads the records of {@code text}'s bytes from its position to its limit into rows
     * {@code firstRow, firstRow + 1, ...} of {@code columns}. {@code skipFirstRecord}: the bytes
     * start with a record that is not data (a header, a UTF-8 byte order mark included).
     * {@code text}'s position is not moved. After an outcome other than PARSED the rows written
     * are to be discarded.
     */
    public static Result parse(ByteBuffer text, boolean last, boolean skipFirstRecord, Plan plan, Columns columns, int firstRow) {
        if (!text.isDirect()) throw new IllegalArgumentException("the text must be in a direct buffer");
        if (columns.addresses.length != plan.columns()) throw new IllegalArgumentException("the columns are not the plan's");
        if (firstRow < 0 || firstRow > columns.rows) throw new IllegalArgumentException("first row " + firstRow + " outside " + columns.rows + " rows");
        int[] r = new int[4];
        try {
            NativeText.parse(text, text.position(), text.remaining(), last, skipFirstRecord, plan.separator, plan.decimalPoint, plan.kinds,
                    columns.addresses, columns.rows, firstRow, r);
        } finally {
            Reference.reachabilityFence(columns);
            Reference.reachabilityFence(text);
        }
        return new Result(OUTCOMES[r[0]], r[1], r[2], r[3]);
    }
}
