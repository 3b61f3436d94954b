package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memshare.facade.Memshare;

/**
 * A handle dropped while one of its buffers is kept: the Cleaner runs for the handle but must not
 * release (the buffer still reads the data), and a later explicit release (releaseVariables,
 * releaseViews, gc) must still release for real.
 */
class CloseAfterCleanerTest extends MemshareTestBase {
    private WeakReference<Object> handleRef;

    private ByteBuffer dropPageKeepBuffer(String var) {
        Namespace scratch = Namespace.of(ns);
        ArrayPage page = scratch.allocateVector(var, ElementType.FLOAT64, 4);
        for (int i = 0; i < 4; i++) page.set(i, 10 + i);
        page.publish();
        handleRef = new WeakReference<>(page);
        return page.columnBytes(0);
    }

    private DoubleBuffer dropViewKeepBuffer(String var) {
        VectorView v = Namespace.of(ns).vector(var);
        handleRef = new WeakReference<>(v);
        return v.column(0);
    }

    private void awaitHandleCollected() throws InterruptedException {
        assertTrue(Fixtures.gcUntil(() -> handleRef.get() == null, 10_000), "the dropped handle is collected");
        for (int i = 0; i < 5; i++) {  // let the Cleaner thread run its action
            System.gc();
            Thread.sleep(20);
        }
    }

    @Test
    void droppedPageWithKeptBufferStaysRegisteredUntilExplicitRelease() throws Exception {
        ByteBuffer kept = dropPageKeepBuffer("P");
        awaitHandleCollected();
        assertTrue(Memshare.pageList().contains(ns + ".P"), "a kept buffer keeps the page registered");
        assertEquals(13.0, kept.getDouble(24));

        Memshare.releaseVariables(ns, "P");
        assertFalse(Memshare.pageList().contains(ns + ".P"), "an explicit release releases for real");
        assertTrue(Fixtures.shmEntries(ns).isEmpty(), "segments gone: " + Fixtures.shmEntries(ns));
        assertEquals(0.0, kept.getDouble(24), "the kept buffer now reads zeros, never faults");
        kept.putDouble(0, 1.0);  // a stale write lands in private memory
        hold(Namespace.of(ns).register("P", new double[] {1}));  // the name is free again
    }

    @Test
    void droppedViewWithKeptBufferIsReleasedByReleaseViews() throws Exception {
        Memshare.registerVariables(ns, Map.of("v", new double[] {7, 8, 9}));
        DoubleBuffer kept = dropViewKeepBuffer("v");
        awaitHandleCollected();
        assertEquals(9.0, kept.get(2));
        assertTrue(Memshare.viewList().contains(ns + ".v"));

        Memshare.releaseViews(ns, "v");
        assertEquals(java.util.List.of(), Memshare.viewList());
        assertEquals(0.0, kept.get(2), "after the release the kept buffer reads zeros");
    }
}
