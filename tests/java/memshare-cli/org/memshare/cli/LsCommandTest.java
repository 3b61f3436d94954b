package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.memshare.Namespace;
import org.memshare.Segments;

/**
 * {@code memshare ls} where the OS cannot list (Windows): one line on stderr and a failure exit,
 * not "no memshare variables" while variables exist. Linux can list, so the test takes the
 * Windows path through the command's capability field, with a real variable registered.
 */
class LsCommandTest {
    @Test
    void whereListingIsUnsupportedLsSaysSoInsteadOfNoVariables() {
        assertTrue(Segments.listingSupported(), "this OS lists segments (Linux, macOS)");
        String ns = "jtls" + ProcessHandle.current().pid();
        try (Namespace space = Namespace.of(ns)) {
            space.register("X", new double[] {1, 2, 3});
            StringWriter out = new StringWriter(), err = new StringWriter();
            assertEquals(0, MemshareCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "ls", ns));
            assertTrue(out.toString().contains(ns), "listed where listing works: " + out);

            LsCommand.listingSupported = () -> false;
            try {
                out = new StringWriter();
                err = new StringWriter();
                int status = MemshareCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "ls", ns);
                assertEquals(MemshareCli.FAILURE, status, "out: " + out + " err: " + err);
                assertEquals("", out.toString());
                assertEquals(1, err.toString().strip().lines().count(), err.toString());
                assertTrue(err.toString().startsWith("memshare: cannot list shared variables on ")
                        && err.toString().contains("memshare inspect NAMESPACE VARIABLE"), err.toString());
            } finally {
                LsCommand.listingSupported = Segments::listingSupported;
            }
        }
    }
}
