package org.memshare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memshare.facade.Memshare;

/**
 * Segments laid out exactly as R memshare writes them (docs/FORMAT.md §2, no trailer), made with plain
 * file writes in /dev/shm, read through the Java API: double data, owner unknown (pid 0).
 */
class ReadsRSegmentsTest extends MemshareTestBase {
    private static final List<String> VARS = List.of("X", "y", "L", "z", "E");

    @AfterEach
    void removeTheRSegments() throws IOException {
        for (String v : VARS) Fixtures.deleteSegments(ns, v);
    }

    private static final double[] X = Fixtures.seq(6);                       // matrix(1:6, 2, 3)
    private static final double[] Y = {1.5, 2.5};                              // c(1.5, 2.5)
    private static final Fixtures.RElement L0 = Fixtures.RElement.matrix(2, 2, new double[] {1, 2, 3, 4});
    private static final Fixtures.RElement L1 = Fixtures.RElement.vector(new double[] {7.5, 8.5, TypedData.R_NA});

    private void writeRSegments() throws IOException {
        Fixtures.writeSegments(ns, "X", Fixtures.matrixRecord(2, 3), Fixtures.doublesLE(X));
        Fixtures.writeSegments(ns, "y", Fixtures.vectorRecord(2), Fixtures.doublesLE(Y));
        Fixtures.writeSegments(ns, "L", Fixtures.listMetadata(List.of(L0, L1)), Fixtures.listData(List.of(L0, L1)));
        Fixtures.writeSegments(ns, "z", Fixtures.vectorRecord(0), new byte[0]);
        Fixtures.writeSegments(ns, "E", Fixtures.listMetadata(List.of()), new byte[0]);
    }

    @Test
    void rMatrixVectorAndListReadThroughViews() throws IOException {
        writeRSegments();
        Namespace space = Namespace.of(ns);

        try (MatrixView x = space.matrix("X")) {
            assertEquals(ElementType.FLOAT64, x.elementType());
            assertEquals(0, x.info().ownerPid());
            assertEquals(Shape.matrix(2, 3), x.shape());
            assertArrayEquals(X, x.toDoubleArray());
            assertEquals(6.0, x.get(1, 2));
            assertEquals(3.0, x.column(1).get(0));
        }
        try (VectorView y = space.vector("y")) {
            assertEquals(ElementType.FLOAT64, y.elementType());
            assertEquals(0, y.info().ownerPid());
            assertArrayEquals(Y, y.toDoubleArray());
        }
        try (ListView l = space.list("L")) {
            assertEquals(ElementType.FLOAT64, l.info().elementType());
            assertEquals(0, l.info().ownerPid());
            assertEquals(List.of(Shape.matrix(2, 2), Shape.vector(3)), l.info().elements());
            MatrixView m = assertInstanceOf(MatrixView.class, l.get(0));
            assertArrayEquals(L0.values(), m.toDoubleArray());
            assertEquals(4.0, m.get(1, 1));
            VectorView v = assertInstanceOf(VectorView.class, l.get(1));
            assertEquals(7.5, v.get(0));
            assertEquals(Double.doubleToRawLongBits(TypedData.R_NA), Double.doubleToRawLongBits(v.column(0).get(2)),
                    "R's NA keeps its payload");
        }
        try (VectorView z = space.vector("z")) {
            assertEquals(0, z.length());
        }
        try (ListView e = space.list("E")) {
            assertEquals(0, e.size());
        }
        assertEquals(List.of(), Memshare.viewList());
    }

    @Test
    void rSegmentsThroughTheFacade() throws IOException {
        writeRSegments();
        VariableInfo md = Memshare.retrieveMetadata(ns, "X");
        assertEquals(VariableKind.MATRIX, md.kind());
        assertEquals(ElementType.FLOAT64, md.elementType());
        assertEquals(0, md.ownerPid());
        assertEquals(48, md.sizeBytes());
        VariableInfo lmd = Memshare.retrieveMetadata(ns, "L");
        assertEquals(VariableKind.LIST, lmd.kind());
        assertNull(lmd.shape());
        assertEquals(2, lmd.nrow());
        assertEquals(8 * 2 + 8 * 7, lmd.sizeBytes());

        var views = Memshare.retrieveViews(ns, "X", "y", "L");
        assertEquals(List.of(ns + ".L", ns + ".X", ns + ".y"), Memshare.viewList());
        assertArrayEquals(Y, ((VectorView) views.get("y")).toDoubleArray());
        Memshare.releaseViews(ns, "X", "y", "L");
        assertEquals(List.of(), Memshare.viewList());
    }

    @Test
    void weDoNotOwnRSegmentsAndLeaveThemAlone() throws IOException {
        writeRSegments();
        assertThrows(VariableNotFoundException.class, () -> Memshare.releaseVariables(ns, "X"));
        assertThrows(AlreadyRegisteredException.class, () -> Namespace.of(ns).register("X", new double[] {1}));
        Memshare.gc(ns);
        Memshare.releaseAll();
        assertTrue(Files.exists(Fixtures.dataPath(ns, "X")));
        assertTrue(Files.exists(Fixtures.metaPath(ns, "X")));
        assertArrayEquals(Fixtures.doublesLE(X), Files.readAllBytes(Fixtures.dataPath(ns, "X")), "data untouched");
    }
}
