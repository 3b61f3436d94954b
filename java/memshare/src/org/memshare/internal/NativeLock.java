package org.memshare.internal;

/**
 * JNI entry points of the interprocess lock (native/jni/org_memshare_internal_NativeLock.cpp over
 * native/shm/include/memshare/lock.hpp). A handle is the address of a native lock object; the
 * caller ({@code org.memshare.InterprocessLock}) keeps it valid until {@link #close}. Errors arrive
 * as the typed {@link org.memshare.MemshareException} subclasses.
 */
public final class NativeLock {
    static {
        NativeLoader.load();
    }

    private NativeLock() {}

    /** Opens the lock, creating it with permission bits {@code mode} if it does not exist. */
    public static native long open(String ns, String name, int mode);

    /** Waits at most {@code timeoutNanos} (negative: forever); a {@link LockOutcome} code. */
    public static native int lock(long handle, long timeoutNanos);

    /** Takes the lock if free; a {@link LockOutcome} code. */
    public static native int tryLock(long handle);

    /** Releases; the calling thread must hold it. */
    public static native void unlock(long handle);

    /** The value the lock guards (a plain load). */
    public static native long value(long handle);

    /** Sets the value the lock guards (a plain store). */
    public static native void setValue(long handle, long value);

    /** Atomically adds to the counter; returns the new value. */
    public static native long add(long handle, long delta);

    /** Whether the OS hands a dead holder's lock on (false e.g. under qemu-user). */
    public static native boolean detectsDeadOwners();

    /** Closes the handle; removes the lock if no other process uses it. Returns whether it did. */
    public static native boolean close(long handle);
}
