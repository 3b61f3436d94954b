package org.memshare;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import org.memshare.internal.ArrayAccess;
import org.memshare.internal.HandleState;

/**
 * A view of a vector or a column-major matrix. Indexes are 0-based; {@code get(i)} uses the
 * column-major linear index, as R does.
 */
public abstract class ArrayView extends View {
    final ArrayAccess access;

    ArrayView(VariableInfo info, HandleState state, boolean ownsState, ArrayAccess access) {
        super(info, state, ownsState);
        this.access = access;
    }

    /** The element type. */
    public ElementType elementType() {
        return access.type();
    }

    /** The shape. */
    public Shape shape() {
        return access.shape();
    }

    /** Number of values. */
    public long length() {
        return access.length();
    }

    /** Number of rows (a vector's length). */
    public long nrow() {
        return access.shape().nrow();
    }

    /** Number of columns (1 for a vector). */
    public long ncol() {
        return access.shape().ncol();
    }

    /** Value at linear index {@code i} as a double (exact except int64 values beyond 2^53). */
    public double get(long i) {
        return Guard.read(this, access, i, 0, (a, at, unused) -> a.getDouble(at));
    }

    /** Value at row {@code i}, column {@code j}, as a double. */
    public double get(long i, long j) {
        return Guard.read(this, access, i, j, (a, r, c) -> a.getDouble(a.index(r, c)));
    }

    /** Value at linear index {@code i} of integer data (int64, int32, int8), exactly. */
    public long getLong(long i) {
        return Guard.readLong(this, access, i, 0, (a, at, unused) -> a.getLong(at));
    }

    /** Value at row {@code i}, column {@code j} of integer data, exactly. */
    public long getLong(long i, long j) {
        return Guard.readLong(this, access, i, j, (a, r, c) -> a.getLong(a.index(r, c)));
    }

    /**
     * Column {@code j} (a vector: {@code j == 0}) as a read-only {@link DoubleBuffer} over the
     * shared memory itself, no copy. Float64 data only; see {@link #columnBytes(long)}.
     */
    public DoubleBuffer column(long j) {
        return Guard.call(this, () -> access.column(j));
    }

    /** Column {@code j}'s raw bytes, read-only, native byte order, no copy; any element type. */
    public ByteBuffer columnBytes(long j) {
        return Guard.call(this, () -> access.columnBytes(j));
    }

    /**
     * Copies all values into {@code array} (a {@code double[]}, {@code float[]}, {@code long[]},
     * {@code int[]} or {@code byte[]} matching the element type and at least {@link #length()} long).
     */
    public void copyTo(Object array) {
        copyTo(0, array, 0, Math.toIntExact(length()));
    }

    /** Copies {@code n} values from linear index {@code from} into {@code array} at {@code offset}. */
    public void copyTo(long from, Object array, int offset, int n) {
        Guard.call(this, () -> {
            access.copyTo(from, array, offset, n);
            return null;
        });
    }

    /** A copy of all values as doubles, in column-major order (any element type). */
    public double[] toDoubleArray() {
        double[] out = new double[Math.toIntExact(length())];
        return Guard.call(this, () -> {
            if (elementType() == ElementType.FLOAT64) access.copyTo(0, out, 0, out.length);
            else for (int i = 0; i < out.length; i++) out[i] = access.getDouble(i);
            return out;
        });
    }
}
