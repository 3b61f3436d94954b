package org.memshare;

import java.nio.DoubleBuffer;
import org.memshare.internal.ArrayAccess;
import org.memshare.internal.HandleState;

/**
 * Write access to a matrix or vector page that a process of this user allocated and has not
 * published yet ({@link Namespace#attachForFilling}): cooperating processes fill it in place, then
 * its owner publishes it. Closing it drops the mapping; writes through a buffer taken earlier then
 * land in private memory and are lost, they never crash.
 */
public final class WritableView extends SharedHandle {
    private final ArrayAccess access;

    WritableView(VariableInfo info, HandleState state, ArrayAccess access) {
        super(info, state);
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

    /** Value at row {@code i}, column {@code j} as a double. */
    public double get(long i, long j) {
        return Guard.read(this, access, i, j, (a, r, c) -> a.getDouble(a.index(r, c)));
    }

    /** Sets the value at row {@code i}, column {@code j} of float data. */
    public void set(long i, long j, double value) {
        Guard.write(this, access, i, j, value, (a, r, c, v) -> a.setDouble(a.index(r, c), v));
    }

    /** Column {@code j} as a writable {@link DoubleBuffer} over the shared memory (float64 only). */
    public DoubleBuffer column(long j) {
        return Guard.call(this, () -> access.column(j));
    }
}
