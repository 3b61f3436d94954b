package org.memshare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memshare.facade.Memshare;

/** The lifecycle R memshare's own tests walk through, on the R-named facade and on Namespace. */
class LifecycleTest extends MemshareTestBase {

    @Test
    void registerPageListViewViewListReleaseLikeR() {
        double[] x = Fixtures.seq(6);                 // matrix(1:6, 2, 3)
        double[] y = {1.5, 2.5};
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("X", Matrix.of(2, 3, x.clone()));
        vars.put("y", y.clone());
        Memshare.registerVariables(ns, vars);

        assertEquals(List.of(ns + ".X", ns + ".y"), Memshare.pageList());
        assertEquals(List.of(), Memshare.viewList());
        assertTrue(Fixtures.shmEntries(ns).containsAll(List.of(ns + ".X", ns + ".md.X", ns + ".y", ns + ".md.y")),
                Fixtures.shmEntries(ns).toString());

        Map<String, View> views = Memshare.retrieveViews(ns, "X", "y");
        assertEquals(List.of("X", "y"), List.copyOf(views.keySet()));
        MatrixView xv = assertInstanceOf(MatrixView.class, views.get("X"));
        VectorView yv = assertInstanceOf(VectorView.class, views.get("y"));
        assertEquals(2, xv.nrow());
        assertEquals(3, xv.ncol());
        assertArrayEquals(x, xv.toDoubleArray());
        assertEquals(6.0, xv.get(1, 2));             // R: X[2, 3]
        assertEquals(3.0, xv.get(0, 1));             // R: X[1, 2]
        assertArrayEquals(y, yv.toDoubleArray());

        assertEquals(List.of(ns + ".X", ns + ".y"), Memshare.viewList());

        Memshare.releaseViews(ns, "X", "y");
        assertTrue(xv.isClosed());
        assertTrue(yv.isClosed());
        assertThrows(HandleClosedException.class, () -> xv.get(0));
        assertEquals(List.of(), Memshare.viewList());
        assertEquals(List.of(ns + ".X", ns + ".y"), Memshare.pageList());

        Memshare.releaseVariables(ns, "X", "y");
        assertEquals(List.of(), Memshare.pageList());
        assertEquals(List.of(), Memshare.viewList());
        assertEquals(List.of(), Fixtures.shmEntries(ns));
    }

    @Test
    void retrieveMetadataDescribesWithoutKeepingAView() {
        Memshare.registerVariables(ns, Map.of("X", Matrix.of(4, 5, new double[20])));
        VariableInfo info = Memshare.retrieveMetadata(ns, "X");
        assertEquals(VariableKind.MATRIX, info.kind());
        assertEquals(ElementType.FLOAT64, info.elementType());
        assertEquals(4, info.nrow());
        assertEquals(5, info.ncol());
        assertEquals(160, info.sizeBytes());
        assertEquals(Fixtures.PID, info.ownerPid());
        assertEquals(ns + ".X", info.qualifiedName());
        assertEquals(List.of(), Memshare.viewList());
        Memshare.releaseVariables(ns, "X");
    }

    @Test
    void repeatedViewsShareOneEntryAndAreCounted() {
        Memshare.registerVariables(ns, Map.of("v", new double[] {1, 2, 3}));
        Map<String, View> a = Memshare.retrieveViews(ns, "v");
        Map<String, View> b = Memshare.retrieveViews(ns, "v");
        List<VariableInfo> views = Memshare.views();
        assertEquals(1, views.size());
        assertEquals(2, views.get(0).references());
        a.get("v").close();
        assertEquals(1, Memshare.views().get(0).references());
        assertEquals(2.0, ((VectorView) b.get("v")).get(1));
        Memshare.releaseViews(ns, "v");               // closes the remaining one
        assertTrue(b.get("v").isClosed());
        assertEquals(List.of(), Memshare.viewList());
        Memshare.releaseVariables(ns, "v");
    }

    @Test
    void namespaceObjectApiLifecycle() {
        double[] data = {3, 1, 4, 1, 5, 9};
        try (Namespace space = Namespace.of(ns)) {
            Page page = hold(space.register("m", Matrix.of(3, 2, data.clone())));
            assertEquals(List.of(ns + ".m"), Memshare.pageList());
            assertTrue(space.exists("m"));
            try (MatrixView m = space.matrix("m")) {
                assertArrayEquals(data, m.toDoubleArray());
                assertArrayEquals(new double[] {1, 5}, m.row(1));   // column-major: columns (3,1,4), (1,5,9)
                assertEquals(List.of(ns + ".m"), Memshare.viewList());
                assertEquals(1, space.views().size());
            }
            assertEquals(List.of(), Memshare.viewList());
            page.close();
            assertTrue(page.isClosed());
            page.close();                              // idempotent
            assertFalse(space.exists("m"));
            assertEquals(List.of(), Memshare.pageList());
        }
        assertEquals(List.of(), Fixtures.shmEntries(ns));
    }

    @Test
    void closingTheNamespaceReleasesItsPagesAndViews() {
        Namespace space = Namespace.of(ns);
        Page p = hold(space.register("a", new double[] {1}));
        View v = space.view("a");
        space.close();                                 // R's memshare_gc
        assertTrue(p.isClosed());
        assertTrue(v.isClosed());
        assertEquals(List.of(), Memshare.pageList());
        assertEquals(List.of(), Memshare.viewList());
        assertEquals(List.of(), Fixtures.shmEntries(ns));
    }

    @Test
    void releasingAVariableKeepsThisProcessesOpenViewReadable() {
        double[] data = {2.5, -1, 1e300};
        Page page = hold(Namespace.of(ns).register("v", data.clone()));
        try (VectorView v = Namespace.of(ns).vector("v")) {
            page.close();
            assertEquals(List.of(), Fixtures.shmEntries(ns));   // the names are gone
            assertArrayEquals(data, v.toDoubleArray());          // the view still maps the data
            assertThrows(VariableNotFoundException.class, () -> Namespace.of(ns).metadata("v"));
        }
    }

    @Test
    void pageWritesAfterPublishAreSeenByViewsZeroCopy() {
        try (Namespace space = Namespace.of(ns)) {
            ArrayPage page = hold(space.allocateVector("v", ElementType.FLOAT64, 4));
            page.publish();
            try (VectorView v = space.vector("v")) {
                assertEquals(0.0, v.get(2));
                page.set(2, 42.0);
                assertEquals(42.0, v.get(2));
                assertEquals(42.0, v.column(0).get(2));
            }
        }
    }
}
