package org.memshare.apply;

import org.memshare.MemshareException;

/**
 * An apply call failed: the function threw for an item (the index is named, the cause attached;
 * for process workers the cause is a {@link RemoteException} with the remote stack trace), a
 * worker process died, or the caller was interrupted. Temporary registrations are released.
 */
public class ApplyException extends MemshareException {
    private static final long serialVersionUID = 1L;
    private final long index;

    /**
     * @param message what failed
     * @param index   the failing row, column or element (0-based), or -1 if none
     * @param cause   the underlying failure
     */
    public ApplyException(String message, long index, Throwable cause) {
        super(message, cause);
        this.index = index;
    }

    /** The failing row, column or element (0-based), or -1 when the failure was not an item's. */
    public long index() {
        return index;
    }
}
