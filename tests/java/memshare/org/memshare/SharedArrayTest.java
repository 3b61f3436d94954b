package org.memshare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The read and write interfaces (issue 20): one set of accessors for views, pages and writable
 * views, which before had different ones (a page had no getLong or nrow, a writable view no
 * linear get/set or length), and typed copies and matrices in place of Object.
 */
class SharedArrayTest extends MemshareTestBase {

    /** Reads through the read interface only, so it must accept a view and a page alike. */
    private static long sumOfInts(SharedArray a) {
        long s = 0;
        for (long j = 0; j < a.ncol(); j++)
            for (long i = 0; i < a.nrow(); i++) s += a.getLong(i, j);
        return s;
    }

    @Test
    void viewsAndPagesShareTheReadInterface() {
        Namespace space = Namespace.of(ns);
        ArrayPage page = hold(space.register("m", Matrix.of(2, 3, new int[] {1, 2, 3, 4, 5, 6})));
        try (MatrixView view = space.matrix("m")) {
            assertEquals(21, sumOfInts(page));
            assertEquals(21, sumOfInts(view));
            assertEquals(2, page.nrow());
            assertEquals(3, page.ncol());
            assertEquals(6, page.getLong(1, 2));
            assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, page.toDoubleArray());
        }
    }

    @Test
    void aPageSetsByRowAndColumnAndCopiesWholeArrays() {
        ArrayPage longs = hold(Namespace.of(ns).allocateMatrix("l", ElementType.INT64, 2, 2));
        longs.setLong(1, 1, Long.MIN_VALUE);
        longs.setLong(0, 1, 7);
        assertEquals(Long.MIN_VALUE, longs.getLong(3));
        assertEquals(7, longs.getLong(2));
        assertThrows(IndexOutOfBoundsException.class, () -> longs.setLong(2, 0, 1));

        ArrayPage floats = hold(Namespace.of(ns).allocateVector("f", ElementType.FLOAT32, 3));
        floats.copyFrom(new float[] {0.5f, -1f, 3f, 99f});  // a longer array: its first length() values
        float[] back = new float[3];
        floats.copyTo(back);
        assertArrayEquals(new float[] {0.5f, -1f, 3f}, back);
        assertThrows(IndexOutOfBoundsException.class, () -> floats.copyFrom(new float[2]));
        assertThrows(IllegalArgumentException.class, () -> floats.copyFrom(new double[3]));
        assertThrows(IllegalArgumentException.class, () -> floats.copyTo(new int[3]));
    }

    @Test
    void aWritableViewHasLinearAccessAndCopies() {
        Namespace space = Namespace.of(ns);
        ArrayPage owner = hold(space.allocateVector("v", ElementType.INT32, 4));
        try (WritableView w = space.attachForFilling("v")) {
            assertEquals(4, w.length());
            w.setLong(0, -3);
            w.copyFrom(1, new int[] {10, 20, 30}, 0, 3);
            assertEquals(-3, w.getLong(0));
            assertEquals(20.0, w.get(2));
            int[] seen = new int[4];
            w.copyTo(seen);
            assertArrayEquals(new int[] {-3, 10, 20, 30}, seen);
        }
        owner.publish();
        try (VectorView v = space.vector("v")) {
            assertArrayEquals(new double[] {-3, 10, 20, 30}, v.toDoubleArray());
        }
    }

    @Test
    void aClosedWritableViewRefusesTheNewAccessors() {
        Namespace space = Namespace.of(ns);
        hold(space.allocateVector("v", ElementType.FLOAT64, 2));
        WritableView w = space.attachForFilling("v");
        w.close();
        assertThrows(HandleClosedException.class, () -> w.get(0));
        assertThrows(HandleClosedException.class, () -> w.set(0, 1.0));
        assertThrows(HandleClosedException.class, () -> w.copyFrom(new double[2]));
    }

    @Test
    void matricesAreTypedByTheirArray() {
        double[] d = {1, 2, 3, 4};
        Matrix.OfDouble m = Matrix.of(2, 2, d);
        assertSame(d, m.data());  // not a copy, and a double[] without a cast
        Matrix any = Matrix.of(1, 3, new byte[] {1, 2, 3});
        assertEquals(ElementType.INT8, any.elementType());
        assertTrue(any instanceof Matrix.OfByte b && Arrays.equals(new byte[] {1, 2, 3}, b.data()));
        assertThrows(IllegalArgumentException.class, () -> Matrix.of(2, 2, new long[3]));
        assertThrows(NullPointerException.class, () -> Matrix.of(0, 0, (int[]) null));
    }

    @Test
    void aListOfTypedElementsRegistersEachWithItsShape() {
        Namespace space = Namespace.of(ns);
        hold(space.register("l", java.util.List.of(new long[] {5, 6}, Matrix.of(1, 2, new long[] {7, 8}))));
        try (ListView l = space.list("l")) {
            assertEquals(Shape.vector(2), l.get(0).shape());
            assertEquals(Shape.matrix(1, 2), l.get(1).shape());
            assertEquals(8, l.get(1).getLong(0, 1));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> space.register("bad", java.util.List.of(new double[1], "text")));
        assertTrue(e.getMessage().contains("list element 1") && e.getMessage().contains("java.lang.String"), e.getMessage());
    }
}
