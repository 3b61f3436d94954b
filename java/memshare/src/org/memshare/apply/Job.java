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
 * @param output    the shared output an {@link OutputFunction} writes into, or null
 */
record Job(String namespace, String target, Mode mode, Serializable fun, List<String> varNames, Output output)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    enum Mode { ROWS, COLUMNS, ELEMENTS }

    /** An unpublished float64 matrix page that the workers fill, each its own items' blocks. */
    record Output(String namespace, String name) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    Job {
        varNames = List.copyOf(varNames);
    }

    /** This job with another function (null: the job's header, for the wire; see Protocol.StartJob). */
    Job withFunction(Serializable f) {
        return new Job(namespace, target, mode, f, varNames, output);
    }

    boolean returnsDoubles() {
        return fun instanceof DoubleApplyFunction;
    }

    /** Whether the function writes into the shared output instead of returning results. */
    boolean writesOutput() {
        return fun instanceof OutputFunction;
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
