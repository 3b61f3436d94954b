package org.memshare;

import java.time.Duration;

/** An {@link InterprocessLock} was not acquired within the timeout: another thread or process held it. */
public class LockTimeoutException extends MemshareException {
    private static final long serialVersionUID = 1L;

    /** The lock {@code lock} of {@code namespace} stayed held for {@code timeout}. */
    public LockTimeoutException(String namespace, String lock, Duration timeout) {
        super(namespace, lock, "lock '" + lock + "' in namespace '" + namespace + "' not acquired within " + timeout
                + ": another thread or process holds it", 0);
    }
}
