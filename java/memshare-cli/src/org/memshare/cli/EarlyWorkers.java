package org.memshare.cli;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.memshare.Matrix;
import org.memshare.apply.Apply;
import org.memshare.apply.ApplyOptions;
import org.memshare.apply.DoubleApplyFunction;
import org.memshare.apply.Margin;
import org.memshare.apply.WorkerCluster;

/**
 * {@code select --processes}: the worker JVMs, started on a thread of their own while the data is
 * read or generated, and warmed up there by one call of the ranking's own function on a tiny
 * matrix. A fresh worker's first call loads the command's classes, bootstraps the function's
 * lambda and attaches its first views; at 2,000 features that was about 0.06 s of a 1.1 s
 * ranking (docs/BENCHMARKS.md). The user waits for the data anyway; {@link #await} says how
 * long the ranking still had to wait for the workers after it, and the report prints it.
 */
final class EarlyWorkers implements AutoCloseable {
    private final Thread thread;
    private volatile WorkerCluster cluster;
    private volatile Throwable failure;  // of the start, or of the warm-up call
    private long waitedNanos;

    private EarlyWorkers(int workers, DoubleApplyFunction warmUp) {
        thread = new Thread(() -> {
            try {
                WorkerCluster c = WorkerCluster.start(workers);
                synchronized (this) {
                    cluster = c;
                }
                warm(c, workers, warmUp);
            } catch (IOException | RuntimeException | Error e) {
                failure = e;
            }
        }, "memshare-early-workers");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts {@code workers} worker processes and warms them up with {@code warmUp}, in the background. */
    static EarlyWorkers start(int workers, DoubleApplyFunction warmUp) {
        return new EarlyWorkers(workers, warmUp);
    }

    /** One call on 64 rows and 8 columns per worker, so that every worker most likely takes a chunk. */
    private static void warm(WorkerCluster cluster, int workers, DoubleApplyFunction fun) {
        int rows = 64, cols = 8 * workers;
        double[] x = new double[rows * cols], y = new double[rows];
        for (int i = 0; i < rows; i++) y[i] = i % 4;
        for (int k = 0; k < x.length; k++) x[k] = Math.sin(k * 0.37) + (k % rows) % 4;
        Apply.memApplyDouble(Matrix.of(rows, cols, x), Margin.COLUMNS, fun,
                ApplyOptions.defaults().withCluster(cluster).withWorkers(workers).withVars(Map.of("y", y)));
    }

    /**
     * The started cluster, waiting for it if need be. A worker that died since it started fails
     * here, naming it and how it ended, rather than the ranking running on fewer workers.
     */
    WorkerCluster await() {
        long t0 = System.nanoTime();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MemshareCli.CliException("interrupted while starting the worker processes");
        }
        waitedNanos += System.nanoTime() - t0;
        WorkerCluster c = cluster;
        List<String> lost = c == null ? List.of() : c.lostWorkers();
        if (!lost.isEmpty())
            throw new MemshareCli.CliException("a worker process died before the ranking: " + String.join("; ", lost));
        if (failure != null)
            throw new MemshareCli.CliException("could not start the worker processes: " + failure.getMessage()
                    + (failure.getMessage() == null ? " (" + failure + ")" : ""));
        return c;
    }

    /** How long {@link #await} waited, in nanoseconds. */
    long waitedNanos() {
        return waitedNanos;
    }

    /**
     * Ends the workers; if they are still starting, stops that first (reading failed, say). A
     * warm-up call in progress is let finish (milliseconds): an interrupted call returns before
     * its dispatchers, which would then write to the workers while they are told to exit.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (cluster == null) thread.interrupt();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        WorkerCluster c = cluster;
        if (c != null) c.close();
    }
}
