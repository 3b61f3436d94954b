package org.memshare.internal;

import java.nio.DoubleBuffer;

/** JNI entry points of the mutual-information estimator (native/jni/org_memshare_internal_NativeMutualInfo.cpp). */
public final class NativeMutualInfo {
    static {
        NativeLoader.load();
    }

    private NativeMutualInfo() {}

    /** Flags: {@code MutualInfoOptions.flags()}. Reads the arrays in place (JNI critical section, no copy). */
    public static native double arrays(double[] x, double[] y, int flags);

    /** Over {@code xLength} values of direct buffer {@code x} from {@code xOffset}, likewise y; no copy. */
    public static native double buffers(DoubleBuffer x, int xOffset, int xLength, DoubleBuffer y, int yOffset, int yLength,
                                        int flags);
}
