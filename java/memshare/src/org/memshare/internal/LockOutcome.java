package org.memshare.internal;

/**
 * What a native lock attempt returned ({@link NativeLock#lock}, {@link NativeLock#tryLock}). The
 * codes are owned by {@code LockOutcome} in native/shm/include/memshare/lock.hpp and checked when
 * the library loads (native/jni/contract.hpp).
 */
public enum LockOutcome {
    /** The caller holds the lock. */
    ACQUIRED(0),
    /** The caller holds the lock; the previous holder died holding it. */
    OWNER_DIED(1),
    /** Not acquired: the timeout passed, or (try) another thread holds it. */
    BUSY(2);

    /** The native code. */
    public final int code;

    LockOutcome(int code) {
        this.code = code;
    }

    /** The outcome of a native code. */
    public static LockOutcome of(int code) {
        return values()[code];
    }
}
