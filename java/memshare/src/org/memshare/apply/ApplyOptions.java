package org.memshare.apply;

import java.util.ArrayList;
import java.util.List;

/**
 * Options of {@code memApply}/{@code memLapply}, immutable; R's argument names map across:
 * {@code NAMESPACE} → {@link #withNamespace}, {@code MAX.CORES} → {@link #withWorkers},
 * {@code CLUSTER} → {@link #withCluster}.
 */
public final class ApplyOptions {
    private final String namespace;
    private final int workers;
    private final WorkerCluster cluster;
    private final ProgressListener progress;
    private final int chunkSize;
    private final List<String> resultPatterns;

    private ApplyOptions(String namespace, int workers, WorkerCluster cluster, ProgressListener progress, int chunkSize,
                         List<String> resultPatterns) {
        this.namespace = namespace;
        this.workers = workers;
        this.cluster = cluster;
        this.progress = progress;
        this.chunkSize = chunkSize;
        this.resultPatterns = List.copyOf(resultPatterns);
    }

    /** Threads, one per available processor, a fresh unique namespace per call, no progress. */
    public static ApplyOptions defaults() {
        return new ApplyOptions(null, 0, null, null, 0, List.of());
    }

    /**
     * The namespace of the call (R's {@code NAMESPACE}). Required when X or the variables are given
     * by name; otherwise each call uses a fresh unique one, so concurrent calls never collide.
     */
    public ApplyOptions withNamespace(String namespace) {
        return new ApplyOptions(namespace, workers, cluster, progress, chunkSize, resultPatterns);
    }

    /** Number of worker threads (R's {@code MAX.CORES}); ignored with a cluster (its size counts). */
    public ApplyOptions withWorkers(int workers) {
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        return new ApplyOptions(namespace, workers, cluster, progress, chunkSize, resultPatterns);
    }

    /** Run on these worker processes instead of threads (R's {@code CLUSTER}). */
    public ApplyOptions withCluster(WorkerCluster cluster) {
        return new ApplyOptions(namespace, workers, cluster, progress, chunkSize, resultPatterns);
    }

    /** Report progress (done, total) to {@code listener}. */
    public ApplyOptions withProgress(ProgressListener listener) {
        return new ApplyOptions(namespace, workers, cluster, listener, chunkSize, resultPatterns);
    }

    /**
     * Items per task sent to a worker; 0 (default): guided, chunks shrinking as the call nears its
     * end so that the workers finish together.
     */
    public ApplyOptions withChunkSize(int chunkSize) {
        if (chunkSize < 0) throw new IllegalArgumentException("chunk size must be positive, not " + chunkSize);
        return new ApplyOptions(namespace, workers, cluster, progress, chunkSize, resultPatterns);
    }

    /**
     * Accepts results of these classes from worker processes, in {@link java.io.ObjectInputFilter}
     * pattern syntax (e.g. {@code "com.example.Stats"} or {@code "com.example.**"}). By default
     * only java.lang, java.util, java.math and java.time values and primitive arrays come back.
     */
    public ApplyOptions acceptResultClasses(String... patterns) {
        List<String> all = new ArrayList<>(resultPatterns);
        all.addAll(List.of(patterns));
        return new ApplyOptions(namespace, workers, cluster, progress, chunkSize, all);
    }

    /** The namespace, or null for a fresh one per call. */
    public String namespace() {
        return namespace;
    }

    /** Worker threads (the available processors when not set). */
    public int workers() {
        return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
    }

    /** The cluster, or null for threads. */
    public WorkerCluster cluster() {
        return cluster;
    }

    /** The progress listener, or null. */
    public ProgressListener progress() {
        return progress;
    }

    /** Chunk size, 0 for automatic. */
    public int chunkSize() {
        return chunkSize;
    }

    /** Extra accepted result class patterns. */
    public List<String> resultPatterns() {
        return resultPatterns;
    }
}
