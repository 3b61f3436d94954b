package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.memshare.facade.Memshare;

/** allocateMatrix / allocateVector, fill in place, publish, then view; no view before publish. */
class AllocatePublishTest extends MemshareTestBase {

    /** Writes value {@code i} of {@code d} at linear index {@code i} with the page's typed setter. */
    private static void set(ArrayPage page, TypedData d, int i) {
        if (d.isInteger()) page.setLong(i, d.asLong(i));
        else page.set(i, d.asDouble(i));
    }

    @ParameterizedTest
    @EnumSource(ElementType.class)
    void allocateMatrixFillPublishView(ElementType type) {
        TypedData d = TypedData.of(type, 12, 4);
        Namespace space = Namespace.of(ns);
        ArrayPage page = hold(space.allocateMatrix("m", type, 3, 4));
        assertFalse(page.isPublished());
        assertEquals(Shape.matrix(3, 4), page.shape());
        assertEquals(type, page.elementType());
        for (int i = 0; i < 12; i++) assertEquals(0.0, page.get(i), "zero-filled at " + i);

        // Unpublished: listed as this JVM's page, but invisible to views.
        assertEquals(List.of(ns + ".m"), Memshare.pageList());
        VariableNotFoundException e = assertThrows(VariableNotFoundException.class, () -> space.view("m"));
        assertTrue(e.getMessage().contains("m") && e.getMessage().contains(ns), e.getMessage());
        assertThrows(VariableNotFoundException.class, () -> space.metadata("m"));
        assertFalse(space.exists("m"));

        // Columns 0 and 1 through setters (by (i, j) for floats), 2 and 3 through copyFrom.
        for (int j = 0; j < 2; j++)
            for (int i = 0; i < 3; i++) {
                int k = i + 3 * j;
                if (d.isInteger()) page.setLong(k, d.asLong(k));
                else page.set(i, j, d.asDouble(k));
            }
        Object tail = d.emptyArray();
        System.arraycopy(d.array, 6, tail, 0, 6);
        TypedData.copyFrom(page, 6, tail, 0, 6);

        page.publish();
        assertTrue(page.isPublished());
        page.publish();                                // idempotent
        try (MatrixView v = space.matrix("m")) {
            ArrayRoundTripTest.assertViewEquals(d, 3, 4, v);
        }
        Object back = d.emptyArray();
        TypedData.copyTo(page, 0, back, 0, 12);
        assertEquals(java.util.Arrays.toString(TypedData.bitsOf(d.array)), java.util.Arrays.toString(TypedData.bitsOf(back)));
    }

    @ParameterizedTest
    @EnumSource(ElementType.class)
    void allocateVectorFillThroughWritableBuffersPublishView(ElementType type) {
        TypedData d = TypedData.of(type, 9, 1);
        ArrayPage page = hold(Namespace.of(ns).allocateVector("v", type, 9));
        ByteBuffer bytes = page.columnBytes(0);
        assertFalse(bytes.isReadOnly());
        bytes.put(d.nativeBytes(0, 9));
        page.publish();
        try (VectorView v = Namespace.of(ns).vector("v")) {
            ArrayRoundTripTest.assertViewEquals(d, 9, 1, v);
        }
        for (int i = 0; i < 9; i++) assertEquals(d.asDouble(i), page.get(i));
    }

    @Test
    void float64ColumnOfAPageIsWritableZeroCopy() {
        ArrayPage page = hold(Namespace.of(ns).allocateMatrix("m", ElementType.FLOAT64, 4, 2));
        DoubleBuffer c1 = page.column(1);
        for (int i = 0; i < 4; i++) c1.put(i, 10 + i);
        page.publish();
        try (MatrixView v = Namespace.of(ns).matrix("m")) {
            assertEquals(0.0, v.get(3, 0));
            assertEquals(10.0, v.get(0, 1));
            assertEquals(13.0, v.get(3, 1));
        }
    }

    @Test
    void setterChecks() {
        ArrayPage bytes = hold(Namespace.of(ns).allocateVector("b", ElementType.INT8, 2));
        assertThrows(IllegalArgumentException.class, () -> bytes.setLong(0, 128));
        assertThrows(IllegalArgumentException.class, () -> bytes.setLong(0, -129));
        assertThrows(UnsupportedOperationException.class, () -> bytes.set(0, 1.0));
        ArrayPage ints = hold(Namespace.of(ns).allocateVector("i", ElementType.INT32, 2));
        assertThrows(IllegalArgumentException.class, () -> ints.setLong(0, 1L << 31));
        ArrayPage doubles = hold(Namespace.of(ns).allocateVector("d", ElementType.FLOAT64, 2));
        assertThrows(UnsupportedOperationException.class, () -> doubles.setLong(0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> doubles.set(2, 1.0));
        assertThrows(IllegalArgumentException.class, () -> doubles.copyFrom(0, new float[2], 0, 2));
    }

    @Test
    void releasingAnUnpublishedPageLeavesNothing() {
        ArrayPage page = hold(Namespace.of(ns).allocateVector("u", ElementType.INT64, 100));
        // Its owner record exists from the start (the metadata, in the filling state), so a crash is sweepable.
        assertEquals(List.of(ns + ".md.u", ns + ".u"), Fixtures.shmEntries(ns));
        assertThrows(VariableNotFoundException.class, () -> Namespace.of(ns).view("u"));
        page.close();
        assertEquals(List.of(), Fixtures.shmEntries(ns));
        assertEquals(List.of(), Memshare.pageList());
        assertThrows(HandleClosedException.class, page::publish);
        assertThrows(HandleClosedException.class, () -> page.set(0, 1.0));
    }

    @Test
    void aClosedPageRefusesAccess() {
        ArrayPage page = hold(Namespace.of(ns).allocateVector("v", ElementType.FLOAT64, 3));
        page.publish();
        page.close();
        assertThrows(HandleClosedException.class, () -> page.get(0));
        assertThrows(HandleClosedException.class, () -> page.column(0));
        assertThrows(HandleClosedException.class, () -> page.set(0, 1));
        assertThrows(VariableNotFoundException.class, () -> Namespace.of(ns).view("v"));
    }
}
