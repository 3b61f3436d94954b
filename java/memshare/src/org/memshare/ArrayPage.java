package org.memshare;

import org.memshare.internal.ArrayAccess;
import org.memshare.internal.HandleState;
import org.memshare.internal.NativeRegistry;

/**
 * A writable vector or matrix this process owns. From {@link Namespace#allocateMatrix} or
 * {@link Namespace#allocateVector} it starts zero-filled and unpublished: fill it in place (no
 * copy through the Java heap: {@link MutableSharedArray}'s set and copyFrom, or a
 * {@link #column(long) column} buffer), then {@link #publish()} it so that views can attach. Pages from
 * {@link Namespace#register} are published already. Writes after close land in private memory
 * and are lost; they never crash.
 */
public final class ArrayPage extends Page implements MutableSharedArray {
    private final long lease;
    private volatile boolean published;

    ArrayPage(VariableInfo info, HandleState state, ArrayAccess access, long lease) {
        super(info, state, access);
        this.lease = lease;
    }

    /** Whether views can attach. */
    public boolean isPublished() {
        return published;
    }

    /** Writes the metadata segment so that views can attach; idempotent. */
    public synchronized void publish() {
        // In the guard, a concurrent close waits for us; the lease makes sure it is still our page.
        Guard.call(this, () -> {
            if (!published) {
                NativeRegistry.publish(namespace(), name(), lease);
                published = true;
            }
            return null;
        });
    }
}
