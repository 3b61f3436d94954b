package org.memshare;

/** A page or view was used after it was closed or released. */
public class HandleClosedException extends MemshareException {
    private static final long serialVersionUID = 1L;

    /** A use of the named variable's handle after close. */
    public HandleClosedException(String namespace, String variable, String what) {
        super(namespace, variable, what + " of variable '" + variable + "' in namespace '" + namespace
                + "' is closed", 0);
    }
}
