package org.memshare;

/**
 * Write access to one shared vector or column-major matrix, on top of {@link SharedArray}'s
 * reads: a page this process owns ({@link ArrayPage}) or a page another process is filling
 * ({@link WritableView}). Values stored here are seen by every view of the variable once it is
 * published (and, for a page that is, at once). Writes after close land in private memory and are
 * lost; they never crash.
 *
 * <p>{@code set} stores a double into float data (float32 rounds it), {@code setLong} an integer
 * into integer data, refusing a value the type cannot hold; the other way round is an
 * {@link UnsupportedOperationException} naming the one to use. {@code copyFrom} has one overload
 * per primitive array type, the array matching the element type, as {@link SharedArray#copyTo}.
 */
public sealed interface MutableSharedArray extends SharedArray permits ArrayPage, WritableView {

    /** Sets the value at linear index {@code i} of float data. */
    default void set(long i, double value) {
        Guard.write(this, i, 0, value, (a, at, unused, v) -> a.setDouble(at, v));
    }

    /** Sets the value at row {@code i}, column {@code j} of float data. */
    default void set(long i, long j, double value) {
        Guard.write(this, i, j, value, (a, r, c, v) -> a.setDouble(a.index(r, c), v));
    }

    /** Sets the value at linear index {@code i} of integer data (range checked). */
    default void setLong(long i, long value) {
        Guard.writeLong(this, i, 0, value, (a, at, unused, v) -> a.setLong(at, v));
    }

    /** Sets the value at row {@code i}, column {@code j} of integer data (range checked). */
    default void setLong(long i, long j, long value) {
        Guard.writeLong(this, i, j, value, (a, r, c, v) -> a.setLong(a.index(r, c), v));
    }

    // copyFrom: length() values of src from its start to index 0 (src at least length() long), or
    // n values of src from `offset` to index `to`.

    /** Fills float64 data from {@code src} (at least {@link #length()} long). */
    default void copyFrom(double[] src) { copyFrom(0, src, 0, Math.toIntExact(length())); }
    /** Fills float32 data from {@code src}. */
    default void copyFrom(float[] src) { copyFrom(0, src, 0, Math.toIntExact(length())); }
    /** Fills int64 data from {@code src}. */
    default void copyFrom(long[] src) { copyFrom(0, src, 0, Math.toIntExact(length())); }
    /** Fills int32 data from {@code src}. */
    default void copyFrom(int[] src) { copyFrom(0, src, 0, Math.toIntExact(length())); }
    /** Fills int8 data from {@code src}. */
    default void copyFrom(byte[] src) { copyFrom(0, src, 0, Math.toIntExact(length())); }

    /** Copies {@code n} values of {@code src} from {@code offset} to linear index {@code to} of float64 data. */
    default void copyFrom(long to, double[] src, int offset, int n) { Guard.bulk(this, a -> a.copyFrom(to, src, offset, n)); }
    /** Copies {@code n} values of {@code src} from {@code offset} to linear index {@code to} of float32 data. */
    default void copyFrom(long to, float[] src, int offset, int n) { Guard.bulk(this, a -> a.copyFrom(to, src, offset, n)); }
    /** Copies {@code n} values of {@code src} from {@code offset} to linear index {@code to} of int64 data. */
    default void copyFrom(long to, long[] src, int offset, int n) { Guard.bulk(this, a -> a.copyFrom(to, src, offset, n)); }
    /** Copies {@code n} values of {@code src} from {@code offset} to linear index {@code to} of int32 data. */
    default void copyFrom(long to, int[] src, int offset, int n) { Guard.bulk(this, a -> a.copyFrom(to, src, offset, n)); }
    /** Copies {@code n} values of {@code src} from {@code offset} to linear index {@code to} of int8 data. */
    default void copyFrom(long to, byte[] src, int offset, int n) { Guard.bulk(this, a -> a.copyFrom(to, src, offset, n)); }
}
