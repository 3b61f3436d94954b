package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.memshare.facade.Memshare;

/**
 * The owner releases a variable while a child JVM still holds a view: the child keeps reading the
 * right data (POSIX unlink semantics), and nobody can attach a new view.
 */
@StartsProcesses
class OwnerReleaseTest extends MemshareTestBase {

    private static double[] data() {
        double[] v = new double[50_000];
        for (int i = 0; i < v.length; i++) v[i] = Math.sin(i) * 1000 + i;
        return v;
    }

    /** A child that holds a view of {@code var}; talk to it with {@link #ask}. */
    private static final class Holder implements AutoCloseable {
        final Process process;
        final BufferedReader out;
        final PrintStream in;

        Holder(String ns, String var) throws Exception {
            process = Fixtures.startChild("hold", ns, var);
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        String readLine() throws Exception {
            String line = out.readLine();
            if (line == null) throw new AssertionError("child ended early (exit " + process.waitFor() + ")");
            return line;
        }

        void ask(String command) {
            in.println(command);
        }

        @Override
        public void close() throws java.io.IOException {
            in.println("EXIT");
            String bye = out.readLine();
            try {
                assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child exits");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for the child", e);
            }
            assertEquals("BYE", bye);
            assertEquals(0, process.exitValue());
        }
    }

    @Test
    void childKeepsReadingAfterTheOwnerReleasesAndNoOneElseCanAttach() throws Exception {
        double[] v = data();
        long sum = Fixtures.checksum(v);
        Memshare.registerVariables(ns, java.util.Map.of("v", v));
        try (Holder child = new Holder(ns, "v")) {
            assertEquals("READY " + sum + " " + sum, child.readLine());

            Memshare.releaseVariables(ns, "v");
            assertEquals(List.of(), Fixtures.shmEntries(ns), "the names are gone at once");
            assertEquals(List.of(), Memshare.pageList());

            child.ask("CHECK");
            // Through get(i) and through the raw column(0) buffer the child took before the release.
            assertEquals("AFTER " + sum + " " + sum, child.readLine());
            child.readLine();                          // NEWVIEW ..., see newViewInTheHoldingProcessFails

            // New views elsewhere fail: here, and in a third process.
            assertThrows(VariableNotFoundException.class, () -> Namespace.of(ns).view("v"));
            Process third = Fixtures.startChild("dump", ns, "v");
            third.getOutputStream().close();
            String out = new String(third.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(third.waitFor(60, TimeUnit.SECONDS));
            assertNotEquals(0, third.exitValue());
            assertTrue(out.startsWith("ERROR VariableNotFoundException"), out);
        }
    }


    @Test
    void newViewInTheHoldingProcessFails() throws Exception {
        double[] v = data();
        Memshare.registerVariables(ns, java.util.Map.of("v", v));
        try (Holder child = new Holder(ns, "v")) {
            assertTrue(child.readLine().startsWith("READY "));
            Memshare.releaseVariables(ns, "v");
            child.ask("CHECK");
            assertTrue(child.readLine().startsWith("AFTER "));
            assertEquals("NEWVIEW VariableNotFoundException", child.readLine());
        }
    }

    @Test
    void aReRegisteredNameIsANewVariable() throws Exception {
        double[] v = data();
        Memshare.registerVariables(ns, java.util.Map.of("v", v));
        try (Holder child = new Holder(ns, "v")) {
            assertTrue(child.readLine().startsWith("READY "));
            Memshare.releaseVariables(ns, "v");
            double[] w = {1, 2, 3};
            Memshare.registerVariables(ns, java.util.Map.of("v", w));
            try (VectorView mine = Namespace.of(ns).vector("v")) {
                assertEquals(3, mine.length());
            }
            child.ask("CHECK");
            long sum = Fixtures.checksum(v);
            assertEquals("AFTER " + sum + " " + sum, child.readLine(), "the old view still sees the old data");
            child.readLine();
        }
    }

    @Test
    void aNewViewAfterReRegistrationSeesTheNewVariable() throws Exception {
        Memshare.registerVariables(ns, java.util.Map.of("v", data()));
        try (Holder child = new Holder(ns, "v")) {
            assertTrue(child.readLine().startsWith("READY "));
            Memshare.releaseVariables(ns, "v");
            Memshare.registerVariables(ns, java.util.Map.of("v", new double[] {1, 2, 3}));
            child.ask("CHECK");
            assertTrue(child.readLine().startsWith("AFTER "));
            assertEquals("NEWVIEW OK 3", child.readLine());
        }
    }
}
