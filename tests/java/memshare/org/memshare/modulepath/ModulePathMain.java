package org.memshare.modulepath;

import java.io.IOException;
import java.lang.module.ModuleReader;
import java.lang.module.ResolvedModule;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.memshare.Matrix;
import org.memshare.MatrixView;
import org.memshare.Namespace;
import org.memshare.apply.Apply;
import org.memshare.apply.ApplyOptions;
import org.memshare.apply.Margin;
import org.memshare.apply.WorkerCluster;
import org.memshare.facade.Memshare;

/**
 * A program on the class path that uses the library from the module path (ModulePathTest starts
 * it). Its package is not one of the library's, so the class path can hold it beside the module.
 *
 * <ul>
 *   <li>{@code describe}: {@code MODULE <name>}, {@code EXPORTS <packages>}, and per package of
 *       the library {@code VISIBLE <package> <public types another module can use> of <public types>};</li>
 *   <li>{@code run <ns>}: registers a matrix, reads it back through the facade, and runs a
 *       memApply on two worker JVMs (started from the module path); prints {@code SUMS ...}.</li>
 * </ul>
 * Also usable by hand, to count against any JAR:
 * {@code java --module-path memshare.jar --add-modules org.memshare -cp test-classes org.memshare.modulepath.ModulePathMain describe}.
 */
public final class ModulePathMain {
    private ModulePathMain() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("describe")) describe();
        else run(args[1]);
    }

    private static void describe() throws IOException, ClassNotFoundException {
        Module m = Namespace.class.getModule();
        System.out.println("MODULE " + m.getName());
        System.out.println("EXPORTS " + m.getPackages().stream().filter(m::isExported).sorted().collect(Collectors.joining(" ")));
        ResolvedModule resolved = ModuleLayer.boot().configuration().findModule(m.getName()).orElseThrow();
        List<String> classes;
        try (ModuleReader reader = resolved.reference().open()) {
            classes = reader.list().filter(r -> r.endsWith(".class") && !r.endsWith("module-info.class"))
                    .map(r -> r.substring(0, r.length() - 6).replace('/', '.')).collect(Collectors.toList());
        }
        for (String pkg : new TreeSet<>(m.getPackages())) {
            int visible = 0, all = 0;
            for (String name : classes) {
                if (!name.substring(0, name.lastIndexOf('.')).equals(pkg)) continue;
                Class<?> c = Class.forName(name, false, ModulePathMain.class.getClassLoader());
                if (!isPublicType(c)) continue;
                all++;
                // Usable by code in another module: public, and its package exported to all.
                if (m.isExported(pkg)) visible++;
            }
            System.out.println("VISIBLE " + pkg + " " + visible + " of " + all);
        }
    }

    /** Public, and (for a nested type) every enclosing type public too. */
    private static boolean isPublicType(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass()) return false;
        }
        return true;
    }

    private static void run(String ns) throws IOException {
        Memshare.registerVariables(ns, Map.of("X", Matrix.of(2, 3, new double[] {1, 2, 3, 4, 5, 6})));
        System.out.println("X[2,3] " + ((MatrixView) Memshare.retrieveViews(ns, "X").get("X")).get(1, 2));
        try (WorkerCluster cluster = WorkerCluster.start(2)) {
            ApplyOptions o = ApplyOptions.defaults().withNamespace(ns).withCluster(cluster);
            double[] sums = Apply.memApplyDouble("X", Margin.COLUMNS, (col, vars) -> col.get(0) + col.get(1), o);
            System.out.println("SUMS " + java.util.Arrays.toString(sums));
        } finally {
            Memshare.releaseAll();
        }
        System.out.println("LEFT " + Memshare.pageList());
    }
}
