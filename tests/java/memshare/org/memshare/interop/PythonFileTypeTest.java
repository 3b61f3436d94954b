package org.memshare.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.memshare.Namespace;
import org.memshare.OddFiles;
import org.memshare.StartsProcesses;
import org.memshare.facade.Memshare;

/**
 * docs/interop/read_memshare.py on a FIFO, directory, socket, symlink or device node under a
 * segment's name (as metadata and as data): it exits within 5 s with a one-line error saying what
 * the file is, instead of blocking on the FIFO or following the link.
 */
@StartsProcesses
class PythonFileTypeTest extends PythonTestBase {
    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("org.memshare.OddFiles#typesAndRoles")
    void theReaderRefusesItPromptly(OddFiles.Type type, String role) throws Exception {
        Namespace space = Namespace.of(ns);
        try (OddFiles.Made made = OddFiles.inPlaceOfX(space, type, role)) {
            // Python's start and numpy's import take their time on a busy machine: the bound is on
            // what the odd file adds to reading a valid variable with the same interpreter.
            long t0 = System.nanoTime();
            Interop.Run valid = read(ns, "T");
            long t1 = System.nanoTime();
            Interop.Run r = read(ns, "X");
            double baseline = (t1 - t0) / 1e9, seconds = (System.nanoTime() - t1) / 1e9;
            assertEquals(0, valid.status(), valid.toString());
            assertEquals(1, r.status(), r.toString());
            assertTrue(seconds < baseline + 5, "took " + seconds + " s, a valid read " + baseline + " s");
            String error = String.join("\n", r.lines());
            assertTrue(error.startsWith("error: ") && r.lines().size() == 1, r.toString());
            if (type != OddFiles.Type.CHAR_DEVICE) assertTrue(error.contains("not a shared-memory segment"), error);
            assertTrue(made.exists());
        } finally {
            Memshare.releaseAll();
        }
    }
}
