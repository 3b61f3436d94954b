package org.memshare;

import org.memshare.internal.ArrayAccess;
import org.memshare.internal.HandleState;

/**
 * A read-only view of a vector or a column-major matrix: a {@link View} with the reads of
 * {@link SharedArray} (typed get, column buffers, typed copies). Indexes are 0-based;
 * {@code get(i)} uses the column-major linear index, as R does.
 */
public abstract sealed class ArrayView extends View implements SharedArray permits MatrixView, VectorView {
    ArrayView(VariableInfo info, HandleState state, boolean ownsState, ArrayAccess access) {
        super(info, state, ownsState, access);
    }
}
