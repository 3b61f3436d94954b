package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The library's layers, checked on the compiled classes so that a new back-reference fails the
 * build instead of waiting for a review: the root package (namespaces, pages, views) at the
 * bottom with {@code .internal}; {@code .apply}, {@code .mi} and {@code .text} above it and
 * independent of each other; the R-named facade {@code org.memshare.facade.Memshare} on top, in a package of its own
 * so that no package cycle remains, the one class that uses all three and that nothing in the
 * library calls. Read with {@code jdeps -verbose:class}.
 */
class LayeringTest {
    private static final String ROOT = "org.memshare";
    private static final String FACADE = "org.memshare.facade.Memshare";

    /** One class-to-class reference inside the library. */
    record Edge(String from, String to) {
        @Override
        public String toString() {
            return from + " -> " + to;
        }
    }

    @Test
    void noPackageCycleAndOnlyTheFacadeUsesApplyAndMi() {
        List<Edge> edges = libraryEdges();
        assertTrue(edges.size() > 50, "jdeps found only " + edges.size() + " references: " + edges);
        List<String> violations = new ArrayList<>();
        Set<String> facadeUses = new TreeSet<>();
        for (Edge e : edges) {
            String from = layer(e.from()), to = layer(e.to());
            if (from.equals("facade")) facadeUses.add(to);
            String why = forbidden(from, to);
            if (why != null) violations.add(e + "  (" + why + ")");
        }
        assertEquals(List.of(), violations, "layering violations");
        assertTrue(facadeUses.containsAll(Set.of("root", "apply", "mi")), "the facade forwards to every layer: " + facadeUses);
    }

    /** Why a reference from layer {@code from} to layer {@code to} is not allowed, or null. */
    static String forbidden(String from, String to) {
        if (from.equals(to)) return null;
        if (to.equals("facade")) return "nothing in the library calls the facade";
        if (from.equals("facade")) return null;
        Set<String> upper = Set.of("apply", "mi", "text");
        if (from.equals("root") && upper.contains(to)) return "the root package is below apply, mi and text";
        if (from.equals("internal") && upper.contains(to)) return "internal is below apply, mi and text";
        if (upper.contains(from) && upper.contains(to)) return "apply, mi and text are independent";
        return null;
    }

    /** "facade", "root", "internal", "apply", "mi", "text", or "other" (a package the rules do not know: must be added). */
    static String layer(String className) {
        String pkg = className.substring(0, className.lastIndexOf('.'));
        switch (pkg) {
            case ROOT + ".facade": return "facade";
            case ROOT: return "root";
            case ROOT + ".internal": return "internal";
            case ROOT + ".apply": return "apply";
            case ROOT + ".mi": return "mi";
            case ROOT + ".text": return "text";
            default: return "other:" + pkg;
        }
    }

    @Test
    void everyLibraryPackageHasALayer() {
        for (Edge e : libraryEdges())
            assertTrue(!layer(e.from()).startsWith("other"), e.from() + " is in a package LayeringTest does not know");
    }

    @Test
    void theRulesCatchABackReference() {
        // The check itself, on edges the library must never have.
        assertEquals("the root package is below apply, mi and text",
                forbidden(layer("org.memshare.Namespace"), layer("org.memshare.apply.Apply")));
        assertEquals("nothing in the library calls the facade",
                forbidden(layer("org.memshare.apply.WorkerMain"), layer(FACADE)));
        assertEquals("apply, mi and text are independent",
                forbidden(layer("org.memshare.mi.MutualInfo"), layer("org.memshare.apply.Margin")));
        assertEquals("internal is below apply, mi and text",
                forbidden(layer("org.memshare.internal.NativeText"), layer("org.memshare.text.NumberText")));
        assertEquals(null, forbidden(layer("org.memshare.apply.Apply"), layer("org.memshare.Namespace")));
        assertEquals(null, forbidden(layer(FACADE + "$1"), layer("org.memshare.mi.MutualInfo")));
    }

    /** Every reference between two library classes, by {@code jdeps -verbose:class} over the library's classes. */
    static List<Edge> libraryEdges() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new AssertionError("jdeps is not available in this JDK; the layering cannot be checked"));
        String classes;
        try {
            classes = Path.of(Namespace.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
        StringWriter out = new StringWriter(), err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:class", "-filter:none", classes);
        assertEquals(0, rc, "jdeps failed: " + err);
        List<Edge> edges = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            // "   org.memshare.Namespace   -> org.memshare.internal.HandleState   classes"
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[1].equals("->") && f[0].startsWith(ROOT + ".") && f[2].startsWith(ROOT + "."))
                edges.add(new Edge(f[0], f[2]));
        }
        return edges;
    }
}
