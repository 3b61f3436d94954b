package org.memshare.internal;

/**
 * JNI entry points for listing, inspecting and sweeping the shared-memory directory
 * (native/jni/org_memshare_internal_NativeInspect.cpp over native/shm/include/memshare/inspect.hpp).
 * Errors arrive as the typed {@link org.memshare.MemshareException} subclasses.
 */
public final class NativeInspect {
    static {
        NativeLoader.load();
    }

    private NativeInspect() {}

    /** Every variable in the directory, or those of {@code ns} (null: all), sorted. */
    public static native NativeSegment[] scan(String ns);

    /** One variable, validated as a view would be; what is wrong is reported, not thrown. */
    public static native NativeSegment inspect(String ns, String var);

    /** Removes the segments of dead owners of this user (of {@code ns}, or all when null). */
    public static native NativeSegment[] sweep(String ns, boolean dryRun);

    /** Whether {@link #scan} can see every segment (false on Windows: named objects cannot be listed). */
    public static native boolean listingSupported();

    /** The effective uid of this process (0 on Windows). */
    public static native int currentUid();
}
