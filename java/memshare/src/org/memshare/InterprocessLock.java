package org.memshare;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.memshare.internal.HandleState;
import org.memshare.internal.LockOutcome;
import org.memshare.internal.NativeLock;

/**
 * A crash-robust lock shared by the processes of one user on this host, under a name in a
 * namespace ({@link Namespace#lock(String)}). When a holder dies without releasing it (even
 * {@code kill -9}), the next {@code acquire} gets the lock and learns it through
 * {@link Held#previousOwnerDied()}: what the lock guards may be half-updated. docs/LOCKS.md.
 *
 * <pre>{@code
 * try (InterprocessLock lock = ns.lock("results");
 *      InterprocessLock.Held held = lock.acquire(Duration.ofSeconds(10))) {
 *     if (held.previousOwnerDied()) repair();
 *     held.setValue(held.value() + 1);
 * }
 * }</pre>
 *
 * <p>Threads: one object serves every thread of the process, and excludes them from each other
 * as it excludes other processes. A hold belongs to the platform thread that acquired it, which
 * must release it ({@link Held#close()} elsewhere throws {@link IllegalMonitorStateException}); the
 * lock is not reentrant. Virtual threads are refused: one may move to another carrier thread while
 * it holds the lock, and the operating system's mutex belongs to a thread.
 *
 * <p>Lifecycle: the lock exists while some process has it open; {@link #close()} (or the Cleaner,
 * or the JVM's exit) removes it from {@code /dev/shm} when no other process has it open and nobody
 * holds it. A hold still open at close keeps the lock usable until it is released.
 */
public final class InterprocessLock implements AutoCloseable {
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    private final String namespace;
    private final String name;
    private final long handle;
    final HandleState state;
    /** The hold of this handle's last acquisition, until released. */
    private volatile Held current;

    InterprocessLock(String namespace, String name, int mode, Set<HandleState> own) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.name = Objects.requireNonNull(name, "lock name");
        final long h = NativeLock.open(namespace, name, mode);
        this.handle = h;
        this.state = new HandleState(namespace, name, "lock");
        final HandleState s = state;
        final AtomicBoolean closed = new AtomicBoolean();
        Runnable untrack = () -> {
            OpenHandles.LOCKS.remove(namespace, name, s);
            own.remove(s);
        };
        state.arm(this, untrack, () -> {
            untrack.run();
            if (closed.compareAndSet(false, true)) NativeLock.close(h);
        });
        OpenHandles.LOCKS.add(namespace, name, state);
        own.add(state);
    }

    /** The namespace. */
    public String namespace() {
        return namespace;
    }

    /** The lock's name within its namespace. */
    public String name() {
        return name;
    }

    /** Waits as long as it takes; see {@link #acquire(Duration)}. */
    public Held acquire() {
        return acquireWithin(null);
    }

    /**
     * Acquires the lock, waiting at most {@code timeout}.
     *
     * @throws LockTimeoutException if another thread or process held it all that time
     * @throws IllegalStateException if this thread holds it already (it is not reentrant)
     * @throws HandleClosedException if this lock was closed
     */
    public Held acquire(Duration timeout) {
        if (Objects.requireNonNull(timeout, "timeout").isNegative()) throw new IllegalArgumentException("negative timeout " + timeout);
        return acquireWithin(timeout);
    }

    /** Acquires the lock if it is free now; {@code null} if another thread or process holds it. */
    public Held tryAcquire() {
        return enterAndLock(-2, null);
    }

    private Held acquireWithin(Duration timeout) {
        long nanos = timeout == null ? -1 : saturatedNanos(timeout);
        return enterAndLock(nanos, timeout);
    }

    /** {@code nanos}: -1 forever, -2 try only, else the timeout. */
    private Held enterAndLock(long nanos, Duration timeout) {
        state.checkOpen();
        Thread me = Thread.currentThread();
        Held mine = current;
        if (mine != null && mine.thread == me) throw new IllegalStateException("this thread holds " + this + " already (it is not reentrant)");
        if (isVirtual(me))
            throw new UnsupportedOperationException("a virtual thread cannot hold " + this
                    + ": it may move to another carrier thread, and the OS mutex belongs to a thread; use a platform thread");
        state.enter();
        boolean held = false;
        try {
            int code = nanos == -2 ? NativeLock.tryLock(handle) : NativeLock.lock(handle, nanos);
            LockOutcome outcome = LockOutcome.of(code);
            if (outcome == LockOutcome.BUSY) {
                if (nanos == -2) return null;
                throw new LockTimeoutException(namespace, name, timeout);
            }
            boolean ownerDied = outcome == LockOutcome.OWNER_DIED;
            Held previous = current;
            // A thread of ours ended holding it: its hold is over, and with it its count. Checked at
            // every acquisition, not only on OWNER_DIED: another process may have been told instead.
            if (previous != null && !previous.thread.isAlive() && previous.forget()) state.exit();
            held = true;
            Held h = new Held(this, me, ownerDied);
            current = h;
            return h;
        } finally {
            if (!held) state.exit();  // a hold stays "in flight" until released: close() waits for it
            Reference.reachabilityFence(this);
        }
    }

    /** Atomically adds {@code delta} to the lock's shared counter (no hold needed); returns the new value. */
    public long addToCounter(long delta) {
        state.enter();
        try {
            return NativeLock.add(handle, delta);
        } finally {
            state.exit();
            Reference.reachabilityFence(this);
        }
    }

    /** The shared counter's value. */
    public long counter() {
        return addToCounter(0);
    }

    /**
     * Whether this system hands a dead holder's lock on, as {@link Held#previousOwnerDied()}
     * reports: true on Linux and Windows; false without robust futexes (e.g. under qemu-user), where
     * the lock still excludes but a holder that dies leaves it locked.
     */
    public static boolean detectsDeadOwners() {
        return NativeLock.detectsDeadOwners();
    }

    /** Whether closed. */
    public boolean isClosed() {
        return state.isClosed();
    }

    /**
     * Closes this handle: no new acquisition; the lock is removed from {@code /dev/shm} once no
     * hold of this handle is left, unless another process has it open. Idempotent.
     */
    @Override
    public void close() {
        state.close();
    }

    @Override
    public String toString() {
        return "InterprocessLock[" + namespace + ":" + name + "]";
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return -1;  // centuries: forever
        }
    }

    private static boolean isVirtual(Thread t) {
        if (IS_VIRTUAL == null) return false;
        try {
            return (boolean) IS_VIRTUAL.invokeExact(t);
        } catch (Throwable e) {
            return false;
        }
    }

    /** Thread.isVirtual() on Java 21 and newer; null on 17, which has no virtual threads. */
    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException absent) {
            return null;
        }
    }

    /**
     * A hold of the lock, released by {@link #close()} on the thread that acquired it. While held,
     * {@link #value()} and {@link #setValue(long)} read and write a 64-bit value stored with the
     * lock, which other holders see: a read-modify-write of it is exact under the lock.
     */
    public static final class Held implements AutoCloseable {
        private final InterprocessLock lock;
        private final Thread thread;
        private final boolean previousOwnerDied;
        private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        private volatile boolean released;

        private Held(InterprocessLock lock, Thread thread, boolean previousOwnerDied) {
            this.lock = lock;
            this.thread = thread;
            this.previousOwnerDied = previousOwnerDied;
        }

        /**
         * Whether the previous holder died holding the lock (a process killed, or a thread that
         * ended, without releasing): what the lock guards may be half-updated, and this holder
         * should check or repair it. The lock itself works normally.
         */
        public boolean previousOwnerDied() {
            return previousOwnerDied;
        }

        /**
         * The value stored with the lock (a plain read).
         *
         * @throws IllegalMonitorStateException on another thread than the holder
         */
        public long value() {
            checkHeld();
            return NativeLock.value(lock.handle);
        }

        /**
         * Sets the value stored with the lock (a plain write).
         *
         * @throws IllegalMonitorStateException on another thread than the holder
         */
        public void setValue(long value) {
            checkHeld();
            NativeLock.setValue(lock.handle, value);
        }

        /** Whether released. */
        public boolean isReleased() {
            return released;
        }

        /**
         * Releases the lock. Idempotent.
         *
         * @throws IllegalMonitorStateException on another thread (the hold belongs to a thread)
         */
        @Override
        public void close() {
            if (released) return;
            if (Thread.currentThread() != thread)
                throw new IllegalMonitorStateException(lock + " is held by thread '" + thread.getName()
                        + "'; only that thread can release it");
            if (!forget()) return;
            try {
                NativeLock.unlock(lock.handle);
            } finally {
                lock.state.exit();
            }
        }

        /** Marks this hold over, once; true for the call that did. */
        private boolean forget() {
            if (!done.compareAndSet(false, true)) return false;
            released = true;
            if (lock.current == this) lock.current = null;
            return true;
        }

        // Only the holding thread: it alone can end the hold (a dead one's is ended by another
        // acquirer), and the open hold keeps the native lock alive, so nothing can free it
        // while this thread reads or writes through it, even after the lock's close().
        private void checkHeld() {
            if (Thread.currentThread() != thread)
                throw new IllegalMonitorStateException(lock + " is held by thread '" + thread.getName()
                        + "'; only that thread can use the hold");
            if (released) throw new IllegalStateException(lock + ": the hold was released");
        }
    }
}
