package org.memshare;

import org.memshare.internal.HandleState;

/**
 * A read-only, zero-copy view of a shared variable, owned by this or another process. Close it
 * when done (try-with-resources); a view that becomes unreachable is released by a Cleaner.
 * Closing is idempotent and thread-safe. After close, every accessor throws
 * {@link HandleClosedException}; a buffer obtained earlier stays safe to read (it reads zeros).
 */
public abstract class View extends SharedHandle {
    /** False for the elements of a list view: they share the list's state and cannot close it. */
    private final boolean ownsState;
    /** For an element of a list view: the list, kept reachable (and so open) while the element is. */
    View parent;

    View(VariableInfo info, HandleState state, boolean ownsState) {
        super(info, state);
        this.ownsState = ownsState;
    }

    /**
     * Releases this view; the mapping goes when the last view of the variable in this JVM closes.
     * For an element of a list view this does nothing: close the list.
     */
    @Override
    public void close() {
        if (ownsState) state.close();
    }
}
