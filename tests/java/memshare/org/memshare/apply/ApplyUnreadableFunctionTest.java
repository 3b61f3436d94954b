package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.DoubleBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.Matrix;
import org.memshare.StartsProcesses;

/**
 * A function the workers cannot read fails the call with an ApplyException naming the cause,
 * instead of killing the workers: a class they cannot load leaves them serving the next call; a
 * function whose deserialization throws half-way costs the worker that read it, named.
 */
@StartsProcesses
class ApplyUnreadableFunctionTest {
    private static final Matrix X = Matrix.of(2, 3, new double[] {1, 2, 3, 4, 5, 6});

    /** Column sums of X, the result of a call that works. */
    private static final double[] SUMS = {3, 7, 11};

    /** A function whose class exists only in a class loader of this JVM, not on the workers' class path. */
    private static DoubleApplyFunction onlyInThisJvm(Path dir) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Assumptions.assumeTrue(javac != null, "no Java compiler in this runtime (a JRE): cannot make a class off the class path");
        Path src = dir.resolve("OnlyInTheCaller.java");
        Files.writeString(src, "public class OnlyInTheCaller implements org.memshare.apply.DoubleApplyFunction {\n"
                + "  public double apply(java.nio.DoubleBuffer v, org.memshare.apply.SharedVars vars) { return 1; }\n}\n");
        int rc = javac.run(null, null, null, "-cp", System.getProperty("java.class.path"), "-d", dir.toString(), src.toString());
        assertEquals(0, rc, "javac failed");
        URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, ApplyUnreadableFunctionTest.class.getClassLoader());
        return (DoubleApplyFunction) loader.loadClass("OnlyInTheCaller").getConstructor().newInstance();
    }

    @Test
    void aClassTheWorkersCannotLoadFailsTheCallAndTheWorkersServeTheNext(@TempDir Path dir) throws Exception {
        DoubleApplyFunction foreign = onlyInThisJvm(dir);
        try (WorkerCluster own = WorkerCluster.start(2)) {
            ApplyOptions o = ApplyOptions.defaults().withCluster(own);
            assertArrayEquals(SUMS, Apply.memApplyDouble(X, Margin.COLUMNS, (v, vars) -> v.get(0) + v.get(1), o));
            // The function is sent; warm workers hold the previous one, which must not be used instead.
            ApplyException e = assertThrows(ApplyException.class, () -> Apply.memApplyDouble(X, Margin.COLUMNS, foreign, o));
            assertTrue(e.getMessage().contains("ClassNotFoundException"), e.getMessage());
            assertTrue(e.getMessage().contains("OnlyInTheCaller"), e.getMessage());
            assertTrue(e.getMessage().contains("java.class.path"), e.getMessage());
            RemoteException remote = assertInstanceOf(RemoteException.class, e.getCause());
            assertEquals(ClassNotFoundException.class.getName(), remote.remoteClass());
            // Both workers live on and serve calls, twice (the second call's function is held).
            assertEquals(2, own.liveWorkers());
            for (int i = 0; i < 2; i++)
                assertArrayEquals(SUMS, Apply.memApplyDouble(X, Margin.COLUMNS, (v, vars) -> v.get(0) + v.get(1),
                        o.withChunkSize(1)));
            assertEquals(2, own.liveWorkers());
        }
    }

    /** A function whose deserialization throws half-way through the message. */
    static final class RefusesToBeRead implements DoubleApplyFunction {
        private static final long serialVersionUID = 1L;

        @Override
        public double apply(DoubleBuffer vector, SharedVars vars) {
            return 0;
        }

        private void readObject(ObjectInputStream in) throws IOException {
            throw new InvalidObjectException("this function refuses to be read");
        }
    }

    @Test
    void aFunctionWhoseDeserializationThrowsFailsTheCallNamingTheWorkerAndTheOthersGoOn() throws Exception {
        try (WorkerCluster own = WorkerCluster.start(2)) {
            ApplyOptions o = ApplyOptions.defaults().withCluster(own);
            // One column per chunk: one worker or both take a chunk (the second finds the call
            // failed already, or not); every worker that read the function is given up and named.
            ApplyException e = assertThrows(ApplyException.class,
                    () -> Apply.memApplyDouble(X, Margin.COLUMNS, new RefusesToBeRead(), o.withChunkSize(1)));
            assertTrue(e.getMessage().matches("(?s)worker [12] \\(pid \\d+\\) could not start on .* and exits: .*"), e.getMessage());
            assertTrue(e.getMessage().contains("this function refuses to be read"), e.getMessage());
            int live = own.liveWorkers();
            assertTrue(live <= 1, live + " live workers");
            if (live == 1) {
                // The worker that did not read it (if one) still serves calls.
                assertArrayEquals(SUMS, Apply.memApplyDouble(X, Margin.COLUMNS, (v, vars) -> v.get(0) + v.get(1), o));
            }
        }
    }
}
