package org.memshare.apply;

import java.io.Serializable;
import java.nio.DoubleBuffer;

/**
 * The function {@code memApply} runs for each row or column. Serializable so that worker
 * processes can run it: a lambda assigned to this type is serializable if what it captures is.
 *
 * @param <R> result type (results of process workers must pass the result filter, see
 *            {@link ApplyOptions#acceptResultClasses})
 */
@FunctionalInterface
public interface ApplyFunction<R> extends Serializable {
    /**
     * @param vector the row or column, read-only, position 0, limit = its length
     * @param vars   the shared variables of the call, by name
     * @return the result for this row or column
     * @throws Exception any failure; it fails the call with the index named
     */
    R apply(DoubleBuffer vector, SharedVars vars) throws Exception;
}
