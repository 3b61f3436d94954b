package org.memshare;

/** No variable of that name is registered (or no view or page of it is held here). */
public class VariableNotFoundException extends MemshareException {
    private static final long serialVersionUID = 1L;

    /** See {@link MemshareException#MemshareException(String, String, String, int)}. */
    public VariableNotFoundException(String namespace, String variable, String message, int osError) {
        super(namespace, variable, message, osError);
    }
}
