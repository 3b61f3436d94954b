package org.memshare.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.memshare.Fixtures;
import org.memshare.StartsProcesses;

/**
 * The Java <-> C++ contract (native/jni/contract.hpp, java_classes.hpp) is checked when the real
 * library loads. Each case compiles a drifted copy of one Java class (one constant changed, added
 * or removed, or a field gone) into a directory put before the real classes on a child JVM's class
 * path; the child loads the real library, whose JNI_OnLoad must refuse with a
 * NativeLibraryException naming the constant, under -Xcheck:jni without a warning.
 */
@StartsProcesses
class ContractDriftTest {
    /** Child main: loads the library; prints LOADED, or the exception's class and message. */
    public static void main(String[] args) {
        try {
            NativeLoader.load();
            System.out.println("LOADED");
        } catch (Throwable t) {
            System.out.println(t.getClass().getName() + ": " + t.getMessage());
        }
    }

    /** A drifted source: the class it replaces, its source text, and what the refusal must say. */
    record Drift(String name, String className, String source, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String ELEMENT_TYPE = "package org.memshare;\n"
            + "public enum ElementType {\n  %s;\n"
            + "  private final int code; private final int size;\n"
            + "  ElementType(int code, int size) { this.code = code; this.size = size; }\n}\n";

    static List<Drift> drifts() {
        return List.of(
                new Drift("element type code", "org.memshare.ElementType",
                        String.format(ELEMENT_TYPE, "FLOAT64(0, 8), FLOAT32(2, 4), INT64(2, 8), INT32(3, 4), INT8(4, 1)"),
                        "ElementType.FLOAT32: Java 2, native 1"),
                new Drift("element type size", "org.memshare.ElementType",
                        String.format(ELEMENT_TYPE, "FLOAT64(0, 8), FLOAT32(1, 8), INT64(2, 8), INT32(3, 4), INT8(4, 1)"),
                        "ElementType.FLOAT32 size: Java 8, native 4"),
                new Drift("element type Java has and native lacks", "org.memshare.ElementType",
                        String.format(ELEMENT_TYPE, "FLOAT64(0, 8), FLOAT32(1, 4), INT64(2, 8), INT32(3, 4), INT8(4, 1), FLOAT16(5, 2)"),
                        "ElementType.FLOAT16: Java 5, not in the native library"),
                new Drift("variable kind code", "org.memshare.VariableKind",
                        "package org.memshare;\npublic enum VariableKind {\n  MATRIX(0), VECTOR(2), LIST(1);\n"
                                + "  private final int code;\n  VariableKind(int code) { this.code = code; }\n}\n",
                        "VariableKind.VECTOR: Java 2, native 1; VariableKind.LIST: Java 1, native 2"),
                new Drift("owner state missing in Java", "org.memshare.SegmentInfo",
                        "package org.memshare;\npublic final class SegmentInfo {\n  public enum OwnerState {\n"
                                + "    ALIVE(0), DEAD(1);\n    private final int code;\n    OwnerState(int code) { this.code = code; }\n  }\n}\n",
                        "SegmentInfo.OwnerState.UNKNOWN: missing in Java, native 2"),
                new Drift("sweep action code", "org.memshare.SweepEntry",
                        "package org.memshare;\npublic final class SweepEntry {\n  public enum Action {\n"
                                + "    REMOVED(0), WOULD_REMOVE(1), KEPT_LIVE_OWNER(2), KEPT_OTHER_USER(3), KEPT_UNKNOWN_OWNER(4), FAILED(6);\n"
                                + "    private final int code;\n    Action(int code) { this.code = code; }\n  }\n}\n",
                        "SweepEntry.Action.FAILED: Java 6, native 5"),
                new Drift("mutual-information flag", "org.memshare.mi.MutualInfoOptions",
                        "package org.memshare.mi;\npublic final class MutualInfoOptions {\n"
                                + "  static final int X_DISCRETE = 1, Y_DISCRETE = 2, NA_RM = 8, USE_MPMI = 8;\n}\n",
                        "MutualInfoOptions.NA_RM: Java 8, native 4"),
                new Drift("exception an error code maps to", "org.memshare.ResourceLimitException",
                        "package org.memshare;\npublic class ResourceLimitException extends RuntimeException {\n"
                                + "  private static final long serialVersionUID = 1L;\n"
                                + "  public ResourceLimitException(String message) { super(message); }\n}\n",
                        "ErrorCode resource limit -> org.memshare.ResourceLimitException: no constructor (String namespace,"
                                + " String variable, String message, int osError)"),
                new Drift("data class field type", "org.memshare.internal.NativeAttachment",
                        "package org.memshare.internal;\npublic final class NativeAttachment {\n  public String namespace, variable;\n"
                                + "  public int lease;\n  public long pin, sizeBytes;\n  public int kind, elementType;\n"
                                + "  public long nrow, ncol;\n  public long[] elementShapes, elementOffsets;\n"
                                + "  public long ownerPid, references;\n  NativeAttachment() {}\n}\n",
                        "NativeAttachment.lease: no long field in Java"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drifts")
    void aDriftedJavaConstantFailsTheLoadNamingIt(Drift drift, @TempDir Path tmp) throws Exception {
        Path classes = compile(drift, tmp);
        String out = runChild(classes, tmp);
        System.out.println("ContractDriftTest [" + drift + "]: " + out.trim());
        assertTrue(out.startsWith("org.memshare.NativeLibraryException: memshare: the native library and the Java classes"
                + " do not match"), out);
        assertTrue(out.contains(drift.expected()), "names " + drift.expected() + ": " + out);
        assertFalse(out.contains("LOADED"), out);
        assertFalse(out.contains("WARNING"), "-Xcheck:jni clean: " + out);
    }

    @Test
    void theMatchingClassesLoad(@TempDir Path tmp) throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("nothing-drifted"));
        assertEquals("LOADED\n", runChild(empty, tmp));
    }

    /** Compiles the drifted source alone; the result replaces that class (and only it) in the child. */
    private static Path compile(Drift drift, Path tmp) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests run on a JDK");
        Path src = tmp.resolve("src").resolve(drift.className().replace('.', File.separatorChar) + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, drift.source());
        Path out = Files.createDirectories(tmp.resolve("drifted"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = javac.run(null, null, err, "-d", out.toString(), src.toString());
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        try (Stream<Path> files = Files.walk(out)) {
            assertTrue(files.anyMatch(p -> p.toString().endsWith(".class")));
        }
        return out;
    }

    /** The child's output (stdout and stderr), after checking it exited 0. */
    private static String runChild(Path drifted, Path tmp) throws Exception {
        List<String> cmd = new ArrayList<>(Fixtures.javaCommand());
        cmd.add("-Xcheck:jni");
        cmd.add("-Djava.io.tmpdir=" + tmp);
        cmd.addAll(List.of("-cp", drifted + File.pathSeparator + System.getProperty("java.class.path"),
                ContractDriftTest.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
