package org.memshare.apply;

import java.io.Serializable;
import java.nio.DoubleBuffer;

/** An {@link ApplyFunction} returning a {@code double}: results come back as a {@code double[]}, unboxed. */
@FunctionalInterface
public interface DoubleApplyFunction extends Serializable {
    /**
     * @param vector the row or column, read-only
     * @param vars   the shared variables of the call, by name
     * @return the result for this row or column
     * @throws Exception any failure; it fails the call with the index named
     */
    double apply(DoubleBuffer vector, SharedVars vars) throws Exception;
}
