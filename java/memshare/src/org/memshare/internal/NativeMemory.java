package org.memshare.internal;

import java.nio.ByteBuffer;

/** JNI entry points for buffers over pinned mappings (native/jni/org_memshare_internal_NativeMemory.cpp). */
final class NativeMemory {
    static {
        NativeLoader.load();
    }

    private NativeMemory() {}

    /** A direct buffer over bytes [offset, offset + length) of the pinned region (bounds checked). */
    static native ByteBuffer newBuffer(long pin, long offset, long length);

    /** Drops a pin; the region is unmapped when its last pin and its registry entry are gone. */
    static native void unpin(long pin);
}
