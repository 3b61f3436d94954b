package org.memshare.apply;

import java.nio.DoubleBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.memshare.ElementType;
import org.memshare.ListView;
import org.memshare.MatrixView;
import org.memshare.Namespace;
import org.memshare.View;

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

    /** An item's function failed. */
    static final class ItemFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final long index;

        ItemFailure(long index, Throwable cause) {
            super(cause);
            this.index = index;
        }
    }

    JobRunner(Job job) {
        this.job = job;
        this.namespace = Namespace.of(job.namespace());
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
        } catch (RuntimeException | Error e) {
            namespace.close();
            throw e;
        }
    }

    /** Whether results are doubles (a {@link DoubleApplyFunction}). */
    boolean returnsDoubles() {
        return job.returnsDoubles();
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
        namespace.close();
    }
}
