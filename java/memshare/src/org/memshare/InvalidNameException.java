package org.memshare;

/** A namespace or variable name breaks the naming rules (empty, '/', '\\', NUL, too long for the OS). */
public class InvalidNameException extends MemshareException {
    private static final long serialVersionUID = 1L;

    /** See {@link MemshareException#MemshareException(String, String, String, int)}. */
    public InvalidNameException(String namespace, String variable, String message, int osError) {
        super(namespace, variable, message, osError);
    }
}
