package org.memshare;

import org.memshare.internal.ArrayAccess;
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

    View(VariableInfo info, HandleState state, boolean ownsState, ArrayAccess access) {
        super(info, state, access);
        this.ownsState = ownsState;
    }

    /**
     * This view as a {@code type} ({@link MatrixView}, {@link VectorView}, {@link ListView},
     * {@link ArrayView}); throws {@link IllegalArgumentException} saying what the variable is.
     */
    public <T extends View> T as(Class<T> type) {
        if (type.isInstance(this)) return type.cast(this);
        throw new IllegalArgumentException("variable '" + name() + "' in namespace '" + namespace() + "' is a "
                + info.kind().name().toLowerCase() + ", not a " + type.getSimpleName().replace("View", "").toLowerCase());
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
