package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.memshare.facade.Memshare;

/** Lists of vectors and matrices of every element type, including zero-length elements and the empty list. */
class ListRoundTripTest extends MemshareTestBase {

    private static Object matrixOf(int nrow, int ncol, TypedData d) {
        return switch (d.type) {
            case FLOAT64 -> Matrix.of(nrow, ncol, (double[]) d.array);
            case FLOAT32 -> Matrix.of(nrow, ncol, (float[]) d.array);
            case INT64 -> Matrix.of(nrow, ncol, (long[]) d.array);
            case INT32 -> Matrix.of(nrow, ncol, (int[]) d.array);
            case INT8 -> Matrix.of(nrow, ncol, (byte[]) d.array);
        };
    }

    @ParameterizedTest
    @EnumSource(ElementType.class)
    void listOfMatricesAndVectors(ElementType type) {
        TypedData m1 = TypedData.of(type, 6, 0);     // 2 x 3
        TypedData v1 = TypedData.of(type, 5, 3);     // vector of 5
        TypedData v0 = TypedData.of(type, 0, 0);     // zero-length vector
        TypedData m2 = TypedData.of(type, 1, 9);     // 1 x 1
        List<Object> elements = List.of(matrixOf(2, 3, m1), v1.array, v0.array, matrixOf(1, 1, m2));
        Page page = hold(Namespace.of(ns).register("L", elements));
        assertEquals(VariableKind.LIST, page.info().kind());
        // n uint64 offsets, then the values packed
        assertEquals(8L * 4 + (6 + 5 + 0 + 1) * (long) type.byteSize(), page.info().sizeBytes());

        try (ListView list = Namespace.of(ns).list("L")) {
            VariableInfo info = list.info();
            assertEquals(VariableKind.LIST, info.kind());
            assertEquals(type, info.elementType());
            assertEquals(4, info.nrow());
            assertEquals(List.of(Shape.matrix(2, 3), Shape.vector(5), Shape.vector(0), Shape.matrix(1, 1)), info.elements());
            assertEquals(4, list.size());
            ArrayRoundTripTest.assertViewEquals(m1, 2, 3, assertInstanceOf(MatrixView.class, list.get(0)));
            ArrayRoundTripTest.assertViewEquals(v1, 5, 1, assertInstanceOf(VectorView.class, list.get(1)));
            VectorView empty = assertInstanceOf(VectorView.class, list.get(2));
            assertEquals(0, empty.length());
            assertEquals(0, empty.toDoubleArray().length);
            ArrayRoundTripTest.assertViewEquals(m2, 1, 1, assertInstanceOf(MatrixView.class, list.get(3)));
            assertEquals(4, list.elements().size());
        }
    }

    @Test
    void emptyList() {
        Memshare.registerVariables(ns, Map.of("E", List.of()));
        VariableInfo md = Memshare.retrieveMetadata(ns, "E");
        assertEquals(VariableKind.LIST, md.kind());
        assertEquals(0, md.nrow());
        assertEquals(List.of(), md.elements());
        ListView list = assertInstanceOf(ListView.class, Memshare.retrieveViews(ns, "E").get("E"));
        assertEquals(0, list.size());
        assertEquals(List.of(), list.elements());
        assertEquals(List.of(ns + ".E"), Memshare.viewList());
        Memshare.releaseViews(ns, "E");
        Memshare.releaseVariables(ns, "E");
    }

    @Test
    void listOfOnlyAZeroLengthVector() {
        hold(Namespace.of(ns).register("Z", List.of(new double[0])));
        try (ListView list = Namespace.of(ns).list("Z")) {
            assertEquals(1, list.size());
            assertEquals(0, list.get(0).length());
        }
    }

    @Test
    void closingTheListClosesItsElementsButNotTheOtherWayRound() {
        hold(Namespace.of(ns).register("L", List.of(new double[] {1, 2}, Matrix.of(1, 2, new double[] {3, 4}))));
        ListView list = Namespace.of(ns).list("L");
        ArrayView first = list.get(0);
        first.close();                                 // does nothing for a list element
        assertFalse(first.isClosed());
        assertEquals(2.0, first.get(1));
        list.close();
        assertTrue(first.isClosed());
        assertThrows(HandleClosedException.class, () -> first.get(0));
        assertThrows(HandleClosedException.class, () -> list.get(0));
        assertEquals(List.of(), Memshare.viewList());
    }

    @Test
    void mixedElementTypesAreRefused() {
        List<Object> mixed = new ArrayList<>();
        mixed.add(new double[] {1});
        mixed.add(new int[] {1});
        assertThrows(IllegalArgumentException.class, () -> Namespace.of(ns).register("L", mixed));
        assertThrows(IllegalArgumentException.class, () -> Namespace.of(ns).register("N", List.of(List.of(new double[1]))));
        assertEquals(List.of(), Memshare.pageList());
        assertEquals(List.of(), Fixtures.shmEntries(ns));
    }
}
