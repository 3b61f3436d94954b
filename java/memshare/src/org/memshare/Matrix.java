package org.memshare;

import java.util.Objects;

/**
 * A matrix to register: dimensions plus a column-major primitive array (R's order), not copied.
 * {@code Matrix.of(2, 3, new double[]{1, 2, 3, 4, 5, 6})} is R's {@code matrix(1:6, 2, 3)}.
 */
public final class Matrix {
    private final int nrow;
    private final int ncol;
    private final Object data;
    private final ElementType type;

    private Matrix(int nrow, int ncol, Object data) {
        this.type = ElementType.ofArray(Objects.requireNonNull(data, "data"));
        if (nrow < 0 || ncol < 0) throw new IllegalArgumentException("negative dimension " + nrow + "x" + ncol);
        int length = java.lang.reflect.Array.getLength(data);
        if ((long) nrow * ncol != length)
            throw new IllegalArgumentException(nrow + "x" + ncol + " matrix needs " + (long) nrow * ncol
                    + " values, the array holds " + length);
        this.nrow = nrow;
        this.ncol = ncol;
        this.data = data;
    }

    /** A float64 matrix over a column-major array. */
    public static Matrix of(int nrow, int ncol, double[] columnMajor) { return new Matrix(nrow, ncol, columnMajor); }
    /** A float32 matrix over a column-major array. */
    public static Matrix of(int nrow, int ncol, float[] columnMajor) { return new Matrix(nrow, ncol, columnMajor); }
    /** An int64 matrix over a column-major array. */
    public static Matrix of(int nrow, int ncol, long[] columnMajor) { return new Matrix(nrow, ncol, columnMajor); }
    /** An int32 matrix over a column-major array. */
    public static Matrix of(int nrow, int ncol, int[] columnMajor) { return new Matrix(nrow, ncol, columnMajor); }
    /** An int8 matrix over a column-major array. */
    public static Matrix of(int nrow, int ncol, byte[] columnMajor) { return new Matrix(nrow, ncol, columnMajor); }

    /** A float64 matrix from rows (copied into column-major order); all rows must have equal length. */
    public static Matrix fromRows(double[][] rows) {
        int nrow = rows.length, ncol = nrow == 0 ? 0 : rows[0].length;
        double[] data = new double[Math.multiplyExact(nrow, ncol)];
        for (int i = 0; i < nrow; i++) {
            if (rows[i].length != ncol)
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, row 0 has " + ncol);
            for (int j = 0; j < ncol; j++) data[i + j * nrow] = rows[i][j];
        }
        return new Matrix(nrow, ncol, data);
    }

    /** Rows. */
    public int nrow() { return nrow; }
    /** Columns. */
    public int ncol() { return ncol; }
    /** Element type. */
    public ElementType elementType() { return type; }
    /** The column-major array (not a copy). */
    public Object data() { return data; }

    @Override
    public String toString() {
        return "Matrix[" + nrow + "x" + ncol + " " + type + "]";
    }
}
