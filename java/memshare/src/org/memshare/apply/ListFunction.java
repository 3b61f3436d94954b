package org.memshare.apply;

import java.io.Serializable;
import org.memshare.ArrayView;

/**
 * The function {@code memLapply} runs for each element of a shared list. Serializable so that
 * worker processes can run it.
 *
 * @param <R> result type
 */
@FunctionalInterface
public interface ListFunction<R> extends Serializable {
    /**
     * @param element the list element (a matrix or vector view, read-only, zero-copy)
     * @param vars    the shared variables of the call, by name
     * @return the result for this element
     * @throws Exception any failure; it fails the call with the index named
     */
    R apply(ArrayView element, SharedVars vars) throws Exception;
}
