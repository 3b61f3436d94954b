package org.memshare.apply;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.memshare.ArrayView;
import org.memshare.ListView;
import org.memshare.Matrix;
import org.memshare.Namespace;
import org.memshare.View;

/**
 * {@code memApply} and {@code memLapply}: a function over the rows or columns of a shared matrix,
 * or over the elements of a shared list, on threads or on worker processes that all read one copy
 * of the data. Also reachable through {@link org.memshare.Memshare}.
 *
 * <p>Arguments as in R: {@code x} is the data ({@link Matrix}, or a {@link List} of arrays and
 * matrices for {@code memLapply}), registered for the call and released afterwards, or the name
 * of a variable already registered (then {@link ApplyOptions#withNamespace} is required). {@code
 * vars} is {@code null}, a {@code Map} of name to data (registered for the call), or the names
 * ({@code Collection<String>} or {@code String[]}) of variables already registered.
 *
 * <p>In every outcome (success, a failing function, a dead worker, an interrupted caller) the
 * temporary registrations are released and the workers' views closed.
 */
public final class Apply {
    private static final AtomicLong CALLS = new AtomicLong();

    private Apply() {}

    /** Runs {@code fun} on each row or column of {@code x}; results in index order. */
    public static <R> List<R> memApply(Object x, Margin margin, ApplyFunction<R> fun, Object vars, ApplyOptions options) {
        Result r = run(x, margin == Margin.ROWS ? Job.Mode.ROWS : Job.Mode.COLUMNS, fun, vars, options);
        return asList(r.objects);
    }

    /** Like {@link #memApply} for a function returning {@code double}: results unboxed, in index order. */
    public static double[] memApplyDouble(Object x, Margin margin, DoubleApplyFunction fun, Object vars,
                                          ApplyOptions options) {
        return run(x, margin == Margin.ROWS ? Job.Mode.ROWS : Job.Mode.COLUMNS, fun, vars, options).doubles;
    }

    /** Runs {@code fun} on each element of the list {@code x}; results in index order. */
    public static <R> List<R> memLapply(Object x, ListFunction<R> fun, Object vars, ApplyOptions options) {
        return asList(run(x, Job.Mode.ELEMENTS, fun, vars, options).objects);
    }

    @SuppressWarnings("unchecked")
    private static <R> List<R> asList(Object[] objects) {
        return (List<R>) Arrays.asList(objects);  // keeps nulls, fixed size
    }

    private static final class Result {
        Object[] objects;
        double[] doubles;
    }

    private static Result run(Object x, Job.Mode mode, Serializable fun, Object vars, ApplyOptions options) {
        if (fun == null) throw new IllegalArgumentException("the function must not be null");
        if (options == null) options = ApplyOptions.defaults();
        boolean byName = x instanceof String || x instanceof View
                || vars instanceof Collection || vars instanceof String[];
        String ns = options.namespace();
        if (x instanceof View) ns = ((View) x).namespace();
        if (ns == null && byName)
            throw new IllegalArgumentException("variables given by name need the namespace they live in: "
                    + "set ApplyOptions.withNamespace (R's NAMESPACE)");
        if (ns == null) ns = "ma" + Long.toString(ProcessHandle.current().pid(), 36) + "_"
                + Long.toString(CALLS.incrementAndGet(), 36);
        try (Namespace scope = Namespace.of(ns)) {  // closing releases this call's registrations
            String target = target(scope, x, mode);
            List<String> varNames = shareVars(scope, vars, target);
            Job job = new Job(ns, target, mode, fun, varNames);
            return options.cluster() != null ? onCluster(job, options) : onThreads(job, options);
        }
    }

    private static String target(Namespace scope, Object x, Job.Mode mode) {
        if (x instanceof String) return (String) x;
        if (x instanceof View) return ((View) x).name();
        String name = "X." + Long.toString(CALLS.incrementAndGet(), 36);  // unique within the namespace
        if (mode == Job.Mode.ELEMENTS) {
            if (!(x instanceof List))
                throw new IllegalArgumentException("memLapply takes a List of arrays and matrices, or a variable name, not "
                        + (x == null ? "null" : x.getClass().getTypeName()));
        } else if (!(x instanceof Matrix)) {
            throw new IllegalArgumentException("memApply takes a Matrix, or a variable name, not "
                    + (x == null ? "null" : x.getClass().getTypeName()) + (x instanceof double[][] ? " (use Matrix.fromRows)" : ""));
        }
        scope.register(name, x);
        return name;
    }

    private static List<String> shareVars(Namespace scope, Object vars, String target) {
        if (vars == null) return List.of();
        if (vars instanceof String[]) return List.of((String[]) vars);
        if (vars instanceof Collection) {
            List<String> names = new ArrayList<>();
            for (Object o : (Collection<?>) vars) names.add((String) o);
            return names;
        }
        if (vars instanceof Map) {
            List<String> names = new ArrayList<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) vars).entrySet()) {
                String name = (String) e.getKey();
                scope.register(name, e.getValue());
                names.add(name);
            }
            return names;
        }
        throw new IllegalArgumentException("vars must be null, a Map of name to data, or variable names, not "
                + vars.getClass().getTypeName());
    }

    private static int chunkSize(ApplyOptions options, long total, int workers) {
        if (options.chunkSize() > 0) return options.chunkSize();
        return (int) Math.max(1, Math.min(256, total / (8L * workers)));
    }

    private static Result newResult(Job job, long total) {
        Result r = new Result();
        int n = Math.toIntExact(total);
        if (job.returnsDoubles()) r.doubles = new double[n];
        else r.objects = new Object[n];
        return r;
    }

    /** Failure bookkeeping shared by the workers of one call: the first failure wins. */
    private static final class CallState {
        final Job job;
        final long total;
        final int chunk;
        final AtomicLong next = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        final AtomicBoolean cancelled = new AtomicBoolean();
        final AtomicReference<ApplyException> failure = new AtomicReference<>();
        final ProgressListener progress;

        CallState(Job job, long total, int chunk, ProgressListener progress) {
            this.job = job;
            this.total = total;
            this.chunk = chunk;
            this.progress = progress;
        }

        /** Next chunk [from, to), or null when done, failed or cancelled. */
        long[] nextChunk() {
            if (failure.get() != null || cancelled.get()) return null;
            long from = next.getAndAdd(chunk);
            return from >= total ? null : new long[] {from, Math.min(total, from + chunk)};
        }

        /** Counts finished items; reports them in increasing order, the last report being (total, total). */
        synchronized void finished(long n) {
            long d = done.addAndGet(n);
            if (progress != null) progress.progress(d, total);
        }

        void fail(ApplyException e) {
            failure.compareAndSet(null, e);
        }

        ApplyException itemFailure(long index, Throwable cause) {
            return new ApplyException("the function failed at " + job.describe(index) + ": " + cause, index, cause);
        }
    }

    // ------------------------------------------------------------------ threads

    private static Result onThreads(Job job, ApplyOptions options) {
        try (JobRunner runner = new JobRunner(job)) {
            long total = runner.total();
            Result result = newResult(job, total);
            int workers = (int) Math.max(1, Math.min(options.workers(), total));
            CallState call = new CallState(job, total, chunkSize(options, total, workers), options.progress());
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < workers; t++) {
                Thread thread = new Thread(() -> {
                    double[] buffer = runner.newRowBuffer();
                    long[] c;
                    while ((c = call.nextChunk()) != null) {
                        try {
                            runner.run(c[0], c[1], result.objects, result.doubles, (int) c[0], buffer);
                            call.finished(c[1] - c[0]);
                        } catch (JobRunner.ItemFailure f) {
                            call.fail(call.itemFailure(f.index, f.getCause()));
                        } catch (RuntimeException | Error e) {
                            call.fail(new ApplyException("a worker thread failed: " + e, -1, e));
                        }
                    }
                }, "memshare-apply-" + t);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
            awaitAll(threads, call, true);
            if (call.failure.get() != null) throw call.failure.get();
            return result;
        }
    }

    /**
     * Joins the workers; on interruption cancels the call and fails it (the interrupt flag stays
     * set). Worker threads are interrupted too; dispatcher threads of a cluster are not (an
     * interrupt would close their socket): they stop after the item in progress.
     */
    private static void awaitAll(List<Thread> threads, CallState call, boolean interruptWorkers) {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                call.cancelled.set(true);
                if (interruptWorkers) for (Thread u : threads) u.interrupt();
                Thread.currentThread().interrupt();
                call.fail(new ApplyException("interrupted while running over " + call.job.describeAll(), -1, e));
                return;  // workers stop after their current item; the views they use close with the runner
            }
        }
    }

    // ------------------------------------------------------------------ processes

    private static Result onCluster(Job job, ApplyOptions options) {
        WorkerCluster cluster = options.cluster();
        long total;
        try (JobRunner local = new JobRunner(job)) {  // validates the job here first, with local errors
            total = local.total();
        }
        Result result = newResult(job, total);
        List<WorkerCluster.Worker> workers;
        try {
            workers = cluster.acquire(options.resultPatterns());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApplyException("interrupted while waiting for the cluster", -1, e);
        }
        CallState call = new CallState(job, total, chunkSize(options, total, workers.size()), options.progress());
        long callId = cluster.nextCallId();
        AtomicInteger active = new AtomicInteger(workers.size());
        List<Thread> threads = new ArrayList<>();
        for (WorkerCluster.Worker w : workers) {
            Thread thread = new Thread(() -> {
                try {
                    dispatch(w, callId, call, result);
                } finally {
                    if (active.decrementAndGet() == 0) cluster.release();  // the cluster is free again
                }
            }, "memshare-dispatch-" + w.id);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        awaitAll(threads, call, false);
        if (call.failure.get() != null) throw call.failure.get();
        return result;
    }

    /** Drives one worker through a call: attach, chunks until none is left, detach. */
    private static void dispatch(WorkerCluster.Worker w, long callId, CallState call, Result result) {
        try {
            Object reply = w.request(new Protocol.StartJob(callId, call.job));
            if (reply instanceof Protocol.Failed) {
                Protocol.Failed f = (Protocol.Failed) reply;
                call.fail(new ApplyException(w.name() + " could not start on " + call.job.describeAll() + ": "
                        + f.exceptionClass() + ": " + f.message(), -1, f.toException()));
                return;
            }
            long[] c;
            while ((c = call.nextChunk()) != null) {
                reply = w.request(new Protocol.RunChunk(callId, c[0], c[1]));
                if (reply instanceof Protocol.Failed) {
                    Protocol.Failed f = (Protocol.Failed) reply;
                    call.fail(f.index() >= 0 ? call.itemFailure(f.index(), f.toException())
                            : new ApplyException(w.name() + " failed: " + f.exceptionClass() + ": " + f.message(), -1,
                                    f.toException()));
                    break;
                }
                Protocol.ChunkDone d = (Protocol.ChunkDone) reply;
                int n = (int) (c[1] - c[0]);
                if (d.doubles() != null) System.arraycopy(d.doubles(), 0, result.doubles, (int) c[0], n);
                else System.arraycopy(d.objects(), 0, result.objects, (int) c[0], n);
                call.finished(n);
            }
            // The worker releases its views. (After an exception below the stream is unusable and
            // the worker is given up; its views go with it.)
            w.request(new Protocol.EndJob(callId));
        } catch (java.io.InvalidClassException e) {
            // A result the filter refused: the rest of it is still in the stream, so this worker's
            // connection cannot be used again.
            w.dead = true;
            w.process.destroyForcibly();
            call.fail(new ApplyException(w.name() + " returned a result of a class that is not accepted (" + e.getMessage()
                    + "); allow it with ApplyOptions.acceptResultClasses(\"<class or package.**>\")", -1, e));
        } catch (IOException e) {
            w.dead = true;
            call.fail(new ApplyException(w.name() + " died while running over " + call.job.describeAll() + ": "
                    + w.exitStatus() + " (" + e + ")", -1, e));
        } catch (ClassNotFoundException | ClassCastException e) {
            call.fail(new ApplyException(w.name() + " sent something that cannot be read: " + e, -1, e));
        } catch (RuntimeException e) {
            // e.g. InvalidClassException subclasses are IOExceptions; a filter rejection ends up here too
            call.fail(new ApplyException(w.name() + ": " + e, -1, e));
        }
    }
}
