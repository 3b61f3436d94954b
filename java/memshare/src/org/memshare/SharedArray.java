package org.memshare;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;

/**
 * Read access to one shared vector or column-major matrix: what every view ({@link MatrixView},
 * {@link VectorView}, the elements of a {@link ListView}) and every writable handle
 * ({@link MutableSharedArray}: {@link ArrayPage}, {@link WritableView}) can do. The pair follows
 * Agrona's {@code DirectBuffer} and {@code MutableDirectBuffer extends DirectBuffer}: code that
 * only reads takes a {@code SharedArray} and works on views and pages alike.
 *
 * <p>Indexes are 0-based; {@code get(i)} uses the column-major linear index, as R does. Every
 * accessor throws {@link HandleClosedException} once the handle is closed, and
 * {@link IndexOutOfBoundsException} outside the array.
 *
 * <p>Array data is typed: {@code copyTo} has one overload per primitive array type, so the
 * compiler picks the copy and no public method takes an {@code Object}; an array whose type
 * is not the element type is refused at the call with an {@link IllegalArgumentException}
 * naming both (a {@code double[]} for int32 data, say). Widening reads are {@link #get} (any type,
 * as a double) and {@link #toDoubleArray()}.
 *
 * <p>Sealed: the implementations are the library's handles, whose accessors run inside the
 * handle's guard (the memory cannot be unmapped mid-read, and the single-value accessors
 * allocate nothing); these methods are written once, here.
 */
public sealed interface SharedArray permits ArrayView, MutableSharedArray {

    /** The element type. */
    default ElementType elementType() {
        return ((SharedHandle) this).access.type();
    }

    /** The shape. */
    default Shape shape() {
        return ((SharedHandle) this).access.shape();
    }

    /** Number of values, {@code nrow() * ncol()}. */
    default long length() {
        return shape().length();
    }

    /** Number of rows (a vector's length). */
    default long nrow() {
        return shape().nrow();
    }

    /** Number of columns (1 for a vector). */
    default long ncol() {
        return shape().ncol();
    }

    /** Value at linear index {@code i} as a double (exact except int64 values beyond 2^53). */
    default double get(long i) {
        return Guard.read(this, i, 0, (a, at, unused) -> a.getDouble(at));
    }

    /** Value at row {@code i}, column {@code j}, as a double. */
    default double get(long i, long j) {
        return Guard.read(this, i, j, (a, r, c) -> a.getDouble(a.index(r, c)));
    }

    /**
     * Value at linear index {@code i} of integer data (int64, int32, int8), exactly;
     * {@link UnsupportedOperationException} for float data.
     */
    default long getLong(long i) {
        return Guard.readLong(this, i, 0, (a, at, unused) -> a.getLong(at));
    }

    /** Value at row {@code i}, column {@code j} of integer data, exactly. */
    default long getLong(long i, long j) {
        return Guard.readLong(this, i, j, (a, r, c) -> a.getLong(a.index(r, c)));
    }

    /**
     * Column {@code j} (a vector: {@code j == 0}) as a {@link DoubleBuffer} over the shared memory
     * itself, no copy: read-only for a view, writable for a {@link MutableSharedArray}. Float64
     * data only ({@link UnsupportedOperationException} otherwise; see {@link #columnBytes(long)}).
     * The buffer stays safe to use after close: it then reads zeros, and writes are lost.
     */
    default DoubleBuffer column(long j) {
        return Guard.apply(this, a -> a.column(j));
    }

    /** Column {@code j}'s raw bytes, native byte order, no copy, any element type; writable as {@link #column}. */
    default ByteBuffer columnBytes(long j) {
        return Guard.apply(this, a -> a.columnBytes(j));
    }

    /** A copy of all values as doubles, in column-major order (any element type). */
    default double[] toDoubleArray() {
        double[] out = new double[Math.toIntExact(length())];
        return Guard.apply(this, a -> {
            if (a.type() == ElementType.FLOAT64) a.copyTo(0, out, 0, out.length);
            else for (int i = 0; i < out.length; i++) out[i] = a.getDouble(i);
            return out;
        });
    }

    // copyTo: the whole array into dst (at least length() long), or n values from index `from`
    // into dst at `offset`. One overload per element type; the array must match the element type.

    /** Copies all values of float64 data into {@code dst} (at least {@link #length()} long). */
    default void copyTo(double[] dst) { copyTo(0, dst, 0, Math.toIntExact(length())); }
    /** Copies all values of float32 data into {@code dst}. */
    default void copyTo(float[] dst) { copyTo(0, dst, 0, Math.toIntExact(length())); }
    /** Copies all values of int64 data into {@code dst}. */
    default void copyTo(long[] dst) { copyTo(0, dst, 0, Math.toIntExact(length())); }
    /** Copies all values of int32 data into {@code dst}. */
    default void copyTo(int[] dst) { copyTo(0, dst, 0, Math.toIntExact(length())); }
    /** Copies all values of int8 data into {@code dst}. */
    default void copyTo(byte[] dst) { copyTo(0, dst, 0, Math.toIntExact(length())); }

    /** Copies {@code n} values of float64 data from linear index {@code from} into {@code dst} at {@code offset}. */
    default void copyTo(long from, double[] dst, int offset, int n) { Guard.bulk(this, a -> a.copyTo(from, dst, offset, n)); }
    /** Copies {@code n} values of float32 data from linear index {@code from} into {@code dst} at {@code offset}. */
    default void copyTo(long from, float[] dst, int offset, int n) { Guard.bulk(this, a -> a.copyTo(from, dst, offset, n)); }
    /** Copies {@code n} values of int64 data from linear index {@code from} into {@code dst} at {@code offset}. */
    default void copyTo(long from, long[] dst, int offset, int n) { Guard.bulk(this, a -> a.copyTo(from, dst, offset, n)); }
    /** Copies {@code n} values of int32 data from linear index {@code from} into {@code dst} at {@code offset}. */
    default void copyTo(long from, int[] dst, int offset, int n) { Guard.bulk(this, a -> a.copyTo(from, dst, offset, n)); }
    /** Copies {@code n} values of int8 data from linear index {@code from} into {@code dst} at {@code offset}. */
    default void copyTo(long from, byte[] dst, int offset, int n) { Guard.bulk(this, a -> a.copyTo(from, dst, offset, n)); }
}
