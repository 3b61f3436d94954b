package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.DoubleBuffer;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * Opt-in writable views (Namespace.attachForFilling): only of a page still being filled by a live
 * owner of this user; published variables and crash orphans are refused; read-only views stay
 * read-only; a closed writable view's stale buffer no longer reaches the shared memory.
 */
class WritableViewTest extends MemshareTestBase {

    @Test
    void aPageBeingFilledIsWritableThroughTheOptInAndItsOwnerSeesTheWrites() {
        try (Namespace space = Namespace.of(ns)) {
            ArrayPage page = space.allocateMatrix("Z", ElementType.FLOAT64, 3, 2);
            try (WritableView w = space.attachForFilling("Z")) {
                assertEquals(Shape.matrix(3, 2), w.shape());
                w.column(1).put(2, 7.5);
                w.set(0, 0, -1);
            }
            assertEquals(7.5, page.get(2, 1));
            assertEquals(-1, page.get(0, 0));
            page.publish();
            try (MatrixView v = space.matrix("Z")) {
                DoubleBuffer col = v.column(1);
                assertTrue(col.isReadOnly(), "views stay read-only");
                assertEquals(7.5, col.get(2));
            }
        }
    }

    @Test
    void aPublishedVariableIsRefusedSoViewsOfItStayReadOnlyForEveryone() {
        try (Namespace space = Namespace.of(ns)) {
            space.register("X", Matrix.of(2, 2, new double[] {1, 2, 3, 4}));
            PermissionDeniedException e = assertThrows(PermissionDeniedException.class, () -> space.attachForFilling("X"));
            assertTrue(e.getMessage().contains("published"), e.getMessage());
        }
    }

    @StartsProcesses  // a child that dies, so that its page is a crash orphan
    @Test
    void aCrashOrphanStillFillingIsRefused() throws Exception {
        int uid = (Integer) Files.getAttribute(Paths.get("/proc/self"), "unix:uid");  // this user: only the owner is dead
        byte[] md = Fixtures.withTrailer(Fixtures.vectorRecord(3), Fixtures.R_VECTOR, 0, Fixtures.deadPid(), 1, uid);
        md[2] = 1;  // filling (docs/FORMAT.md §3: the checksum reads this byte as 0)
        Fixtures.writeSegments(ns, "orphan", md, new byte[24]);
        try (Namespace space = Namespace.of(ns)) {
            PermissionDeniedException e = assertThrows(PermissionDeniedException.class, () -> space.attachForFilling("orphan"));
            assertTrue(e.getMessage().contains("no longer running"), e.getMessage());
        } finally {
            Fixtures.deleteSegments(ns, "orphan");
        }
    }

    @Test
    void aStaleBufferOfAClosedWritableViewNoLongerReachesThePage() {
        try (Namespace space = Namespace.of(ns)) {
            ArrayPage page = space.allocateVector("v", ElementType.FLOAT64, 4);
            WritableView w = space.attachForFilling("v");
            DoubleBuffer stale = w.column(0);
            w.close();
            stale.put(1, 99);  // lands in private memory, never crashes
            assertEquals(0, page.get(1));
            assertThrows(HandleClosedException.class, () -> w.column(0));
        }
    }

    @Test
    void anAbsentVariableIsNotFound() {
        try (Namespace space = Namespace.of(ns)) {
            assertThrows(VariableNotFoundException.class, () -> space.attachForFilling("nothing"));
        }
    }
}
