package org.memshare.internal;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import org.memshare.HandleClosedException;

/**
 * The open/closed state of a page or view handle, shared with the handles borrowed from it (the
 * elements of a list view). Closing runs the release action exactly once, whether by
 * {@code close()}, a forced release, or the Cleaner after the handle became unreachable.
 */
public final class HandleState {
    private final String namespace;
    private final String variable;
    private final String what;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Cleaner.Cleanable cleanable;

    public HandleState(String namespace, String variable, String what) {
        this.namespace = namespace;
        this.variable = variable;
        this.what = what;
    }

    /**
     * Registers {@code release} to run when {@code owner} becomes unreachable or on close. The
     * action must not reference {@code owner}.
     */
    public void onRelease(Object owner, Runnable release) {
        cleanable = Cleaners.CLEANER.register(owner, () -> {
            closed.set(true);
            release.run();
        });
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Throws {@link HandleClosedException} if closed. */
    public void checkOpen() {
        if (closed.get()) throw new HandleClosedException(namespace, variable, what);
    }

    /** Marks closed and runs the release action once; later calls do nothing. */
    public void close() {
        closed.set(true);
        Cleaner.Cleanable c = cleanable;
        if (c != null) c.clean();
    }
}
