package org.memshare;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.memshare.internal.HandleState;

/**
 * The open page or view handles of this JVM by (namespace, variable), so that releaseViews,
 * releaseVariables, gc and releaseAll can close them. Holds the handles' states only, never the
 * handles, so an unreachable handle is still found by the Cleaner (whose action removes it here).
 */
final class OpenHandles {
    static final OpenHandles PAGES = new OpenHandles();
    static final OpenHandles VIEWS = new OpenHandles();
    static final OpenHandles LOCKS = new OpenHandles();  // InterprocessLock handles, closed at exit
    static final OpenHandles WRITERS = new OpenHandles();  // Namespace.attachForFilling

    private final Map<String, Map<String, Set<HandleState>>> byNamespace = new HashMap<>();

    synchronized void add(String ns, String var, HandleState state) {
        byNamespace.computeIfAbsent(ns, k -> new HashMap<>()).computeIfAbsent(var, k -> new LinkedHashSet<>()).add(state);
    }

    synchronized void remove(String ns, String var, HandleState state) {
        Map<String, Set<HandleState>> vars = byNamespace.get(ns);
        if (vars == null) return;
        Set<HandleState> states = vars.get(var);
        if (states == null) return;
        states.remove(state);
        if (states.isEmpty()) vars.remove(var);
        if (vars.isEmpty()) byNamespace.remove(ns);
    }

    /** States of one variable ({@code var} non-null), of a namespace, or of everything ({@code ns} null). */
    synchronized List<HandleState> matching(String ns, String var) {
        List<HandleState> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Set<HandleState>>> e : byNamespace.entrySet()) {
            if (ns != null && !ns.equals(e.getKey())) continue;
            for (Map.Entry<String, Set<HandleState>> v : e.getValue().entrySet())
                if (var == null || var.equals(v.getKey())) out.addAll(v.getValue());
        }
        return out;
    }

    /** Closes every matching handle; returns how many there were. */
    int closeMatching(String ns, String var) {
        List<HandleState> states = matching(ns, var);
        for (HandleState s : states) s.close();
        return states.size();
    }

    // Release by name lives here, below Namespace and the facade, so that both (and the shutdown
    // hook) call down to it instead of Namespace calling up into the facade.

    /**
     * Closes this JVM's views of {@code ns.var}.
     *
     * @throws VariableNotFoundException if this JVM holds no view of it
     */
    static void releaseViews(String ns, String var) {
        if (VIEWS.closeMatching(ns, var) == 0)
            throw new VariableNotFoundException(ns, var, "variable '" + var + "' in namespace '" + ns
                    + "': no view of it is held by this process", 0);
    }

    /**
     * Closes this JVM's pages of {@code ns.var}.
     *
     * @throws VariableNotFoundException if this JVM registered no such variable
     */
    static void releasePages(String ns, String var) {
        if (PAGES.closeMatching(ns, var) == 0)
            throw new VariableNotFoundException(ns, var, "variable '" + var + "' in namespace '" + ns
                    + "': not registered by this process", 0);
    }

    /** Closes every writable view and view, then every page, this JVM holds in namespace {@code ns} ({@code null}: all). */
    static void releaseAll(String ns) {
        WRITERS.closeMatching(ns, null);
        VIEWS.closeMatching(ns, null);
        PAGES.closeMatching(ns, null);
        LOCKS.closeMatching(ns, null);
    }
}
