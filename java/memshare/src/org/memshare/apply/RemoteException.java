package org.memshare.apply;

/**
 * An exception thrown in a worker process, carried back as text: its class name, message and
 * stack trace (the exception object itself is not deserialized, so no remote class needs to be
 * accepted here).
 */
public final class RemoteException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String remoteClass;
    private final String remoteStackTrace;

    /**
     * @param remoteClass      class name of the remote exception
     * @param message          its message
     * @param remoteStackTrace its full stack trace as printed in the worker
     */
    public RemoteException(String remoteClass, String message, String remoteStackTrace) {
        super(remoteClass + (message != null ? ": " + message : ""));
        this.remoteClass = remoteClass;
        this.remoteStackTrace = remoteStackTrace;
    }

    /** Class name of the remote exception. */
    public String remoteClass() {
        return remoteClass;
    }

    /** The remote stack trace, as the worker printed it. */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }

    @Override
    public String toString() {
        return super.toString() + "\n  remote stack trace:\n" + remoteStackTrace.indent(4).stripTrailing();
    }
}
