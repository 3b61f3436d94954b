package org.memshare;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import org.memshare.internal.ArrayAccess;
import org.memshare.internal.HandleState;
import org.memshare.internal.NativeRegistry;

/**
 * A writable vector or matrix this process owns. From {@link Namespace#allocateMatrix} or
 * {@link Namespace#allocateVector} it starts zero-filled and unpublished: fill it in place (no
 * copy through the Java heap), then {@link #publish()} it so that views can attach. Pages from
 * {@link Namespace#register} are published already. Writes after close land in private memory
 * and are lost; they never crash.
 */
public final class ArrayPage extends Page {
    private final ArrayAccess access;
    private final long lease;
    private volatile boolean published;

    ArrayPage(VariableInfo info, HandleState state, ArrayAccess access, long lease) {
        super(info, state);
        this.access = access;
        this.lease = lease;
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

    /** Whether views can attach. */
    public boolean isPublished() {
        return published;
    }

    /** Writes the metadata segment so that views can attach; idempotent. */
    public synchronized void publish() {
        // In the guard, a concurrent close waits for us; the lease makes sure it is still our page.
        Guard.call(this, () -> {
            if (!published) {
                NativeRegistry.publish(namespace(), name(), lease);
                published = true;
            }
            return null;
        });
    }

    /** Value at linear index {@code i} as a double. */
    public double get(long i) {
        return Guard.read(this, access, i, 0, (a, at, unused) -> a.getDouble(at));
    }

    /** Value at row {@code i}, column {@code j} as a double. */
    public double get(long i, long j) {
        return Guard.read(this, access, i, j, (a, r, c) -> a.getDouble(a.index(r, c)));
    }

    /** Sets the value at linear index {@code i} of float data. */
    public void set(long i, double value) {
        Guard.write(this, access, i, 0, value, (a, at, unused, v) -> a.setDouble(at, v));
    }

    /** Sets the value at row {@code i}, column {@code j} of float data. */
    public void set(long i, long j, double value) {
        Guard.write(this, access, i, j, value, (a, r, c, v) -> a.setDouble(a.index(r, c), v));
    }

    /** Sets the value at linear index {@code i} of integer data (range checked). */
    public void setLong(long i, long value) {
        Guard.writeLong(this, access, i, value, ArrayAccess::setLong);
    }

    /** Column {@code j} as a writable {@link DoubleBuffer} over the shared memory (float64 only). */
    public DoubleBuffer column(long j) {
        return Guard.call(this, () -> access.column(j));
    }

    /** Column {@code j}'s bytes, writable, native byte order. */
    public ByteBuffer columnBytes(long j) {
        return Guard.call(this, () -> access.columnBytes(j));
    }

    /** Copies {@code n} values of {@code array} (matching the element type) from {@code offset} to index {@code to}. */
    public void copyFrom(long to, Object array, int offset, int n) {
        Guard.call(this, () -> {
            access.copyFrom(to, array, offset, n);
            return null;
        });
    }

    /** Copies {@code n} values from index {@code from} into {@code array} at {@code offset}. */
    public void copyTo(long from, Object array, int offset, int n) {
        Guard.call(this, () -> {
            access.copyTo(from, array, offset, n);
            return null;
        });
    }
}
