package org.memshare;

/** A process limit was reached (open files, mappings). */
public class ResourceLimitException extends MemshareException {
    private static final long serialVersionUID = 1L;

    /** See {@link MemshareException#MemshareException(String, String, String, int)}. */
    public ResourceLimitException(String namespace, String variable, String message, int osError) {
        super(namespace, variable, message, osError);
    }
}
