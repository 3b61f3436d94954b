package org.memshare.internal;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.memshare.HandleClosedException;

/**
 * The open/closed state of a page or view handle, shared with the handles borrowed from it (the
 * elements of a list view), and the count of accessor calls in flight.
 *
 * <p>Every accessor runs between {@link #enter()} and {@link #exit()}. Closing marks the state
 * closed (no new accessor gets in) and runs {@code drained} once the calls in flight have left,
 * so the memory under them is never unmapped while they read it.
 *
 * <p>Two ways to end: an explicit {@link #close()} also runs {@code release} at once (the
 * variable's name or view reference goes now; buffers handed out earlier then read zeros); a
 * handle that merely became unreachable only runs {@code drained}, so buffers handed out earlier
 * keep the data alive until they too are unreachable.
 */
public final class HandleState {
    private static final long CLOSED = 1L << 62;

    private final String namespace;
    private final String variable;
    private final String what;
    private final AtomicLong use = new AtomicLong();
    private final AtomicBoolean explicit = new AtomicBoolean();
    private volatile Cleaner.Cleanable cleanable;
    private volatile Runnable release;
    private volatile Runnable drained;

    /** The state of a handle of {@code variable} in {@code namespace}; {@code what} is "page" or "view". */
    public HandleState(String namespace, String variable, String what) {
        this.namespace = namespace;
        this.variable = variable;
        this.what = what;
    }

    /**
     * Arms the state: when {@code owner} is closed or becomes unreachable, the state closes. The
     * actions must not reference {@code owner}.
     *
     * @param release runs on explicit close (must be idempotent)
     * @param drained runs once, after close, when no accessor is in flight
     */
    public void arm(Object owner, Runnable release, Runnable drained) {
        this.release = release;
        cleanable = Cleaners.CLEANER.register(owner, () -> {
            try {
                if (explicit.get()) release.run();
            } finally {
                markClosed(drained);
            }
        });
    }

    private void markClosed(Runnable drained) {
        this.drained = drained;  // visible before CLOSED is: the last accessor to leave runs it
        while (true) {
            long s = use.get();
            if ((s & CLOSED) != 0) return;
            if (use.compareAndSet(s, s | CLOSED)) {
                if (s == 0) drained.run();
                return;
            }
        }
    }

    /** Whether closed (by close(), a forced release, or the Cleaner). */
    public boolean isClosed() {
        return (use.get() & CLOSED) != 0;
    }

    /** Throws {@link HandleClosedException} if closed. */
    public void checkOpen() {
        if (isClosed()) throw new HandleClosedException(namespace, variable, what);
    }

    /** Enters an accessor; throws {@link HandleClosedException} if closed. Pair with {@link #exit()}. */
    public void enter() {
        while (true) {
            long s = use.get();
            if ((s & CLOSED) != 0) throw new HandleClosedException(namespace, variable, what);
            if (use.compareAndSet(s, s + 1)) return;
        }
    }

    /** Leaves an accessor. */
    public void exit() {
        if (use.decrementAndGet() == CLOSED) drained.run();  // closed while we were inside; last one out
    }

    /** Closes explicitly: releases at once, idempotent, thread-safe. */
    public void close() {
        explicit.set(true);
        Cleaner.Cleanable c = cleanable;
        if (c != null) c.clean();
        // The Cleaner may have run first (the handle was unreachable while a buffer kept the data
        // alive, or it raced with us) without releasing: an explicit close releases now.
        Runnable r = release;
        if (r != null) r.run();
    }
}
