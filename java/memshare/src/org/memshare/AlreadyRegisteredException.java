package org.memshare;

/** A variable of that name is registered already, by this or another process. */
public class AlreadyRegisteredException extends MemshareException {
    private static final long serialVersionUID = 1L;

    /** See {@link MemshareException#MemshareException(String, String, String, int)}. */
    public AlreadyRegisteredException(String namespace, String variable, String message, int osError) {
        super(namespace, variable, message, osError);
    }
}
