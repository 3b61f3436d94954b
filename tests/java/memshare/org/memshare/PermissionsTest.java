package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.memshare.facade.Memshare;

/** Segments are owner-only (0600) unless the namespace options widen them, whatever the umask. */
class PermissionsTest extends MemshareTestBase {

    private String modes(String var) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(Fixtures.dataPath(ns, var))) + " "
                + PosixFilePermissions.toString(Files.getPosixFilePermissions(Fixtures.metaPath(ns, var)));
    }

    @Test
    void ownerOnlyByDefault() throws IOException {
        hold(Namespace.of(ns).register("v", new double[] {1}));
        assertEquals("rw------- rw-------", modes("v"));
        hold(Namespace.of(ns).register("L", List.of(new int[] {1})));
        assertEquals("rw------- rw-------", modes("L"));
    }

    @Test
    void ownerOnlyThroughTheFacade() throws IOException {
        Memshare.registerVariables(ns, java.util.Map.of("X", Matrix.of(1, 1, new double[] {1})));
        assertEquals("rw------- rw-------", modes("X"));
    }

    @Test
    void allocatedPagesToo() throws IOException {
        ArrayPage p = hold(Namespace.of(ns).allocateVector("a", ElementType.FLOAT32, 4));
        assertEquals("rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(Fixtures.dataPath(ns, "a"))));
        p.publish();
        assertEquals("rw------- rw-------", modes("a"));
    }

    @Test
    void widenedTo0644OnRequest() throws IOException {
        Namespace shared = Namespace.of(ns, NamespaceOptions.DEFAULT.withMode(0644));
        hold(shared.register("v", new double[] {1, 2}));
        assertEquals("rw-r--r-- rw-r--r--", modes("v"));
        try (VectorView v = shared.vector("v")) {
            assertEquals(2.0, v.get(1));
        }
    }

    @Test
    void groupWritable0660IsNotMaskedByTheUmask() throws IOException {
        hold(Namespace.of(ns, NamespaceOptions.DEFAULT.withMode(0660)).register("v", new double[] {1}));
        assertEquals("rw-rw---- rw-rw----", modes("v"));
    }

    @Test
    void modesThatLockOutTheOwnerAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> NamespaceOptions.DEFAULT.withMode(0400));
        assertThrows(IllegalArgumentException.class, () -> NamespaceOptions.DEFAULT.withMode(01777));
        assertEquals(0600, NamespaceOptions.DEFAULT.mode());
    }
}
