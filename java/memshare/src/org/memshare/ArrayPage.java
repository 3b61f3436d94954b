package org.memshare;

import java.lang.ref.Reference;
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
        state.enter();  // a concurrent close waits for us; the lease makes sure it is still our page
        try {
            if (published) return;
            NativeRegistry.publish(namespace(), name(), lease);
            published = true;
        } finally {
            state.exit();
        }
    }

    /** Value at linear index {@code i} as a double. */
    public double get(long i) {
        state.enter();
        try {
            return access.getDouble(i);
        } finally {
            state.exit();
            Reference.reachabilityFence(this);
        }
    }

    /** Value at row {@code i}, column {@code j} as a double. */
    public double get(long i, long j) {
        state.enter();
        try {
            return access.getDouble(access.index(i, j));
        } finally {
            state.exit();
            Reference.reachabilityFence(this);
        }
    }

    /** Sets the value at linear index {@code i} of float data. */
    public void set(long i, double value) {
        state.enter();
        try {
            access.setDouble(i, value);
        } finally {
            state.exit();
            Reference.reachabilityFence(this);
        }
    }

    /** Sets the value at row {@code i}, column {@code j} of float data. */
    public void set(long i, long j, double value) {
        state.enter();
        try {
            access.setDouble(access.index(i, j), value);
        } finally {
            state.exit();
            Reference.reachabilityFence(this);
        }
    }

    /** Sets the value at linear index {@code i} of integer data (range checked). */
    public void setLong(long i, long value) {
        state.enter();
        try {
            access.setLong(i, value);
        } finally {
            state.exit();
            Reference.reachabilityFence(this);
        }
    }

    /** Column {@code j} as a writable {@link DoubleBuffer} over the shared memory (float64 only). */
    public DoubleBuffer column(long j) {
        state.enter();
        try {
            return access.column(j);
        } finally {
            state.exit();
            Reference.reachabilityFence(this);
        }
    }

    /** Column {@code j}'s bytes, writable, native byte order. */
    public ByteBuffer columnBytes(long j) {
        state.enter();
        try {
            return access.columnBytes(j);
        } finally {
            state.exit();
            Reference.reachabilityFence(this);
        }
    }

    /** Copies {@code n} values of {@code array} (matching the element type) from {@code offset} to index {@code to}. */
    public void copyFrom(long to, Object array, int offset, int n) {
        state.enter();
        try {
            access.copyFrom(to, array, offset, n);
        } finally {
            state.exit();
            Reference.reachabilityFence(this);
        }
    }

    /** Copies {@code n} values from index {@code from} into {@code array} at {@code offset}. */
    public void copyTo(long from, Object array, int offset, int n) {
        state.enter();
        try {
            access.copyTo(from, array, offset, n);
        } finally {
            state.exit();
            Reference.reachabilityFence(this);
        }
    }
}
