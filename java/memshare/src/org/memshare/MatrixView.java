package org.memshare;

import org.memshare.internal.ArrayAccess;
import org.memshare.internal.HandleState;

/** A read-only view of a shared column-major matrix. */
public final class MatrixView extends ArrayView {
    MatrixView(VariableInfo info, HandleState state, boolean ownsState, ArrayAccess access) {
        super(info, state, ownsState, access);
    }

    /** Row {@code i} copied into a new array of doubles (rows are not contiguous in column-major order). */
    public double[] row(long i) {
        return row(i, new double[Math.toIntExact(ncol())]);
    }

    /** Row {@code i} copied into {@code out} (at least {@code ncol()} long); returns {@code out}. */
    public double[] row(long i, double[] out) {
        if (out.length < ncol()) throw new IllegalArgumentException("row buffer of " + out.length + " for " + ncol() + " columns");
        return Guard.apply(this, a -> {
            for (int j = 0; j < ncol(); j++) out[j] = a.getDouble(a.index(i, j));
            return out;
        });
    }
}
