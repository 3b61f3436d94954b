package org.memshare.spark;

import org.memshare.MemshareException;

/** A host's copy of a {@link HostMatrix} could not be made or attached: the message says which and why. */
public class HostMatrixException extends MemshareException {
    private static final long serialVersionUID = 1L;

    public HostMatrixException(String message, Throwable cause) {
        super(message, cause);
    }
}
