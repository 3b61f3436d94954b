package org.memshare.apply;

import java.nio.DoubleBuffer;

/**
 * One item's part of the shared output of {@code memApplyInto}: for {@link Margin#COLUMNS},
 * column j of the output (its rows 0 … k-1); for {@link Margin#ROWS}, row i of the output (its
 * columns 0 … k-1). Writes go straight into shared memory. An index outside the block throws
 * {@link IndexOutOfBoundsException} naming it, so a worker can never write another item's values.
 */
public final class OutputBlock {
    private final long item;
    private final String what;
    private final DoubleBuffer column;     // COLUMNS: the item's output column
    private final DoubleBuffer[] columns;  // ROWS: every output column, of which the block uses row `row`
    private final int row;
    private final int length;

    private OutputBlock(long item, String what, DoubleBuffer column, DoubleBuffer[] columns, int row, int length) {
        this.item = item;
        this.what = what;
        this.column = column;
        this.columns = columns;
        this.row = row;
        this.length = length;
    }

    /** Column {@code j}'s block: the whole output column. */
    static OutputBlock ofColumn(long j, String what, DoubleBuffer column) {
        return new OutputBlock(j, what, column, null, 0, column.limit());
    }

    /** Row {@code i}'s block: row i of every output column. */
    static OutputBlock ofRow(long i, String what, DoubleBuffer[] columns) {
        return new OutputBlock(i, what, null, columns, Math.toIntExact(i), columns.length);
    }

    /** The item (row or column index of X) this block belongs to. */
    public long item() {
        return item;
    }

    /** Number of values in the block (k). */
    public int length() {
        return length;
    }

    /** Writes value {@code k} of the block. */
    public void set(int k, double value) {
        check(k);
        if (column != null) column.put(k, value);
        else columns[k].put(row, value);
    }

    /** Reads value {@code k} of the block (what this call wrote, zero before). */
    public double get(int k) {
        check(k);
        return column != null ? column.get(k) : columns[k].get(row);
    }

    /** Writes the whole block: {@code values} must hold exactly {@link #length()} values. */
    public void put(double[] values) {
        if (values.length != length)
            throw new IndexOutOfBoundsException(values.length + " values for " + what + ", which holds " + length);
        if (column != null) column.put(0, values);
        else for (int k = 0; k < length; k++) columns[k].put(row, values[k]);
    }

    private void check(int k) {
        if (k < 0 || k >= length)
            throw new IndexOutOfBoundsException("index " + k + " is outside this item's block: " + what + " holds "
                    + length + " values (0.." + (length - 1) + "); other items' values belong to other workers");
    }
}
