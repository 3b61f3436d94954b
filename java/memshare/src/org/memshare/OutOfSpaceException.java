package org.memshare;

/** The shared-memory file system (e.g. /dev/shm) has no room for the variable; nothing was left behind. */
public class OutOfSpaceException extends MemshareException {
    private static final long serialVersionUID = 1L;

    /** See {@link MemshareException#MemshareException(String, String, String, int)}. */
    public OutOfSpaceException(String namespace, String variable, String message, int osError) {
        super(namespace, variable, message, osError);
    }
}
