package org.memshare;

/** The native library could not be loaded; the message names the platform and every path tried. */
public class NativeLibraryException extends MemshareException {
    private static final long serialVersionUID = 1L;

    /** A load failure; {@code cause} is the first failure, the rest are suppressed. */
    public NativeLibraryException(String message, Throwable cause) {
        super(message, cause);
    }
}
