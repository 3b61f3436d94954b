package org.memshare;

/**
 * Base of every exception memshare throws for a shared-memory failure. The message names the
 * namespace, the variable and, where there is one, the operating-system error.
 */
public class MemshareException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String namespace;
    private final String variable;
    private final int osError;

    /**
     * @param namespace the namespace involved, or {@code null}
     * @param variable  the variable involved, or {@code null}
     * @param message   what went wrong
     * @param osError   errno (POSIX) or GetLastError() (Windows), 0 if none
     */
    public MemshareException(String namespace, String variable, String message, int osError) {
        super(message);
        this.namespace = namespace;
        this.variable = variable;
        this.osError = osError;
    }

    /** A failure with a cause and no OS error. */
    public MemshareException(String message, Throwable cause) {
        super(message, cause);
        this.namespace = null;
        this.variable = null;
        this.osError = 0;
    }

    /** The namespace involved, or {@code null}. */
    public String namespace() {
        return namespace;
    }

    /** The variable involved, or {@code null}. */
    public String variable() {
        return variable;
    }

    /** The OS error number (errno / GetLastError), 0 if the failure did not come from the OS. */
    public int osError() {
        return osError;
    }
}
