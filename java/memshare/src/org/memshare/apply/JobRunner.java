package org.memshare.apply;

import java.nio.DoubleBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;
import org.memshare.ArrayPage;
import org.memshare.ElementType;
import org.memshare.ListView;
import org.memshare.MatrixView;
import org.memshare.Namespace;
import org.memshare.Shape;
import org.memshare.View;
import org.memshare.WritableView;

/**
 * Runs items of a {@link Job} in this JVM: attaches the views once, then evaluates items; thread
 * workers share one runner, each worker process has its own. Closing releases the views.
 */
final class JobRunner implements AutoCloseable {
    private final Job job;
    private final Namespace namespace;
    private final MatrixView matrix;
    private final ListView list;
    private final SharedVars vars;
    private final Namespace outputSpace;  // null unless the output is attached in another namespace
    private final OutputTarget output;    // null unless the function writes into a shared output

    /** An item's function failed. */
    static final class ItemFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final long index;

        ItemFailure(long index, Throwable cause) {
            super(cause);
            this.index = index;
        }
    }

    /**
     * Attaches the job's views; {@code localOutput} is the caller's own output page (threads), or
     * null to attach the job's output writable by name (a worker process).
     */
    JobRunner(Job job, ArrayPage localOutput) {
        this.job = job;
        this.namespace = Namespace.of(job.namespace());
        Namespace other = null;
        try {
            if (job.mode() == Job.Mode.ELEMENTS) {
                list = namespace.list(job.target());
                matrix = null;
            } else {
                matrix = namespace.matrix(job.target());
                list = null;
            }
            Map<String, View> views = new LinkedHashMap<>();
            for (String name : job.varNames()) views.put(name, namespace.view(name));
            vars = new SharedVars(views);
            Job.Output out = job.output();
            if (out == null) {
                output = null;
            } else if (localOutput != null) {
                output = new OutputTarget(job, matrix, localOutput.shape(), localOutput::column);
            } else {
                Namespace space = out.namespace().equals(job.namespace()) ? namespace : (other = Namespace.of(out.namespace()));
                WritableView w = space.attachForFilling(out.name());
                output = new OutputTarget(job, matrix, w.shape(), w::column);
            }
            outputSpace = other;
        } catch (RuntimeException | Error e) {
            namespace.close();
            if (other != null) other.close();
            throw e;
        }
    }

    /** Whether results are doubles (a {@link DoubleApplyFunction}). */
    boolean returnsDoubles() {
        return job.returnsDoubles();
    }

    /** Whether the function writes into a shared output (and returns nothing). */
    boolean writesOutput() {
        return job.writesOutput();
    }

    /** Number of items. */
    long total() {
        switch (job.mode()) {
            case ROWS: return matrix.nrow();
            case COLUMNS: return matrix.ncol();
            default: return list.size();
        }
    }

    /** A reusable buffer for gathering rows (one per worker thread). */
    double[] newRowBuffer() {
        return job.mode() == Job.Mode.ROWS ? new double[Math.toIntExact(matrix.ncol())]
                : job.mode() == Job.Mode.COLUMNS && matrix.elementType() != ElementType.FLOAT64
                        ? new double[Math.toIntExact(matrix.nrow())] : null;
    }

    /**
     * Evaluates items [from, to) into {@code objects} or {@code doubles} (whichever the function
     * fills) at positions starting at {@code at}.
     */
    @SuppressWarnings("unchecked")
    void run(long from, long to, Object[] objects, double[] doubles, int at, double[] buffer) throws ItemFailure {
        for (long i = from; i < to; i++, at++) {
            try {
                if (job.mode() == Job.Mode.ELEMENTS) {
                    objects[at] = ((ListFunction<Object>) job.fun()).apply(list.get(Math.toIntExact(i)), vars);
                    continue;
                }
                DoubleBuffer vector = vector(i, buffer);
                if (output != null) {
                    ((OutputFunction) job.fun()).apply(vector, output.block(i), vars);
                    continue;
                }
                if (job.fun() instanceof DoubleApplyFunction) doubles[at] = ((DoubleApplyFunction) job.fun()).apply(vector, vars);
                else objects[at] = ((ApplyFunction<Object>) job.fun()).apply(vector, vars);
            } catch (Exception | Error e) {
                throw new ItemFailure(i, e);
            }
        }
    }

    private DoubleBuffer vector(long i, double[] buffer) {
        if (job.mode() == Job.Mode.COLUMNS && buffer == null) return matrix.column(i);  // zero-copy
        if (job.mode() == Job.Mode.COLUMNS) {
            for (int r = 0; r < buffer.length; r++) buffer[r] = matrix.get(r, i);
        } else {
            matrix.row(i, buffer);
        }
        return DoubleBuffer.wrap(buffer).asReadOnlyBuffer();
    }

    @Override
    public void close() {
        namespace.close();  // with the writable output, if attached through it
        if (outputSpace != null) outputSpace.close();
    }

    /** Where an {@link OutputFunction} writes: the blocks of the output page, one per item. */
    private static final class OutputTarget {
        private final Job job;
        private final LongFunction<DoubleBuffer> column;
        private final DoubleBuffer[] columns;  // ROWS: every output column, taken once

        OutputTarget(Job job, MatrixView x, Shape shape, LongFunction<DoubleBuffer> column) {
            this.job = job;
            this.column = column;
            String name = job.output().namespace() + "." + job.output().name();
            if (job.mode() == Job.Mode.COLUMNS && shape.ncol() != x.ncol())
                throw new IllegalArgumentException("the output " + name + " has " + shape.ncol() + " columns, X has "
                        + x.ncol() + ": over columns, output column j holds the results of X's column j");
            if (job.mode() == Job.Mode.ROWS && shape.nrow() != x.nrow())
                throw new IllegalArgumentException("the output " + name + " has " + shape.nrow() + " rows, X has "
                        + x.nrow() + ": over rows, output row i holds the results of X's row i");
            if (job.mode() == Job.Mode.ROWS) {
                columns = new DoubleBuffer[Math.toIntExact(shape.ncol())];
                for (int k = 0; k < columns.length; k++) columns[k] = column.apply(k);
            } else {
                columns = null;
            }
        }

        OutputBlock block(long i) {
            String what = (job.mode() == Job.Mode.ROWS ? "row " : "column ") + i + " of the output "
                    + job.output().namespace() + "." + job.output().name();
            return job.mode() == Job.Mode.ROWS ? OutputBlock.ofRow(i, what, columns) : OutputBlock.ofColumn(i, what, column.apply(i));
        }
    }
}
