package org.memshare;

import org.memshare.internal.NativeRegistry;

/**
 * R memshare releases everything when the package is detached; here a JVM shutdown hook
 * releases every page and view this JVM still holds, so a normal exit leaves nothing in
 * /dev/shm. (A killed JVM cannot run hooks: its orphans are for a sweep.)
 */
final class Lifecycle {
    private static boolean hooked;

    private Lifecycle() {}

    static synchronized void ensureShutdownHook() {
        if (hooked) return;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            OpenHandles.releaseAll(null);
            NativeRegistry.shutdown();  // also pages a thread was still creating as the JVM exits
        }, "memshare-shutdown"));
        hooked = true;
    }
}
