package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.Reference;
import java.nio.DoubleBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memshare.facade.Memshare;

/** Handles that become unreachable are released by the Cleaner. */
class CleanerTest extends MemshareTestBase {
    private static final long TIMEOUT_MS = 30_000;

    private String qualified(String var) {
        return ns + "." + var;
    }

    /** Opens a view and drops it. Not inlined so that nothing of it stays on the caller's frame. */
    private void openAndDropView(String var) {
        View v = Namespace.of(ns).view(var);
        assertFalse(v.isClosed());
    }

    private void registerAndDropPage(String var, double[] data) {
        Page p = Namespace.of(ns).register(var, data);
        assertFalse(p.isClosed());
    }

    private DoubleBuffer openViewKeepOnlyItsBuffer(String var) {
        VectorView v = Namespace.of(ns).vector(var);
        return v.column(0);
    }

    private ArrayView listElementOfDroppedList(String var) {
        ListView list = Namespace.of(ns).list(var);
        return list.get(1);
    }

    @Test
    void droppedViewIsReleased() throws Exception {
        Memshare.registerVariables(ns, Map.of("v", new double[] {1, 2, 3}));
        openAndDropView("v");
        assertTrue(Fixtures.gcUntil(() -> !Memshare.viewList().contains(qualified("v")), TIMEOUT_MS),
                "the Cleaner releases the dropped view; viewList() = " + Memshare.viewList());
    }

    @Test
    void droppedViewReleasesOnlyItsOwnReference() throws Exception {
        Memshare.registerVariables(ns, Map.of("v", new double[] {1, 2, 3}));
        View kept = Namespace.of(ns).view("v");
        openAndDropView("v");
        assertTrue(Fixtures.gcUntil(() -> Memshare.views().get(0).references() == 1, TIMEOUT_MS));
        assertFalse(kept.isClosed());
        assertEquals(3.0, ((VectorView) kept).get(2));
        assertEquals(List.of(qualified("v")), Memshare.viewList());
        kept.close();
        assertEquals(List.of(), Memshare.viewList());
    }

    @Test
    void droppedPageIsReleasedAndItsSegmentsRemoved() throws Exception {
        registerAndDropPage("p", new double[] {4, 5});
        assertTrue(Fixtures.gcUntil(() -> Fixtures.shmEntries(ns).isEmpty(), TIMEOUT_MS),
                "segments of the dropped page go; left: " + Fixtures.shmEntries(ns));
        assertFalse(Memshare.pageList().contains(qualified("p")));
        assertFalse(Namespace.of(ns).exists("p"));
    }

    @Test
    void droppedViewWhoseBufferIsKeptStaysSafeAndGoesWithTheBuffer() throws Exception {
        Memshare.registerVariables(ns, Map.of("v", new double[] {7, 8, 9}));
        DoubleBuffer[] raw = {openViewKeepOnlyItsBuffer("v")};
        for (int round = 0; round < 5; round++) {
            System.gc();
            Thread.sleep(20);
            for (int i = 0; i < 3; i++) {
                double x = raw[0].get(i);
                assertTrue(x == 0.0 || x == 7 + i, "a buffer of a dropped view reads the data or zeros, read " + x);
            }
        }
        raw[0] = null;
        assertTrue(Fixtures.gcUntil(() -> !Memshare.viewList().contains(qualified("v")), TIMEOUT_MS),
                "once the buffer is unreachable too, the view is released; viewList() = " + Memshare.viewList());
    }

    @Test
    void aListElementKeepsItsListOpen() throws Exception {
        hold(Namespace.of(ns).register("L", List.of(new double[] {1}, new double[] {2, 3})));
        ArrayView element = listElementOfDroppedList("L");
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertFalse(element.isClosed());
        assertEquals(3.0, element.get(1));
        assertTrue(Memshare.viewList().contains(qualified("L")));
        Reference.reachabilityFence(element);
    }

    @Test
    void facadePagesAreHeldUntilReleased() throws Exception {
        Memshare.registerVariables(ns, Map.of("held", new double[] {1}));
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(List.of(qualified("held")), Memshare.pageList());
        assertTrue(Namespace.of(ns).exists("held"));
    }
}
