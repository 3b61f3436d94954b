package org.memshare.apply;

import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The command line of a worker JVM: this JVM's {@code java}, its class path and, when the library
 * runs as the named module {@code org.memshare}, its module path too, so a worker sees the same
 * classes (the user's functions included) however the application was started.
 */
final class WorkerCommand {
    private WorkerCommand() {}

    static List<String> of(List<String> jvmArgs, Path socket) {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Module library = WorkerMain.class.getModule();
        List<String> cmd = new ArrayList<>(List.of(java));
        // Workers load the native library: without the flag, JDK 24+ warns about System.load in
        // every worker (JDK 17 accepts the flag as well).
        cmd.add("--enable-native-access=" + (library.isNamed() ? library.getName() : "ALL-UNNAMED"));
        cmd.addAll(jvmArgs);
        String lib = System.getProperty("memshare.library.path");
        if (lib != null) cmd.add("-Dmemshare.library.path=" + lib);
        String classPath = System.getProperty("java.class.path", "");
        if (!classPath.isEmpty()) cmd.addAll(List.of("-cp", classPath));
        String modulePath = System.getProperty("jdk.module.path", "");
        if (library.isNamed() && !modulePath.isEmpty()) {
            // The modules of the module path this JVM resolved, so the worker resolves the same
            // ones (a user's module with the functions is not required by org.memshare).
            cmd.addAll(List.of("--module-path", modulePath));
            Set<String> resolved = resolvedFrom(modulePath);
            if (!resolved.isEmpty()) cmd.addAll(List.of("--add-modules", String.join(",", resolved)));
            cmd.addAll(List.of("-m", library.getName() + "/" + WorkerMain.class.getName()));
        } else {
            cmd.add(WorkerMain.class.getName());
        }
        cmd.add(socket.toString());
        return cmd;
    }

    /** The names of the boot layer's modules found on {@code modulePath}. */
    private static Set<String> resolvedFrom(String modulePath) {
        Path[] entries = Arrays.stream(modulePath.split(java.io.File.pathSeparator))
                .filter(s -> !s.isEmpty()).map(Paths::get).toArray(Path[]::new);
        Set<String> names = new TreeSet<>();
        for (ModuleReference m : ModuleFinder.of(entries).findAll()) {
            String name = m.descriptor().name();
            if (ModuleLayer.boot().findModule(name).isPresent()) names.add(name);
        }
        return names;
    }
}
