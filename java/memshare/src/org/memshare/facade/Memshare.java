package org.memshare.facade;

import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.memshare.ArrayPage;
import org.memshare.Matrix;
import org.memshare.Namespace;
import org.memshare.Segments;
import org.memshare.SweepReport;
import org.memshare.VariableInfo;
import org.memshare.VariableNotFoundException;
import org.memshare.View;
import org.memshare.apply.Apply;
import org.memshare.apply.ApplyFunction;
import org.memshare.apply.ApplyOptions;
import org.memshare.apply.DoubleApplyFunction;
import org.memshare.apply.ListFunction;
import org.memshare.apply.Margin;
import org.memshare.apply.OutputFunction;
import org.memshare.mi.MutualInfo;
import org.memshare.mi.MutualInfoOptions;

/**
 * The R-named facade, for users coming from R's {@code memshare}: the same functions, over the
 * same segments, so Java and R can share one copy of double data.
 *
 * <pre>{@code
 * Memshare.registerVariables("rns", Map.of("X", Matrix.of(2, 3, new double[] {1, 2, 3, 4, 5, 6}),
 *                                          "y", new double[] {1.5, 2.5}));
 * Map<String, View> v = Memshare.retrieveViews("rns", "X", "y");
 * double x12 = ((MatrixView) v.get("X")).get(1, 2);     // 6.0
 * Memshare.releaseViews("rns", "X", "y");
 * Memshare.releaseVariables("rns", "X", "y");
 * }</pre>
 *
 * Differences from R, on purpose: registration and view retrieval are all-or-nothing (a failure
 * releases what the same call created); {@code retrieveMetadata} does not leave a view behind;
 * errors are typed exceptions, never NA. Everything goes through {@link Namespace#held}, so pages
 * and views obtained here stay until released, as in R.
 */
public final class Memshare {
    private Memshare() {}


    /**
     * Registers each entry of {@code variables} (name to data) in namespace {@code ns}: the values
     * may mix types, each a {@code double[]}, {@code float[]}, {@code long[]}, {@code int[]},
     * {@code byte[]}, {@link Matrix} or {@link List} of those (see {@link Namespace#registerAll}).
     * If one fails, the ones this call registered are released again.
     *
     * @throws IllegalArgumentException naming the variable, for a value of any other type
     */
    public static void registerVariables(String ns, Map<String, ?> variables) {
        Namespace.held(ns).registerAll(variables);
    }

    /**
     * Views of the named variables, by name in the order asked. Close them with
     * {@link #releaseViews} or each view's {@code close()}. All-or-nothing.
     */
    public static Map<String, View> retrieveViews(String ns, String... names) {
        Namespace namespace = Namespace.held(ns);
        Map<String, View> views = new LinkedHashMap<>();
        try {
            for (String name : names) views.put(name, namespace.view(name));
        } catch (RuntimeException | Error e) {
            for (View v : views.values()) v.close();
            throw e;
        }
        return views;
    }

    /**
     * Releases this JVM's views of the named variables (every open handle of each).
     *
     * @throws VariableNotFoundException for a name of which this JVM holds no view
     */
    public static void releaseViews(String ns, String... names) {
        Namespace namespace = Namespace.held(ns);
        for (String name : names) namespace.releaseViews(name);
    }

    /**
     * Releases the named variables this JVM registered: their names are removed and no new view
     * can attach; views already open elsewhere stay valid until closed.
     *
     * @throws VariableNotFoundException for a name this JVM did not register
     */
    public static void releaseVariables(String ns, String... names) {
        Namespace namespace = Namespace.held(ns);
        for (String name : names) namespace.release(name);
    }

    /** The metadata of one variable (type, dimensions, size), validated, without keeping a view. */
    public static VariableInfo retrieveMetadata(String ns, String name) {
        return Namespace.held(ns).metadata(name);
    }

    /** The metadata of several variables, by name in the order asked. */
    public static Map<String, VariableInfo> retrieveMetadata(String ns, String... names) {
        Map<String, VariableInfo> out = new LinkedHashMap<>();
        for (String name : names) out.put(name, retrieveMetadata(ns, name));
        return out;
    }

    /** R's {@code pageList()}: {@code "<ns>.<var>"} of every page this JVM owns, sorted. */
    public static List<String> pageList() {
        return qualifiedNames(Namespace.allPages());
    }

    /** R's {@code viewList()}: {@code "<ns>.<var>"} of every variable this JVM holds views of, sorted. */
    public static List<String> viewList() {
        return qualifiedNames(Namespace.allViews());
    }

    /** Every page this JVM owns, with its metadata. */
    public static List<VariableInfo> pages() {
        return Namespace.allPages();
    }

    /** Every variable this JVM holds views of, with its metadata and reference count. */
    public static List<VariableInfo> views() {
        return Namespace.allViews();
    }

    private static List<String> qualifiedNames(List<VariableInfo> all) {
        List<String> out = new ArrayList<>();
        for (VariableInfo v : all) out.add(v.qualifiedName());
        return out;
    }

    // The apply functions: R's names, one forwarder per variant of org.memshare.apply.Apply (data
    // or a registered name). R's VARS, NAMESPACE, CLUSTER and MAX.CORES are ApplyOptions.

    /**
     * R's {@code memApply}: {@code fun} over the rows or columns of {@code x};
     * see {@link Apply#memApply(Matrix, Margin, ApplyFunction, ApplyOptions)}.
     *
     * @param x the data, registered for the call
     * @param margin rows or columns
     * @param fun the function, serializable for worker processes
     * @param options variables, cluster, ...; {@code null} for the defaults
     * @param <R> the result type
     * @return the results in index order
     */
    public static <R> List<R> memApply(Matrix x, Margin margin, ApplyFunction<R> fun, ApplyOptions options) {
        return Apply.memApply(x, margin, fun, options);
    }

    /**
     * R's {@code memApply} over a registered matrix;
     * see {@link Apply#memApply(String, Margin, ApplyFunction, ApplyOptions)}.
     *
     * @param x the name of a registered matrix
     * @param margin rows or columns
     * @param fun the function, serializable for worker processes
     * @param options variables, cluster, ...; the namespace is required
     * @param <R> the result type
     * @return the results in index order
     */
    public static <R> List<R> memApply(String x, Margin margin, ApplyFunction<R> fun, ApplyOptions options) {
        return Apply.memApply(x, margin, fun, options);
    }

    /**
     * {@code memApply} of a function returning {@code double}, results unboxed;
     * see {@link Apply#memApplyDouble(Matrix, Margin, DoubleApplyFunction, ApplyOptions)}.
     *
     * @param x the data, registered for the call
     * @param margin rows or columns
     * @param fun the function, serializable for worker processes
     * @param options variables, cluster, ...; {@code null} for the defaults
     * @return the results in index order
     */
    public static double[] memApplyDouble(Matrix x, Margin margin, DoubleApplyFunction fun, ApplyOptions options) {
        return Apply.memApplyDouble(x, margin, fun, options);
    }

    /**
     * {@code memApply} of a function returning {@code double} over a registered matrix;
     * see {@link Apply#memApplyDouble(String, Margin, DoubleApplyFunction, ApplyOptions)}.
     *
     * @param x the name of a registered matrix
     * @param margin rows or columns
     * @param fun the function, serializable for worker processes
     * @param options variables, cluster, ...; the namespace is required
     * @return the results in index order
     */
    public static double[] memApplyDouble(String x, Margin margin, DoubleApplyFunction fun, ApplyOptions options) {
        return Apply.memApplyDouble(x, margin, fun, options);
    }

    /**
     * R's {@code memLapply}: {@code fun} over the elements of the list {@code x};
     * see {@link Apply#memLapply(List, ListFunction, ApplyOptions)}.
     *
     * @param x the list's elements, registered for the call
     * @param fun the function, serializable for worker processes
     * @param options variables, cluster, ...; {@code null} for the defaults
     * @param <R> the result type
     * @return the results in index order
     */
    public static <R> List<R> memLapply(List<?> x, ListFunction<R> fun, ApplyOptions options) {
        return Apply.memLapply(x, fun, options);
    }

    /**
     * R's {@code memLapply} over a registered list;
     * see {@link Apply#memLapply(String, ListFunction, ApplyOptions)}.
     *
     * @param x the name of a registered list
     * @param fun the function, serializable for worker processes
     * @param options variables, cluster, ...; the namespace is required
     * @param <R> the result type
     * @return the results in index order
     */
    public static <R> List<R> memLapply(String x, ListFunction<R> fun, ApplyOptions options) {
        return Apply.memLapply(x, fun, options);
    }

    /**
     * {@code memApply} into a shared output: {@code fun} writes each row's or column's results
     * into that item's block of {@code out} in place, and the call publishes {@code out}; see
     * {@link Apply#memApplyInto(Matrix, Margin, OutputFunction, ArrayPage, ApplyOptions)}.
     *
     * @param x the data, registered for the call
     * @param margin rows or columns
     * @param fun the function, serializable for worker processes
     * @param out the unpublished float64 output page (released if the call fails)
     * @param options variables, cluster, ...; {@code null} for the defaults
     */
    public static void memApplyInto(Matrix x, Margin margin, OutputFunction fun, ArrayPage out, ApplyOptions options) {
        Apply.memApplyInto(x, margin, fun, out, options);
    }

    /**
     * {@code memApply} into a shared output over a registered matrix;
     * see {@link Apply#memApplyInto(String, Margin, OutputFunction, ArrayPage, ApplyOptions)}.
     *
     * @param x the name of a registered matrix
     * @param margin rows or columns
     * @param fun the function, serializable for worker processes
     * @param out the unpublished float64 output page (released if the call fails)
     * @param options variables, cluster, ...; the namespace is required
     */
    public static void memApplyInto(String x, Margin margin, OutputFunction fun, ArrayPage out, ApplyOptions options) {
        Apply.memApplyInto(x, margin, fun, out, options);
    }

    /**
     * Removes crash orphans in every namespace: variables of this user whose owner process (pid
     * and start time, as recorded in the metadata trailer) is no longer running, as a
     * {@code kill -9} leaves them. Never touches a live owner's variable, another user's, or one
     * without our trailer (R-written); the report lists those as kept, with the reason. Views
     * still open elsewhere keep reading. Same as {@code memshare sweep}.
     */
    public static SweepReport sweep() {
        return Segments.sweep(null, false);
    }

    /** {@link #sweep()} for namespace {@code ns} only. */
    public static SweepReport sweep(String ns) {
        return Segments.sweep(Objects.requireNonNull(ns, "namespace"), false);
    }

    /** {@link #sweep()} of namespace {@code ns} ({@code null}: all); with {@code dryRun}, reports without removing. */
    public static SweepReport sweep(String ns, boolean dryRun) {
        return Segments.sweep(ns, dryRun);
    }

    /** R's {@code mutualinfo}: mutual information of two vectors in nats; see {@link MutualInfo}. */
    public static double mutualinfo(double[] x, double[] y, MutualInfoOptions options) {
        return MutualInfo.mutualinfo(x, y, options);
    }

    /** R's {@code mutualinfo} over direct buffers or array views' columns, without copying. */
    public static double mutualinfo(DoubleBuffer x, DoubleBuffer y, MutualInfoOptions options) {
        return MutualInfo.mutualinfo(x, y, options);
    }

    /** R's {@code memshare_gc}: releases every view and page this JVM holds in namespace {@code ns}. */
    public static void gc(String ns) {
        Namespace.releaseAll(ns);
    }

    /** Releases every view and page this JVM holds, in all namespaces (also run at JVM exit). */
    public static void releaseAll() {
        Namespace.releaseAll();
    }
}
