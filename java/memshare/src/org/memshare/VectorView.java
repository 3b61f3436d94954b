package org.memshare;

import org.memshare.internal.ArrayAccess;
import org.memshare.internal.HandleState;

/** A read-only view of a shared vector; {@link #column(long) column(0)} is the whole vector. */
public final class VectorView extends ArrayView {
    VectorView(VariableInfo info, HandleState state, boolean ownsState, ArrayAccess access) {
        super(info, state, ownsState, access);
    }
}
