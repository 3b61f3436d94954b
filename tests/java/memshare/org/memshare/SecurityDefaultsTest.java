package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Views are read-only at the OS level, not only in Java: the mapping a view holds is PROT_READ
 * ("r--s" in /proc/self/maps) even in the owner's own process, and every buffer handed out refuses
 * writes. (A native write through a view's mapping dies with SIGSEGV and leaves the data intact:
 * tests/cpp/fork_view_test.cpp, ViewIsReadOnlyAtOsLevel.)
 */
class SecurityDefaultsTest extends MemshareTestBase {

    /** The permission fields of this process's mappings of the variable's data segment. */
    private List<String> mappingPerms(String var) {
        String path = "/dev/shm/" + ns + "." + var;
        return Fixtures.maps().stream().filter(l -> l.endsWith(path)).map(l -> l.split("\\s+")[1]).collect(Collectors.toList());
    }

    @Test
    void aViewsMappingIsReadOnlyAndAPagesIsWritable() {
        Page page = hold(Namespace.of(ns).register("x", Fixtures.seq(4096)));
        assertEquals(List.of("rw-s"), mappingPerms("x"), "the owner's page");
        try (VectorView v = Namespace.of(ns).vector("x")) {
            List<String> perms = mappingPerms("x");
            assertEquals(2, perms.size(), perms.toString());
            assertTrue(perms.contains("r--s"), "the view maps PROT_READ, MAP_SHARED: " + perms);
            assertEquals(4096.0, v.get(4095));
        }
        page.close();
        assertEquals(List.of(), mappingPerms("x"));
    }

    @Test
    void everyBufferOfAViewRefusesWrites() {
        hold(Namespace.of(ns).register("m", Matrix.of(3, 2, Fixtures.seq(6))));
        hold(Namespace.of(ns).register("L", List.of(new double[] {1, 2}, Matrix.of(1, 1, new double[] {3}))));
        try (MatrixView m = Namespace.of(ns).matrix("m"); ListView l = Namespace.of(ns).list("L")) {
            assertTrue(m.column(1).isReadOnly());
            assertThrows(ReadOnlyBufferException.class, () -> m.column(1).put(0, 9));
            assertThrows(ReadOnlyBufferException.class, () -> m.column(1).put(new double[] {9}));
            assertThrows(ReadOnlyBufferException.class, () -> m.column(0).duplicate().put(0, 9));
            assertThrows(ReadOnlyBufferException.class, () -> m.columnBytes(0).putDouble(0, 9));
            assertThrows(ReadOnlyBufferException.class,
                    () -> m.columnBytes(0).order(ByteOrder.nativeOrder()).asDoubleBuffer().put(0, 9));
            assertThrows(ReadOnlyBufferException.class, () -> l.get(0).column(0).put(0, 9));
            assertThrows(ReadOnlyBufferException.class, () -> l.get(1).columnBytes(0).put(0, (byte) 1));
            assertFalse(m.column(0).hasArray(), "zero-copy: no heap array to write behind the buffer");
            assertEquals(4.0, m.get(0, 1), "nothing was written");
            assertEquals(1.0, l.get(0).get(0));
        }
    }

    @Test
    void segmentsAreOwnerOnlyAndForeignOwnersAreRefusedByDefault() {
        assertEquals(0600, NamespaceOptions.DEFAULT.mode());
        assertFalse(NamespaceOptions.DEFAULT.allowForeignOwners());
        hold(Namespace.of(ns).register("x", new double[] {1}));
        SegmentInfo info = Segments.inspect(ns, "x");
        assertTrue(info.valid(), info.problem());
        assertEquals(0600, info.data().mode());
        assertEquals(0600, info.metadata().mode());
        assertEquals(Segments.currentUid(), info.fileUid());
        assertEquals(ProcessHandle.current().pid(), info.ownerPid());
        assertEquals(SegmentInfo.OwnerState.ALIVE, info.ownerState());
    }
}
