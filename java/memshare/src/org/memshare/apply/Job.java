package org.memshare.apply;

import java.io.Serializable;
import java.util.List;

/**
 * What a worker needs to run its share of a call: names and the function, never the data.
 *
 * @param namespace namespace of the target and the shared variables
 * @param target    the matrix (ROWS, COLUMNS) or list (ELEMENTS) to iterate over
 * @param mode      what an item is
 * @param fun       an {@link ApplyFunction}, {@link DoubleApplyFunction} or {@link ListFunction}
 * @param varNames  shared variables handed to the function
 */
record Job(String namespace, String target, Mode mode, Serializable fun, List<String> varNames) implements Serializable {
    private static final long serialVersionUID = 1L;

    enum Mode { ROWS, COLUMNS, ELEMENTS }

    Job {
        varNames = List.copyOf(varNames);
    }

    /** This job with another function (null: the job's header, for the wire; see Protocol.StartJob). */
    Job withFunction(Serializable f) {
        return new Job(namespace, target, mode, f, varNames);
    }

    boolean returnsDoubles() {
        return fun instanceof DoubleApplyFunction;
    }

    /** "column 7 of ns.X" and the like, for messages. */
    String describe(long index) {
        String what = mode == Mode.ROWS ? "row" : mode == Mode.COLUMNS ? "column" : "element";
        return what + " " + index + " of " + namespace + "." + target;
    }

    /** "the columns of ns.X" and the like, for messages. */
    String describeAll() {
        String what = mode == Mode.ROWS ? "rows" : mode == Mode.COLUMNS ? "columns" : "elements";
        return "the " + what + " of " + namespace + "." + target;
    }
}
