package org.memshare;

import org.memshare.internal.ArrayAccess;
import org.memshare.internal.HandleState;

/**
 * What pages and views have in common: the variable they refer to and an open/closed state.
 * Closing is idempotent and thread-safe.
 */
public abstract class SharedHandle implements AutoCloseable {
    final VariableInfo info;
    final HandleState state;
    /** The array of a {@link SharedArray} handle, which its accessors use; null for a list. */
    final ArrayAccess access;

    SharedHandle(VariableInfo info, HandleState state, ArrayAccess access) {
        this.info = info;
        this.state = state;
        this.access = access;
    }

    /** The namespace. */
    public String namespace() {
        return info.namespace();
    }

    /** The variable name. */
    public String name() {
        return info.name();
    }

    /** What the variable is. */
    public VariableInfo info() {
        return info;
    }

    /** Whether this handle is closed (released). */
    public boolean isClosed() {
        return state.isClosed();
    }

    /** Releases the page or view. */
    @Override
    public void close() {
        state.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + info + (isClosed() ? ", closed" : "") + "]";
    }
}
