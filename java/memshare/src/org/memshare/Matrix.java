package org.memshare;

import java.util.Objects;
import org.memshare.internal.ArrayAccess;

/**
 * A matrix to register: dimensions plus a column-major primitive array (R's order), not copied.
 * {@code Matrix.of(2, 3, new double[]{1, 2, 3, 4, 5, 6})} is R's {@code matrix(1:6, 2, 3)}.
 *
 * <p>One subclass per element type ({@link OfDouble}, {@link OfFloat}, {@link OfLong},
 * {@link OfInt}, {@link OfByte}, as {@code PrimitiveIterator.OfDouble} in the JDK), each with a
 * {@code data()} of its array type: {@code Matrix.of(2, 3, doubles).data()} is a {@code double[]},
 * no cast, and code that takes any {@code Matrix} asks its {@link #elementType()} or tests the
 * subclass ({@code m instanceof Matrix.OfDouble d}). So no method returns the array as an
 * {@code Object} checked at run time.
 */
public abstract sealed class Matrix permits Matrix.OfDouble, Matrix.OfFloat, Matrix.OfLong, Matrix.OfInt, Matrix.OfByte {
    private final int nrow;
    private final int ncol;
    private final ElementType type;

    private Matrix(int nrow, int ncol, ElementType type, int length) {
        if (nrow < 0 || ncol < 0) throw new IllegalArgumentException("negative dimension " + nrow + "x" + ncol);
        if ((long) nrow * ncol != length)
            throw new IllegalArgumentException(nrow + "x" + ncol + " matrix needs " + (long) nrow * ncol
                    + " values, the array holds " + length);
        this.nrow = nrow;
        this.ncol = ncol;
        this.type = type;
    }

    /** A float64 matrix over a column-major array. */
    public static OfDouble of(int nrow, int ncol, double[] columnMajor) { return new OfDouble(nrow, ncol, columnMajor); }
    /** A float32 matrix over a column-major array. */
    public static OfFloat of(int nrow, int ncol, float[] columnMajor) { return new OfFloat(nrow, ncol, columnMajor); }
    /** An int64 matrix over a column-major array. */
    public static OfLong of(int nrow, int ncol, long[] columnMajor) { return new OfLong(nrow, ncol, columnMajor); }
    /** An int32 matrix over a column-major array. */
    public static OfInt of(int nrow, int ncol, int[] columnMajor) { return new OfInt(nrow, ncol, columnMajor); }
    /** An int8 matrix over a column-major array. */
    public static OfByte of(int nrow, int ncol, byte[] columnMajor) { return new OfByte(nrow, ncol, columnMajor); }

    /** A float64 matrix from rows (copied into column-major order); all rows must have equal length. */
    public static OfDouble fromRows(double[][] rows) {
        int nrow = rows.length, ncol = nrow == 0 ? 0 : rows[0].length;
        double[] data = new double[Math.multiplyExact(nrow, ncol)];
        for (int i = 0; i < nrow; i++) {
            if (rows[i].length != ncol)
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, row 0 has " + ncol);
            for (int j = 0; j < ncol; j++) data[i + j * nrow] = rows[i][j];
        }
        return new OfDouble(nrow, ncol, data);
    }

    /**
     * The one place where a primitive array of a type known at run time only (a vector in a
     * registered list, a value of {@code registerAll}'s map) becomes typed: an n x 1 matrix over it.
     */
    static Matrix column(Object array) {
        if (array instanceof double[] a) return of(a.length, 1, a);
        if (array instanceof float[] a) return of(a.length, 1, a);
        if (array instanceof long[] a) return of(a.length, 1, a);
        if (array instanceof int[] a) return of(a.length, 1, a);
        if (array instanceof byte[] a) return of(a.length, 1, a);
        throw new IllegalArgumentException("unsupported array type "
                + (array == null ? "null" : array.getClass().getTypeName())
                + "; expected double[], float[], long[], int[] or byte[]");
    }

    /** Rows. */
    public int nrow() { return nrow; }
    /** Columns. */
    public int ncol() { return ncol; }
    /** Element type. */
    public ElementType elementType() { return type; }

    /** Copies the values into {@code target} (of this element type and at least this length) from index 0. */
    abstract void copyInto(ArrayAccess target);

    @Override
    public String toString() {
        return "Matrix[" + nrow + "x" + ncol + " " + type + "]";
    }

    /** A float64 matrix. */
    public static final class OfDouble extends Matrix {
        private final double[] data;
        private OfDouble(int nrow, int ncol, double[] data) {
            super(nrow, ncol, ElementType.FLOAT64, Objects.requireNonNull(data, "data").length);
            this.data = data;
        }
        /** The column-major array (not a copy). */
        public double[] data() { return data; }
        @Override void copyInto(ArrayAccess target) { target.copyFrom(0, data, 0, data.length); }
    }

    /** A float32 matrix. */
    public static final class OfFloat extends Matrix {
        private final float[] data;
        private OfFloat(int nrow, int ncol, float[] data) {
            super(nrow, ncol, ElementType.FLOAT32, Objects.requireNonNull(data, "data").length);
            this.data = data;
        }
        /** The column-major array (not a copy). */
        public float[] data() { return data; }
        @Override void copyInto(ArrayAccess target) { target.copyFrom(0, data, 0, data.length); }
    }

    /** An int64 matrix. */
    public static final class OfLong extends Matrix {
        private final long[] data;
        private OfLong(int nrow, int ncol, long[] data) {
            super(nrow, ncol, ElementType.INT64, Objects.requireNonNull(data, "data").length);
            this.data = data;
        }
        /** The column-major array (not a copy). */
        public long[] data() { return data; }
        @Override void copyInto(ArrayAccess target) { target.copyFrom(0, data, 0, data.length); }
    }

    /** An int32 matrix. */
    public static final class OfInt extends Matrix {
        private final int[] data;
        private OfInt(int nrow, int ncol, int[] data) {
            super(nrow, ncol, ElementType.INT32, Objects.requireNonNull(data, "data").length);
            this.data = data;
        }
        /** The column-major array (not a copy). */
        public int[] data() { return data; }
        @Override void copyInto(ArrayAccess target) { target.copyFrom(0, data, 0, data.length); }
    }

    /** An int8 matrix. */
    public static final class OfByte extends Matrix {
        private final byte[] data;
        private OfByte(int nrow, int ncol, byte[] data) {
            super(nrow, ncol, ElementType.INT8, Objects.requireNonNull(data, "data").length);
            this.data = data;
        }
        /** The column-major array (not a copy). */
        public byte[] data() { return data; }
        @Override void copyInto(ArrayAccess target) { target.copyFrom(0, data, 0, data.length); }
    }
}
