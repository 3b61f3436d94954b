package org.memshare.mi;

import java.nio.DoubleBuffer;
import java.util.Objects;
import org.memshare.ArrayView;
import org.memshare.ElementType;
import org.memshare.internal.NativeLoader;
import org.memshare.internal.NativeMutualInfo;

/**
 * Mutual information of two numeric vectors, in nats: the estimator of R's
 * {@code memshare::mutualinfo} (Pareto density estimation; plug-in for two discrete variables;
 * the {@code mpmi} kernel estimate on request), computed in the C++ core. Arrays and direct
 * buffers (such as the columns of a view) are read in place, without copying. Thread-safe.
 *
 * <p>Where this differs from R memshare 1.1.0: for two discrete variables R drops the largest
 * category of each and reports bits; this returns the plain plug-in estimate in nats (see the
 * docs/MUTUALINFO.md). The Pareto radius uses all values, so results are deterministic (R samples above
 * 10,000 values).
 */
public final class MutualInfo {
    private MutualInfo() {}

    /**
     * @throws IllegalArgumentException for vectors of different lengths, or a non-finite value in
     *                                  a continuous variable without {@code naRm} (the message names x or y)
     */
    public static double mutualinfo(double[] x, double[] y, MutualInfoOptions options) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        NativeLoader.load();
        return NativeMutualInfo.arrays(x, y, options.flags());
    }

    /** As {@link #mutualinfo(double[], double[], MutualInfoOptions)} over the remaining values of two buffers. */
    public static double mutualinfo(DoubleBuffer x, DoubleBuffer y, MutualInfoOptions options) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        NativeLoader.load();
        if (x.isDirect() && y.isDirect())
            return NativeMutualInfo.buffers(x, x.position(), x.remaining(), y, y.position(), y.remaining(), options.flags());
        return mutualinfo(toArray(x), toArray(y), options);
    }

    /** Over two vector views (or one-column matrices), zero-copy for float64 data. */
    public static double mutualinfo(ArrayView x, ArrayView y, MutualInfoOptions options) {
        return mutualinfo(column(x, "x"), column(y, "y"), options);
    }

    /** Nats to bits. */
    public static double toBits(double nats) {
        return nats / Math.log(2);
    }

    private static DoubleBuffer column(ArrayView v, String name) {
        if (v.ncol() != 1) throw new IllegalArgumentException(name + " is a " + v.nrow() + "x" + v.ncol() + " matrix, not a vector");
        return v.elementType() == ElementType.FLOAT64 ? v.column(0) : DoubleBuffer.wrap(v.toDoubleArray());
    }

    private static double[] toArray(DoubleBuffer b) {
        double[] out = new double[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
