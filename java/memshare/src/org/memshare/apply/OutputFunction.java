package org.memshare.apply;

import java.io.Serializable;
import java.nio.DoubleBuffer;

/**
 * The function of {@code memApplyInto}: reads one row or column of X and writes its results into
 * that item's block of the shared output (see {@link OutputBlock}). Serializable, so that worker
 * processes can receive it.
 */
@FunctionalInterface
public interface OutputFunction extends Serializable {
    /**
     * @param x    the row or column, read-only
     * @param out  this item's block of the output, the only part of it this call may write
     * @param vars the shared variables of the call
     * @throws Exception any failure, which fails the call naming the item
     */
    void apply(DoubleBuffer x, OutputBlock out, SharedVars vars) throws Exception;
}
