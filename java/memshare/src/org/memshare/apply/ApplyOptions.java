package org.memshare.apply;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options of {@code memApply}/{@code memLapply}, immutable; R's argument names map across:
 * {@code NAMESPACE} → {@link #withNamespace}, {@code VARS} → {@link #withVars} (data) or
 * {@link #withVarNames} (registered variables), {@code MAX.CORES} → {@link #withWorkers},
 * {@code CLUSTER} → {@link #withCluster}. The variables are options, not parameters, so that each
 * function has one entry point per kind of input (data or a registered name).
 */
public final class ApplyOptions {
    private final String namespace;
    private final int workers;
    private final WorkerCluster cluster;
    private final ProgressListener progress;
    private final int chunkSize;
    private final List<String> resultPatterns;
    private final Map<String, ?> vars;      // data registered for the call, in the caller's order
    private final List<String> varNames;   // registered variables, by name

    private ApplyOptions(String namespace, int workers, WorkerCluster cluster, ProgressListener progress, int chunkSize,
                         List<String> resultPatterns, Map<String, ?> vars, List<String> varNames) {
        this.namespace = namespace;
        this.workers = workers;
        this.cluster = cluster;
        this.progress = progress;
        this.chunkSize = chunkSize;
        this.resultPatterns = List.copyOf(resultPatterns);
        this.vars = vars;
        this.varNames = varNames;
    }

    /** Threads, one per available processor, a fresh unique namespace per call, no variables, no progress. */
    public static ApplyOptions defaults() {
        return new ApplyOptions(null, 0, null, null, 0, List.of(), Map.of(), List.of());
    }

    /**
     * Shares {@code data} (name to array, {@code Matrix} or list, as for
     * {@link org.memshare.Namespace#registerAll}) with the function (R's {@code VARS} as a list):
     * registered for the call, in its namespace, and released afterwards. The function gets them
     * as views by name ({@link SharedVars}). Replaces the data of an earlier {@code withVars}; may
     * be combined with {@link #withVarNames}. The data is read when the call registers it.
     *
     * @param data the variables' data by name
     * @return options with these variables
     */
    public ApplyOptions withVars(Map<String, ?> data) {
        if (data == null) throw new IllegalArgumentException("the variables must not be null; for none, leave withVars out");
        Map<String, ?> copy = Collections.unmodifiableMap(new LinkedHashMap<>(data));
        return new ApplyOptions(namespace, workers, cluster, progress, chunkSize, resultPatterns, copy, varNames);
    }

    /**
     * Shares the variables {@code names}, registered already in the call's namespace (R's
     * {@code VARS} as names; {@link #withNamespace} is then required). Replaces the names of an
     * earlier {@code withVarNames}; may be combined with {@link #withVars}.
     *
     * @param names names of registered variables
     * @return options with these variables
     */
    public ApplyOptions withVarNames(String... names) {
        if (names == null) throw new IllegalArgumentException("the variable names must not be null; for none, leave withVarNames out");
        for (String n : names)
            if (n == null) throw new IllegalArgumentException("a variable name is null in " + Arrays.toString(names));
        return new ApplyOptions(namespace, workers, cluster, progress, chunkSize, resultPatterns, vars, List.of(names));
    }

    /**
     * The namespace of the call (R's {@code NAMESPACE}). Required when X or the variables are given
     * by name; otherwise each call uses a fresh unique one, so concurrent calls never collide.
     */
    public ApplyOptions withNamespace(String namespace) {
        return new ApplyOptions(namespace, workers, cluster, progress, chunkSize, resultPatterns, vars, varNames);
    }

    /** Number of worker threads (R's {@code MAX.CORES}); ignored with a cluster (its size counts). */
    public ApplyOptions withWorkers(int workers) {
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        return new ApplyOptions(namespace, workers, cluster, progress, chunkSize, resultPatterns, vars, varNames);
    }

    /** Run on these worker processes instead of threads (R's {@code CLUSTER}). */
    public ApplyOptions withCluster(WorkerCluster cluster) {
        return new ApplyOptions(namespace, workers, cluster, progress, chunkSize, resultPatterns, vars, varNames);
    }

    /** Report progress (done, total) to {@code listener}. */
    public ApplyOptions withProgress(ProgressListener listener) {
        return new ApplyOptions(namespace, workers, cluster, listener, chunkSize, resultPatterns, vars, varNames);
    }

    /**
     * Items per task sent to a worker; 0 (default): guided, chunks shrinking as the call nears its
     * end so that the workers finish together.
     */
    public ApplyOptions withChunkSize(int chunkSize) {
        if (chunkSize < 0) throw new IllegalArgumentException("chunk size must be positive, not " + chunkSize);
        return new ApplyOptions(namespace, workers, cluster, progress, chunkSize, resultPatterns, vars, varNames);
    }

    /**
     * Accepts results of these classes from worker processes, in {@link java.io.ObjectInputFilter}
     * pattern syntax (e.g. {@code "com.example.Stats"} or {@code "com.example.**"}). By default
     * only java.lang, java.util, java.math and java.time values and primitive arrays come back.
     */
    public ApplyOptions acceptResultClasses(String... patterns) {
        List<String> all = new ArrayList<>(resultPatterns);
        all.addAll(List.of(patterns));
        return new ApplyOptions(namespace, workers, cluster, progress, chunkSize, all, vars, varNames);
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

    /** The variables' data registered for each call, by name (empty: none). */
    Map<String, ?> vars() {
        return vars;
    }

    /** The names of registered variables shared with the function (empty: none). */
    List<String> varNames() {
        return varNames;
    }
}
