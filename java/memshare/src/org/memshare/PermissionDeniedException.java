package org.memshare;

/** The OS refused access, or the segment belongs to another user and foreign owners were not allowed. */
public class PermissionDeniedException extends MemshareException {
    private static final long serialVersionUID = 1L;

    /** See {@link MemshareException#MemshareException(String, String, String, int)}. */
    public PermissionDeniedException(String namespace, String variable, String message, int osError) {
        super(namespace, variable, message, osError);
    }
}
