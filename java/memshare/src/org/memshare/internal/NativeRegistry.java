package org.memshare.internal;

/**
 * JNI entry points of the per-process registry (native/jni/org_memshare_internal_NativeRegistry.cpp).
 * Errors arrive as the typed {@link org.memshare.MemshareException} subclasses.
 */
public final class NativeRegistry {
    static {
        NativeLoader.load();
    }

    private NativeRegistry() {}

    /** Ensures the library is loaded. */
    public static void init() {}

    /** Creates an unpublished page; {@code elementShapes} holds (kind, nrow, ncol) triples for a list. */
    public static native NativeAttachment createPage(String ns, String var, int kind, int elementType, long nrow,
                                                     long ncol, long[] elementShapes, int mode);

    /** Writes the metadata segment of the unpublished page the lease names, so views can attach. */
    public static native void publish(String ns, String var, long lease);

    /** Releases the page the lease was given for (0: whichever page holds the name). */
    public static native void releasePage(String ns, String var, long lease);

    /** Attaches a validated read-only view; pair with {@link #releaseView}. */
    public static native NativeAttachment acquireView(String ns, String var, boolean allowForeignOwner);

    /** Drops the view reference the lease names. */
    public static native void releaseView(String ns, String var, long lease);

    /**
     * Maps read-write a page still being filled by a live process of this user; pair with
     * {@link #releaseWriter}. Published, foreign and orphaned pages are refused.
     */
    public static native NativeAttachment acquireWriter(String ns, String var);

    /** Retires the writable mapping the lease names. */
    public static native void releaseWriter(String ns, String var, long lease);

    /** Reads and validates a variable's metadata without mapping its data. */
    public static native NativeAttachment readMetadata(String ns, String var, boolean allowForeignOwner);

    /** Pages of one namespace, or of all when {@code ns} is null. */
    public static native NativeAttachment[] pageList(String ns);

    /** Views of one namespace, or of all when {@code ns} is null. */
    public static native NativeAttachment[] viewList(String ns);

    /** For JVM exit: releases everything, including pages still being created, and refuses new ones. */
    public static native void shutdown();
}
