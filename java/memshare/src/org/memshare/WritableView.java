package org.memshare;

import org.memshare.internal.ArrayAccess;
import org.memshare.internal.HandleState;

/**
 * Write access to a matrix or vector page that a process of this user allocated and has not
 * published yet ({@link Namespace#attachForFilling}): cooperating processes fill it in place
 * through {@link MutableSharedArray}'s set and copyFrom, then its owner publishes it. Closing it
 * drops the mapping; writes through a buffer taken earlier then land in private memory and are
 * lost, they never crash.
 */
public final class WritableView extends SharedHandle implements MutableSharedArray {
    WritableView(VariableInfo info, HandleState state, ArrayAccess access) {
        super(info, state, access);
    }
}
