package org.memshare.apply;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.memshare.ArrayPage;
import org.memshare.ElementType;
import org.memshare.Matrix;
import org.memshare.Namespace;
import org.memshare.VariableKind;

/**
 * {@code memApply} and {@code memLapply}: a function over the rows or columns of a shared matrix,
 * or over the elements of a shared list, on threads or on worker processes that all read one copy
 * of the data. The R-named facade {@code org.memshare.facade.Memshare} forwards here.
 *
 * <p>Arguments as in R, one method per kind of input: {@code x} is the data ({@link Matrix}, or a
 * {@link List} of arrays and matrices for {@code memLapply}), registered for the call and
 * released afterwards, or the name of a variable already registered (then
 * {@link ApplyOptions#withNamespace} is required). The rest of R's arguments are options, R's
 * {@code VARS} among them: {@link ApplyOptions#withVars} (data, registered for the call) and
 * {@link ApplyOptions#withVarNames} (variables already registered; the namespace is required too).
 *
 * <p>In every outcome (success, a failing function, a dead worker, an interrupted caller) the
 * temporary registrations are released and the workers' views closed.
 */
public final class Apply {
    private static final AtomicLong CALLS = new AtomicLong();

    private Apply() {}

    // ------------------------------------------------------------------ memApply

    /**
     * Runs {@code fun} on each row or column of the matrix {@code x}, registered for the call;
     * results in index order.
     *
     * @param x       the data
     * @param margin  rows or columns
     * @param fun     the function, serializable for worker processes
     * @param options variables, workers, cluster, namespace, ...; {@code null} for the defaults
     * @param <R>     the result type
     * @return one result per row or column
     */
    public static <R> List<R> memApply(Matrix x, Margin margin, ApplyFunction<R> fun, ApplyOptions options) {
        return asList(run(Source.of(x), mode(margin), fun, null, options).objects);
    }

    /**
     * Runs {@code fun} on each row or column of the registered matrix {@code x}, in the options'
     * namespace (required); results in index order.
     *
     * @param x       the name of a registered matrix
     * @param margin  rows or columns
     * @param fun     the function, serializable for worker processes
     * @param options variables, workers, cluster, namespace (required), ...
     * @param <R>     the result type
     * @return one result per row or column
     */
    public static <R> List<R> memApply(String x, Margin margin, ApplyFunction<R> fun, ApplyOptions options) {
        return asList(run(Source.named(x), mode(margin), fun, null, options).objects);
    }

    // ------------------------------------------------------------------ memApplyDouble

    /**
     * Like {@link #memApply(Matrix, Margin, ApplyFunction, ApplyOptions)} for a function returning
     * {@code double}: results unboxed, in index order.
     *
     * @param x       the data
     * @param margin  rows or columns
     * @param fun     the function, serializable for worker processes
     * @param options variables, workers, cluster, namespace, ...; {@code null} for the defaults
     * @return one result per row or column
     */
    public static double[] memApplyDouble(Matrix x, Margin margin, DoubleApplyFunction fun, ApplyOptions options) {
        return run(Source.of(x), mode(margin), fun, null, options).doubles;
    }

    /**
     * Like {@link #memApply(String, Margin, ApplyFunction, ApplyOptions)} for a function returning
     * {@code double}: results unboxed, in index order.
     *
     * @param x       the name of a registered matrix
     * @param margin  rows or columns
     * @param fun     the function, serializable for worker processes
     * @param options variables, workers, cluster, namespace (required), ...
     * @return one result per row or column
     */
    public static double[] memApplyDouble(String x, Margin margin, DoubleApplyFunction fun, ApplyOptions options) {
        return run(Source.named(x), mode(margin), fun, null, options).doubles;
    }

    // ------------------------------------------------------------------ memLapply

    /**
     * Runs {@code fun} on each element of the list {@code x} (arrays and matrices of one element
     * type, registered for the call); results in index order.
     *
     * @param x       the list's elements
     * @param fun     the function, serializable for worker processes
     * @param options variables, workers, cluster, namespace, ...; {@code null} for the defaults
     * @param <R>     the result type
     * @return one result per element
     */
    public static <R> List<R> memLapply(List<?> x, ListFunction<R> fun, ApplyOptions options) {
        return asList(run(Source.of(x), Job.Mode.ELEMENTS, fun, null, options).objects);
    }

    /**
     * Runs {@code fun} on each element of the registered list {@code x}, in the options' namespace
     * (required); results in index order.
     *
     * @param x       the name of a registered list
     * @param fun     the function, serializable for worker processes
     * @param options variables, workers, cluster, namespace (required), ...
     * @param <R>     the result type
     * @return one result per element
     */
    public static <R> List<R> memLapply(String x, ListFunction<R> fun, ApplyOptions options) {
        return asList(run(Source.named(x), Job.Mode.ELEMENTS, fun, null, options).objects);
    }

    // ------------------------------------------------------------------ memApplyInto

    /**
     * Runs {@code fun} on each row or column of the matrix {@code x}, registered for the call,
     * writing the results into the shared output page {@code out} in place instead of returning
     * them: each item's function gets that item's block of the output (its column for
     * {@link Margin#COLUMNS}, its row for {@link Margin#ROWS}) and nothing else. On worker
     * processes each worker maps the output writable ({@link Namespace#attachForFilling}).
     *
     * <p>{@code out} is a float64 matrix this process allocated and has not published
     * ({@link Namespace#allocateMatrix}): over columns, {@code k × ncol(x)} (k = nrow(x) for a
     * transform of the same shape); over rows, {@code nrow(x) × k}. When every item has succeeded
     * and every worker has dropped its writable mapping, the call publishes it, and R and other
     * processes view it as a normal double matrix. If the call fails, for any reason, {@code out}
     * is released unpublished, so nothing of it is left in /dev/shm.
     *
     * @param x       the data
     * @param margin  rows or columns
     * @param fun     the function, serializable for worker processes
     * @param out     the unpublished output page, published by the call
     * @param options variables, workers, cluster, namespace, ...; {@code null} for the defaults
     */
    public static void memApplyInto(Matrix x, Margin margin, OutputFunction fun, ArrayPage out, ApplyOptions options) {
        run(Source.of(x), mode(margin), fun, out, options);
    }

    /**
     * {@link #memApplyInto(Matrix, Margin, OutputFunction, ArrayPage, ApplyOptions)} over the
     * registered matrix {@code x}, in the options' namespace (required).
     *
     * @param x       the name of a registered matrix
     * @param margin  rows or columns
     * @param fun     the function, serializable for worker processes
     * @param out     the unpublished output page, published by the call
     * @param options variables, workers, cluster, namespace (required), ...
     */
    public static void memApplyInto(String x, Margin margin, OutputFunction fun, ArrayPage out, ApplyOptions options) {
        run(Source.named(x), mode(margin), fun, out, options);
    }

    // ------------------------------------------------------------------ the call

    private static Job.Mode mode(Margin margin) {
        return margin == Margin.ROWS ? Job.Mode.ROWS : Job.Mode.COLUMNS;
    }

    @SuppressWarnings("unchecked")
    private static <R> List<R> asList(Object[] objects) {
        return (List<R>) Arrays.asList(objects);  // keeps nulls, fixed size
    }

    private static final class Result {
        Object[] objects;
        double[] doubles;
    }

    /**
     * What the call iterates over: a registered variable's name, or data to register for the call.
     * The overloads fix which; only registration needs to tell a matrix from a list.
     */
    private record Source(String name, Matrix matrix, List<?> list) {
        static Source named(String name) {
            return new Source(name, null, null);
        }

        static Source of(Matrix matrix) {
            return new Source(null, matrix, null);
        }

        static Source of(List<?> list) {
            return new Source(null, null, list);
        }

        /** The variable's name in {@code scope}, registering the data first if need be. */
        String target(Namespace scope, Job.Mode mode) {
            if (name != null) return name;
            String fresh = "X." + Long.toString(CALLS.incrementAndGet(), 36);  // unique within the namespace
            if (mode == Job.Mode.ELEMENTS) {
                if (list == null)
                    throw new IllegalArgumentException("memLapply takes a List of arrays and matrices, or a variable name, not null");
                scope.register(fresh, list);
            } else {
                if (matrix == null)
                    throw new IllegalArgumentException("memApply takes a Matrix, or a variable name, not null");
                scope.register(fresh, matrix);
            }
            return fresh;
        }
    }

    /**
     * The names of the call's shared variables in {@code scope}: the options' data, registered
     * there first, then the options' names of registered variables.
     */
    private static List<String> shareVars(ApplyOptions options, Namespace scope) {
        List<String> names = new ArrayList<>(options.vars().keySet());
        for (String n : options.varNames()) {
            if (names.contains(n))
                throw new IllegalArgumentException("variable '" + n + "' is shared twice (by withVars and withVarNames "
                        + "together); name it once");
            names.add(n);
        }
        scope.registerAll(options.vars());
        return names;
    }

    private static Result run(Source x, Job.Mode mode, Serializable fun, ArrayPage out, ApplyOptions options) {
        if (out == null) return runJob(x, mode, fun, null, options);
        try {
            checkOutput(out);
            runJob(x, mode, fun, out, options);
            out.publish();  // every item written, every worker detached
            return null;
        } catch (RuntimeException | Error e) {
            out.close();  // unpublished: its names go, nothing is left in /dev/shm
            throw e;
        }
    }

    private static void checkOutput(ArrayPage out) {
        if (out.isClosed()) throw new IllegalArgumentException("the output page " + out.name() + " is closed");
        if (out.isPublished())
            throw new IllegalArgumentException("the output page " + out.name() + " is published already; "
                    + "allocate it with Namespace.allocateMatrix and let the call publish it");
        if (out.elementType() != ElementType.FLOAT64 || out.shape().kind() != VariableKind.MATRIX)
            throw new IllegalArgumentException("the output page " + out.name() + " must be a FLOAT64 matrix, not "
                    + out.elementType() + " " + out.shape().kind());
    }

    private static Result runJob(Source x, Job.Mode mode, Serializable fun, ArrayPage out, ApplyOptions options) {
        if (fun == null) throw new IllegalArgumentException("the function must not be null");
        if (options == null) options = ApplyOptions.defaults();
        boolean byName = x.name() != null || !options.varNames().isEmpty();
        String ns = options.namespace();
        if (ns == null && byName)
            throw new IllegalArgumentException("variables given by name need the namespace they live in: "
                    + "set ApplyOptions.withNamespace (R's NAMESPACE)");
        if (ns == null) ns = "ma" + Long.toString(ProcessHandle.current().pid(), 36) + "_"
                + Long.toString(CALLS.incrementAndGet(), 36);
        try (Namespace scope = Namespace.of(ns)) {  // closing releases this call's registrations
            String target = x.target(scope, mode);
            List<String> varNames = shareVars(options, scope);
            Job job = new Job(ns, target, mode, fun, varNames, out == null ? null : new Job.Output(out.namespace(), out.name()));
            return options.cluster() != null ? onCluster(job, out, options) : onThreads(job, out, options);
        }
    }

    /** The largest chunk the guided schedule hands out: bounds how often progress is reported. */
    private static final long MAX_CHUNK = 256;

    private static Result newResult(Job job, long total) {
        Result r = new Result();
        int n = Math.toIntExact(total);
        if (job.returnsDoubles()) r.doubles = new double[n];
        else if (!job.writesOutput()) r.objects = new Object[n];
        return r;
    }

    /** Failure bookkeeping shared by the workers of one call: the first failure wins. */
    private static final class CallState {
        final Job job;
        final long total;
        final int chunk;  // fixed chunk size (ApplyOptions.chunkSize), or 0: guided
        final int workers;
        final AtomicLong next = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        final AtomicBoolean cancelled = new AtomicBoolean();
        final AtomicReference<ApplyException> failure = new AtomicReference<>();
        final ProgressListener progress;

        CallState(Job job, long total, ApplyOptions options, int workers) {
            this.job = job;
            this.total = total;
            this.chunk = Math.max(0, options.chunkSize());
            this.workers = workers;
            this.progress = options.progress();
        }

        /**
         * Next chunk [from, to), or null when done, failed or cancelled. Unless a fixed size was
         * asked for, chunks are guided: a quarter of the remaining items' share per worker (at
         * most {@link #MAX_CHUNK}), so they shrink towards one item at the end and the workers
         * finish together instead of one waiting for the other's last big chunk.
         */
        long[] nextChunk() {
            while (failure.get() == null && !cancelled.get()) {
                long from = next.get();
                if (from >= total) return null;
                long size = chunk > 0 ? chunk : Math.max(1, Math.min(MAX_CHUNK, (total - from) / (4L * workers)));
                long to = Math.min(total, from + size);
                if (next.compareAndSet(from, to)) return new long[] {from, to};
            }
            return null;
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

    private static Result onThreads(Job job, ArrayPage out, ApplyOptions options) {
        try (JobRunner runner = new JobRunner(job, out)) {
            long total = runner.total();
            Result result = newResult(job, total);
            int workers = (int) Math.max(1, Math.min(options.workers(), total));
            CallState call = new CallState(job, total, options, workers);
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
            awaitAll(() -> {
                for (Thread t : threads) t.join();
            }, () -> threads.forEach(Thread::interrupt), call);
            if (call.failure.get() != null) throw call.failure.get();
            return result;
        }
    }

    /** Waiting for a call's workers. */
    private interface Await {
        void await() throws InterruptedException;
    }

    /**
     * Waits for the workers; on interruption cancels the call, runs {@code onInterrupt} and fails
     * the call (the interrupt flag stays set). Workers stop after their current item; the views
     * they use close with the runner.
     */
    private static void awaitAll(Await workers, Runnable onInterrupt, CallState call) {
        try {
            workers.await();
        } catch (InterruptedException e) {
            call.cancelled.set(true);
            onInterrupt.run();
            Thread.currentThread().interrupt();
            call.fail(new ApplyException("interrupted while running over " + call.job.describeAll(), -1, e));
        }
    }

    // ------------------------------------------------------------------ processes

    private static Result onCluster(Job job, ArrayPage out, ApplyOptions options) {
        WorkerCluster cluster = options.cluster();
        long total;
        try (JobRunner local = new JobRunner(job, out)) {  // validates the job here first, with local errors
            total = local.total();
        }
        Result result = newResult(job, total);
        byte[] functionDigest;
        try {
            functionDigest = Protocol.digest(job.fun());
        } catch (IOException e) {
            throw new ApplyException("the function cannot be sent to worker processes (" + e
                    + "); it and everything it captures must be serializable", -1, e);
        }
        List<WorkerCluster.Worker> workers;
        try {
            workers = cluster.acquire(options.resultPatterns());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApplyException("interrupted while waiting for the cluster", -1, e);
        }
        CallState call = new CallState(job, total, options, workers.size());
        long callId = cluster.nextCallId();
        AtomicInteger active = new AtomicInteger(workers.size());
        CountDownLatch finished = new CountDownLatch(workers.size());
        for (WorkerCluster.Worker w : workers) {
            cluster.dispatch(() -> {
                try {
                    dispatch(w, callId, functionDigest, call, result);
                } finally {
                    if (active.decrementAndGet() == 0) cluster.release();  // the cluster is free again
                    finished.countDown();
                }
            });
        }
        // Dispatchers are not interrupted (an interrupt would close their socket): they stop
        // after the item in progress.
        awaitAll(finished::await, () -> {}, call);
        if (call.failure.get() != null) throw call.failure.get();
        return result;
    }

    /**
     * Tells a worker to release the call's views; with a shared output, waits until it has (the
     * page is published only after every writable mapping is gone).
     */
    private static void endJob(WorkerCluster.Worker w, long callId, Job job) throws IOException, ClassNotFoundException {
        if (!job.writesOutput()) {
            w.send(new Protocol.EndJob(callId, false));
            return;
        }
        Object reply = w.request(new Protocol.EndJob(callId, true));
        if (!(reply instanceof Protocol.Detached)) throw new ClassCastException("expected Detached, got " + reply);
    }

    /** "worker 1 (pid 123) could not start on the columns of ns.X[ and exits]: ...". */
    private static ApplyException startFailure(WorkerCluster.Worker w, Job job, String andThen, Protocol.Failed f) {
        return new ApplyException(w.name() + " could not start on " + job.describeAll() + andThen + ": "
                + f.exceptionClass() + ": " + f.message(), -1, f.toException());
    }

    /**
     * Drives one worker through a call: attach with the first chunk, chunks until none is left,
     * detach. One chunk is always sent ahead: the worker finds chunk k+1 in its stream when it
     * has answered chunk k, instead of waiting a round trip for it (at most two chunks are in
     * flight). Every failure fails the call; unless the worker is given up (its connection broke
     * or its stream is out of step), the replies still due are read and the job is ended, so that
     * the worker's stream is in step, it drops the call's views and it serves the next call.
     */
    private static void dispatch(WorkerCluster.Worker w, long callId, byte[] functionDigest, CallState call, Result result) {
        boolean started = false;  // the worker may hold views of the call until told to end it
        ArrayDeque<long[]> due = new ArrayDeque<>(2);  // the chunks sent whose replies are still to be read, in order
        try {
            long[] c = call.nextChunk();
            if (c == null) return;  // the other workers took every item: this one is not started
            boolean held = Arrays.equals(w.function, functionDigest);
            w.function = null;  // until the worker confirms it holds this function
            started = true;
            long[] ahead = call.nextChunk();
            // The chunk sent ahead goes in the start's write: a worker that cannot read the start
            // says why and exits, and writing to it after it has gone would fail before its Lost
            // is read (unless the function alone overflows the stream's 64 KiB buffer).
            w.send(new Protocol.StartJob(callId, held ? call.job.withFunction(null) : call.job, functionDigest, c[0], c[1]),
                    ahead == null ? null : new Protocol.RunChunk(callId, ahead[0], ahead[1]));
            due.add(c);
            if (ahead != null) due.add(ahead);
            for (boolean first = true; !due.isEmpty(); first = false) {
                c = due.poll();
                Object reply = w.receive();
                if (first && reply instanceof Protocol.Lost) {  // the worker exits: its stream is out of step
                    started = false;
                    w.dead = true;
                    call.fail(startFailure(w, call.job, " and exits", ((Protocol.Lost) reply).why()));
                    return;
                }
                if (first && reply instanceof Protocol.Failed && ((Protocol.Failed) reply).index() < 0) {
                    call.fail(startFailure(w, call.job, "", (Protocol.Failed) reply));
                    return;  // the finally block ends the job: whatever it did attach goes
                }
                if (first) w.function = functionDigest;
                if (reply instanceof Protocol.Failed) {
                    call.fail(chunkFailure(w, call, (Protocol.Failed) reply));
                    return;
                }
                long[] next = call.nextChunk();  // sent before this reply's results are taken in
                if (next != null) {
                    w.send(new Protocol.RunChunk(callId, next[0], next[1]));
                    due.add(next);
                }
                if (!take(w, callId, call, result, c, (Protocol.ChunkDone) reply)) return;
            }
        } catch (Throwable e) {
            call.fail(givenUpOrFailed(w, call, e));
            if (w.dead) started = false;  // nothing more can be sent to it
        } finally {
            if (started) end(w, callId, call, due);
        }
    }

    /** Takes in the results of chunk {@code c}; false if they cannot be read (the call has failed). */
    private static boolean take(WorkerCluster.Worker w, long callId, CallState call, Result result, long[] c,
            Protocol.ChunkDone d) {
        if (d.callId() != callId || d.from() != c[0]) {  // never taken for this chunk's: wrong results, silently
            w.outOfStep = "a reply from it answered another message";
            throw new IllegalStateException("expected the results of items " + c[0] + " to " + c[1] + " of call " + callId
                    + ", got those from item " + d.from() + " of call " + d.callId());
        }
        int n = (int) (c[1] - c[0]);
        if (d.doubles() != null) {
            System.arraycopy(d.doubles(), 0, result.doubles, (int) c[0], n);
        } else if (d.objects() != null) {
            try {
                Protocol.decodeResults(d.objects(), w.filter, result.objects, (int) c[0], n);
            } catch (Protocol.ResultFailure f) {
                call.fail(unreadableResult(w, call.job, c[0] + f.position, f.getCause()));
                return false;
            }
        }
        call.finished(n);
        return true;
    }

    /**
     * The failure of a call for {@code e}, thrown while driving worker {@code w}. A message that
     * broke off part-way, or a broken connection (the worker died), leave nothing more to send
     * to the worker: it is given up, its process ended so that no mapping of the call outlives
     * it. Anything else (a message read whole whose class is unknown here, a reply of an
     * unexpected kind, this JVM's own failure such as a progress listener that throws) leaves
     * the stream in step and the worker usable.
     */
    private static ApplyException givenUpOrFailed(WorkerCluster.Worker w, CallState call, Throwable e) {
        String over = call.job.describeAll();
        if (w.outOfStep != null) {
            w.giveUp();
            return new ApplyException(w.name() + " is given up over " + over + ": " + w.outOfStep + " ("
                    + e + "), which leaves its stream out of step", -1, e);
        }
        if (e instanceof IOException) {
            w.dead = true;
            String status = w.exitStatus();
            w.giveUp();
            return new ApplyException(w.name() + " died while running over " + over + ": " + status + " (" + e + ")", -1, e);
        }
        return new ApplyException(w.name() + " failed over " + over + ": " + e, -1, e);
    }

    /**
     * Ends the job on a worker: first reads the replies still due for chunks sent ahead (their
     * results are no longer wanted, but unread they would be taken for the next call's), then
     * tells it to end. A worker that cannot be brought to the end is given up, its views going
     * with it.
     */
    private static void end(WorkerCluster.Worker w, long callId, CallState call, ArrayDeque<long[]> due) {
        try {
            for (; !due.isEmpty(); due.poll()) w.receive();
            endJob(w, callId, call.job);
        } catch (Throwable e) {
            w.giveUp();
            call.fail(new ApplyException(w.name() + " could not be told to end the call over " + call.job.describeAll()
                    + " and is given up: " + e, -1, e));
        }
    }

    /** An item's failure in a worker, or the worker's own. */
    private static ApplyException chunkFailure(WorkerCluster.Worker w, CallState call, Protocol.Failed f) {
        if (f.index() < 0)
            return new ApplyException(w.name() + " failed: " + f.exceptionClass() + ": " + f.message(), -1, f.toException());
        if (Protocol.UnsendableResult.class.getName().equals(f.exceptionClass()))
            return new ApplyException("the result of " + call.job.describe(f.index()) + " cannot be sent back from " + w.name()
                    + ": it is " + f.message() + "; results of worker processes travel serialized, so return a "
                    + "java.io.Serializable value (or run on threads)", f.index(), f.toException());
        return call.itemFailure(f.index(), f.toException());
    }

    /** A result this JVM cannot read: refused by the filter, of a class not found here, or failing to deserialize. */
    private static ApplyException unreadableResult(WorkerCluster.Worker w, Job job, long index, Throwable cause) {
        String what = "the result of " + job.describe(index) + " from " + w.name();
        if (cause instanceof java.io.InvalidClassException)
            return new ApplyException(what + " is of a class that is not accepted (" + cause.getMessage()
                    + "); allow it with ApplyOptions.acceptResultClasses(\"<class or package.**>\")", index, cause);
        return new ApplyException(what + " cannot be read in this JVM: " + cause, index, cause);
    }
}
