package org.memshare.apply;

import java.util.Map;
import java.util.Set;
import org.memshare.ArrayView;
import org.memshare.ListView;
import org.memshare.MatrixView;
import org.memshare.VectorView;
import org.memshare.View;

/** The shared variables of an apply call, as read-only views by name (R's {@code VARS}). */
public final class SharedVars {
    private final Map<String, View> views;

    SharedVars(Map<String, ? extends View> views) {
        this.views = Map.copyOf(views);
    }

    /**
     * The variables {@code views}, by name: for engines that run an {@link ApplyFunction} on
     * their own workers (memshare-spark's executors) and hand it the views they attached.
     */
    public static SharedVars of(Map<String, ? extends View> views) {
        return new SharedVars(views);
    }

    /** Names of the variables. */
    public Set<String> names() {
        return views.keySet();
    }

    /** The view of {@code name}; throws {@link IllegalArgumentException} naming the known ones if absent. */
    public View get(String name) {
        View v = views.get(name);
        if (v == null) throw new IllegalArgumentException("no shared variable '" + name + "'; the call shares " + names());
        return v;
    }

    /** A vector variable. */
    public VectorView vector(String name) {
        return as(name, VectorView.class);
    }

    /** A matrix variable. */
    public MatrixView matrix(String name) {
        return as(name, MatrixView.class);
    }

    /** A vector or matrix variable. */
    public ArrayView array(String name) {
        return as(name, ArrayView.class);
    }

    /** A list variable. */
    public ListView list(String name) {
        return as(name, ListView.class);
    }

    private <T extends View> T as(String name, Class<T> type) {
        return get(name).as(type);
    }
}
