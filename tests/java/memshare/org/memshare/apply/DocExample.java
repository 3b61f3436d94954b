package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;

/**
 * Compiles and runs a Java block of the docs as written. The block is its imports, then
 * statements; they go into {@code public static Object[] run(<params>)} of a class in package
 * {@code docexamples}, with the helpers of {@code helpers} (public static methods) imported
 * statically, and the method returns the values of the variables {@code results} names.
 */
final class DocExample {
    private DocExample() {}

    static Object[] compileAndRun(String block, String className, String params, String results, Class<?> helpers,
                                  Object... args) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Assumptions.assumeTrue(javac != null, "no Java compiler in this runtime (a JRE): cannot compile the doc's example");
        StringBuilder imports = new StringBuilder();
        String[] lines = block.split("\n", -1);
        int i = 0;
        for (; i < lines.length && (lines[i].startsWith("import ") || lines[i].isBlank()); i++) imports.append(lines[i]).append('\n');
        StringBuilder body = new StringBuilder();
        for (; i < lines.length; i++) body.append("        ").append(lines[i]).append('\n');
        String source = "package docexamples;\n\n" + imports
                + "import static " + helpers.getName() + ".*;\n\n"
                + "public final class " + className + " {\n"
                + "    public static Object[] run(" + params + ") throws Exception {\n"
                + body
                + "        return new Object[] {" + results + "};\n"
                + "    }\n}\n";
        // Into the test classes: the worker processes, started with this JVM's class path, load
        // the example's lambdas from there.
        Path classes = Path.of(helpers.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = Files.createTempDirectory("docexample");
        try {
            Path src = dir.resolve(className + ".java");
            Files.writeString(src, source);
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            int rc = javac.run(null, errors, errors, "-cp", System.getProperty("java.class.path"), "-d", classes.toString(),
                    "-Xlint:none", src.toString());
            assertTrue(rc == 0, "the doc's example does not compile as written (imports included):\n" + errors + source);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) Files.delete(f);
            }
            Files.delete(dir);
        }
        Class<?> example = Class.forName("docexamples." + className, true, helpers.getClassLoader());
        Method run = example.getMethod("run", argTypes(args));
        try {
            return (Object[]) run.invoke(null, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception) throw (Exception) e.getCause();
            throw e;
        }
    }

    private static Class<?>[] argTypes(Object[] args) {
        Class<?>[] types = new Class<?>[args.length];
        for (int k = 0; k < args.length; k++) types[k] = args[k].getClass();
        return types;
    }
}
