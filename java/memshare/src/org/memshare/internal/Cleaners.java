package org.memshare.internal;

import java.lang.ref.Cleaner;

/** The one Cleaner thread memshare uses for handles and buffers the user forgot to close. */
public final class Cleaners {
    /** Shared cleaner. Actions registered with it must never capture the object they clean. */
    public static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "memshare-cleaner");
        t.setDaemon(true);
        return t;
    });

    private Cleaners() {}
}
