package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.DoubleBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memshare.facade.Memshare;

/**
 * Handles outliving a forced release (releaseAll, gc, releaseViews, releaseVariables): they are
 * closed, their buffers are safe, and closing them later never releases a newer registration or view.
 */
class StaleHandleTest extends MemshareTestBase {

    @Test
    void releaseAllClosesHandlesAndOldBuffersReadZerosOrData() {
        Page page = hold(Namespace.of(ns).register("v", new double[] {5, 6}));
        VectorView view = Namespace.of(ns).vector("v");
        DoubleBuffer raw = view.column(0);
        Memshare.releaseAll();
        assertTrue(page.isClosed());
        assertTrue(view.isClosed());
        assertThrows(HandleClosedException.class, () -> view.get(0));
        assertThrows(HandleClosedException.class, () -> view.toDoubleArray());
        double x = raw.get(1);
        assertTrue(x == 0.0 || x == 6.0, "read " + x);
        HandleClosedException e = assertThrows(HandleClosedException.class, () -> view.columnBytes(0));
        assertEquals(ns, e.namespace());
        assertEquals("v", e.variable());
        assertTrue(e.getMessage().contains(ns) && e.getMessage().contains("v"), e.getMessage());
    }

    @Test
    void closingAStalePageDoesNotReleaseTheNewRegistration() {
        Page old = hold(Namespace.of(ns).register("v", new double[] {1}));
        Memshare.gc(ns);
        Page fresh = hold(Namespace.of(ns).register("v", new double[] {2, 3}));
        old.close();
        assertFalse(fresh.isClosed());
        assertEquals(List.of(ns + ".v"), Memshare.pageList());
        try (VectorView v = Namespace.of(ns).vector("v")) {
            assertEquals(3.0, v.get(1));
        }
    }

    @Test
    void closingAStaleViewDoesNotReleaseTheNewView() {
        Memshare.registerVariables(ns, Map.of("v", new double[] {1, 2}));
        View old = Memshare.retrieveViews(ns, "v").get("v");
        Memshare.releaseViews(ns, "v");
        View fresh = Memshare.retrieveViews(ns, "v").get("v");
        old.close();
        assertFalse(fresh.isClosed());
        assertEquals(List.of(ns + ".v"), Memshare.viewList());
        assertEquals(1, Memshare.views().get(0).references());
        assertEquals(2.0, ((VectorView) fresh).get(1));
    }

    @Test
    void releaseVariablesClosesPagesRegisteredThroughNamespace() {
        Page page = hold(Namespace.of(ns).register("v", new double[] {1}));
        Memshare.releaseVariables(ns, "v");
        assertTrue(page.isClosed());
        assertEquals(List.of(), Fixtures.shmEntries(ns));
    }

    @Test
    void closeIsIdempotentAndSafeFromManyThreads() throws Exception {
        Memshare.registerVariables(ns, Map.of("v", new double[] {1}));
        for (int round = 0; round < 50; round++) {
            View v = Namespace.of(ns).view("v");
            Thread[] threads = new Thread[8];
            for (int t = 0; t < threads.length; t++) (threads[t] = new Thread(v::close)).start();
            for (Thread t : threads) t.join();
            assertTrue(v.isClosed());
            assertEquals(List.of(), Memshare.viewList());
        }
    }

    @Test
    void writesThroughAPageBufferAfterCloseAreHarmlessAndLost() {
        ArrayPage page = hold(Namespace.of(ns).allocateVector("v", ElementType.FLOAT64, 4));
        page.publish();
        DoubleBuffer w = page.column(0);
        w.put(0, 1.0);
        page.close();
        for (int i = 0; i < 4; i++) w.put(i, 99.0);   // private memory now: must not crash
        Page again = hold(Namespace.of(ns).register("v", new double[] {0, 0, 0, 0}));
        try (VectorView v = Namespace.of(ns).vector("v")) {
            assertEquals(0.0, v.get(0));
            assertEquals(0.0, v.get(3));
        }
        assertFalse(again.isClosed());
    }

    @Test
    void aViewAfterReRegistrationSeesTheNewDataWhileAnOldViewIsOpen() {
        Page first = hold(Namespace.of(ns).register("v", new double[] {1, 2, 3}));
        try (VectorView old = Namespace.of(ns).vector("v")) {
            first.close();
            assertThrows(VariableNotFoundException.class, () -> Namespace.of(ns).view("v"),
                    "the name is gone: no new view may attach");
            hold(Namespace.of(ns).register("v", new double[] {9}));
            try (VectorView fresh = Namespace.of(ns).vector("v")) {
                assertEquals(1, fresh.length());
                assertEquals(9.0, fresh.get(0));
            }
            assertEquals(3.0, old.get(2));
        }
    }
}
