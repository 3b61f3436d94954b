package org.memshare;

/** A segment's metadata or data is inconsistent, truncated or hostile; it was not mapped. */
public class CorruptSegmentException extends MemshareException {
    private static final long serialVersionUID = 1L;

    /** See {@link MemshareException#MemshareException(String, String, String, int)}. */
    public CorruptSegmentException(String namespace, String variable, String message, int osError) {
        super(namespace, variable, message, osError);
    }
}
