package org.memshare;

import org.memshare.internal.HandleState;

/**
 * A variable this process owns. Releasing it (close) removes its names, so no new view can
 * attach, and unmaps it here; views other processes already hold stay valid until they close.
 * The {@link Namespace} it was registered through holds it while that object is reachable (the
 * facade's namespaces for the life of the JVM); a page nobody holds any more is released by a
 * Cleaner.
 */
public class Page implements AutoCloseable {
    final VariableInfo info;
    final HandleState state;

    Page(VariableInfo info, HandleState state) {
        this.info = info;
        this.state = state;
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

    /** Whether this page has been released. */
    public boolean isClosed() {
        return state.isClosed();
    }

    /** Releases the variable (idempotent, thread-safe). */
    @Override
    public void close() {
        state.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + info + (isClosed() ? ", released" : "") + "]";
    }
}
