package org.memshare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.memshare.internal.NativeAttachment;
import org.memshare.internal.NativeLoader;
import org.memshare.internal.NativeRegistry;

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
 * errors are typed exceptions, never NA.
 */
public final class Memshare {
    /**
     * One namespace object per name, held for the life of the JVM: pages and views obtained
     * through the facade stay until released, as in R.
     */
    private static final Map<String, Namespace> FACADE = new ConcurrentHashMap<>();

    private Memshare() {}

    private static Namespace facade(String ns) {
        return FACADE.computeIfAbsent(ns, n -> new Namespace(n, NamespaceOptions.DEFAULT, true));
    }

    /**
     * Registers each entry of {@code variables} (see {@link Namespace#register} for the value types)
     * in namespace {@code ns}. If one fails, the ones this call registered are released again.
     */
    public static void registerVariables(String ns, Map<String, ?> variables) {
        Namespace namespace = facade(ns);
        List<Page> done = new ArrayList<>();
        try {
            for (Map.Entry<String, ?> e : variables.entrySet()) done.add(namespace.register(e.getKey(), e.getValue()));
        } catch (RuntimeException | Error e) {
            for (Page p : done) p.close();
            throw e;
        }
    }

    /**
     * Views of the named variables, by name in the order asked. Close them with
     * {@link #releaseViews} or each view's {@code close()}. All-or-nothing.
     */
    public static Map<String, View> retrieveViews(String ns, String... names) {
        Namespace namespace = facade(ns);
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
        for (String name : names) {
            if (OpenHandles.VIEWS.closeMatching(ns, name) == 0)
                throw new VariableNotFoundException(ns, name, "variable '" + name + "' in namespace '" + ns
                        + "': no view of it is held by this process", 0);
        }
    }

    /**
     * Releases the named variables this JVM registered: their names are removed and no new view
     * can attach; views already open elsewhere stay valid until closed.
     *
     * @throws VariableNotFoundException for a name this JVM did not register
     */
    public static void releaseVariables(String ns, String... names) {
        for (String name : names) {
            if (OpenHandles.PAGES.closeMatching(ns, name) == 0)
                throw new VariableNotFoundException(ns, name, "variable '" + name + "' in namespace '" + ns
                        + "': not registered by this process", 0);
        }
    }

    /** The metadata of one variable (type, dimensions, size), validated, without keeping a view. */
    public static VariableInfo retrieveMetadata(String ns, String name) {
        return facade(ns).metadata(name);
    }

    /** The metadata of several variables, by name in the order asked. */
    public static Map<String, VariableInfo> retrieveMetadata(String ns, String... names) {
        Map<String, VariableInfo> out = new LinkedHashMap<>();
        for (String name : names) out.put(name, retrieveMetadata(ns, name));
        return out;
    }

    /** R's {@code pageList()}: {@code "<ns>.<var>"} of every page this JVM owns, sorted. */
    public static List<String> pageList() {
        NativeLoader.load();
        return qualifiedNames(NativeRegistry.pageList(null));
    }

    /** R's {@code viewList()}: {@code "<ns>.<var>"} of every variable this JVM holds views of, sorted. */
    public static List<String> viewList() {
        NativeLoader.load();
        return qualifiedNames(NativeRegistry.viewList(null));
    }

    /** Every page this JVM owns, with its metadata. */
    public static List<VariableInfo> pages() {
        NativeLoader.load();
        return Infos.of(NativeRegistry.pageList(null));
    }

    /** Every variable this JVM holds views of, with its metadata and reference count. */
    public static List<VariableInfo> views() {
        NativeLoader.load();
        return Infos.of(NativeRegistry.viewList(null));
    }

    private static List<String> qualifiedNames(NativeAttachment[] all) {
        List<String> out = new ArrayList<>();
        for (NativeAttachment a : all) out.add(a.namespace + "." + a.variable);
        return out;
    }

    /**
     * R's {@code memApply}: {@code fun} over the rows or columns of {@code x} (a {@link Matrix}, or
     * the name of a registered matrix), with shared variables {@code vars}; see
     * {@link org.memshare.apply.Apply} for the arguments. Results in index order.
     */
    public static <R> List<R> memApply(Object x, org.memshare.apply.Margin margin, org.memshare.apply.ApplyFunction<R> fun,
                                       Object vars, org.memshare.apply.ApplyOptions options) {
        return org.memshare.apply.Apply.memApply(x, margin, fun, vars, options);
    }

    /** {@link #memApply} for a function returning {@code double}; results unboxed. */
    public static double[] memApplyDouble(Object x, org.memshare.apply.Margin margin,
                                          org.memshare.apply.DoubleApplyFunction fun, Object vars,
                                          org.memshare.apply.ApplyOptions options) {
        return org.memshare.apply.Apply.memApplyDouble(x, margin, fun, vars, options);
    }

    /** R's {@code memLapply}: {@code fun} over the elements of a list; results in index order. */
    public static <R> List<R> memLapply(Object x, org.memshare.apply.ListFunction<R> fun, Object vars,
                                        org.memshare.apply.ApplyOptions options) {
        return org.memshare.apply.Apply.memLapply(x, fun, vars, options);
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
        return Segments.sweep(java.util.Objects.requireNonNull(ns, "namespace"), false);
    }

    /** {@link #sweep()} of namespace {@code ns} ({@code null}: all); with {@code dryRun}, reports without removing. */
    public static SweepReport sweep(String ns, boolean dryRun) {
        return Segments.sweep(ns, dryRun);
    }

    /** R's {@code mutualinfo}: mutual information of two vectors in nats; see {@link org.memshare.mi.MutualInfo}. */
    public static double mutualinfo(double[] x, double[] y, org.memshare.mi.MutualInfoOptions options) {
        return org.memshare.mi.MutualInfo.mutualinfo(x, y, options);
    }

    /** R's {@code mutualinfo} over direct buffers or array views' columns, without copying. */
    public static double mutualinfo(java.nio.DoubleBuffer x, java.nio.DoubleBuffer y, org.memshare.mi.MutualInfoOptions options) {
        return org.memshare.mi.MutualInfo.mutualinfo(x, y, options);
    }

    /** R's {@code memshare_gc}: releases every view and page this JVM holds in namespace {@code ns}. */
    public static void gc(String ns) {
        release(ns);
    }

    /** Releases every view and page this JVM holds, in all namespaces (also run at JVM exit). */
    public static void releaseAll() {
        release(null);
    }

    private static void release(String ns) {
        OpenHandles.VIEWS.closeMatching(ns, null);
        OpenHandles.PAGES.closeMatching(ns, null);
    }
}
