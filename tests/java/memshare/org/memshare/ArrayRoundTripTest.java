package org.memshare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.memshare.facade.Memshare;

/** Vectors and matrices of every element type: register, then every accessor of a view equals the input. */
class ArrayRoundTripTest extends MemshareTestBase {

    /** Checks every accessor of {@code v} against {@code d} laid out as an nrow x ncol column-major array. */
    static void assertViewEquals(TypedData d, long nrow, long ncol, ArrayView v) {
        assertEquals(d.type, v.elementType());
        assertEquals(nrow, v.nrow());
        assertEquals(ncol, v.ncol());
        assertEquals(d.length, v.length());
        for (int i = 0; i < d.length; i++) {
            assertEquals(d.asDouble(i), v.get(i), "get(" + i + ")");
            if (d.isInteger()) assertEquals(d.asLong(i), v.getLong(i), "getLong(" + i + ")");
        }
        for (int j = 0; j < ncol; j++) {
            for (int i = 0; i < nrow; i++) {
                int k = (int) (i + j * nrow);
                assertEquals(d.asDouble(k), v.get(i, j), "get(" + i + ", " + j + ")");
                if (d.isInteger()) assertEquals(d.asLong(k), v.getLong(i, j), "getLong(" + i + ", " + j + ")");
            }
            ByteBuffer bytes = v.columnBytes(j);
            assertTrue(bytes.isReadOnly(), "columnBytes of a view is read-only");
            assertEquals(ByteOrder.nativeOrder(), bytes.order());
            assertArrayEquals(d.nativeBytes((int) (j * nrow), (int) nrow), TypedData.remaining(bytes), "columnBytes(" + j + ")");
            if (d.type == ElementType.FLOAT64) {
                DoubleBuffer col = v.column(j);
                assertTrue(col.isReadOnly());
                assertEquals(nrow, col.remaining());
                for (int i = 0; i < nrow; i++)
                    assertEquals(Double.doubleToRawLongBits(d.asDouble((int) (i + j * nrow))),
                            Double.doubleToRawLongBits(col.get(i)), "column(" + j + ").get(" + i + ") bits");
            } else {
                final long jj = j;
                assertThrows(UnsupportedOperationException.class, () -> v.column(jj));
            }
        }
        Object copy = d.emptyArray();
        TypedData.copyTo(v, copy);
        assertArrayEquals(TypedData.bitsOf(d.array), TypedData.bitsOf(copy), "copyTo, bit for bit");
        if (d.length >= 3) {
            Object part = d.emptyArray();
            TypedData.copyTo(v, 1, part, 0, 2);
            assertEquals(d.asDouble(1), java.lang.reflect.Array.getDouble(part, 0));
            assertEquals(d.asDouble(2), java.lang.reflect.Array.getDouble(part, 1));
        }
        double[] asDoubles = v.toDoubleArray();
        for (int i = 0; i < d.length; i++) assertEquals(d.asDouble(i), asDoubles[i], "toDoubleArray[" + i + "]");
        if (!d.isInteger()) assertThrows(UnsupportedOperationException.class, () -> v.getLong(0));
    }

    @ParameterizedTest
    @EnumSource(ElementType.class)
    void vector(ElementType type) {
        TypedData d = TypedData.of(type, 12, 0);
        Page page = hold(Namespace.of(ns).registerAll(Map.of("v", d.array)).get(0));  // the array's type is known at run time only
        assertEquals(VariableKind.VECTOR, page.info().kind());
        assertEquals(12L * type.byteSize(), page.info().sizeBytes());
        try (VectorView v = Namespace.of(ns).vector("v")) {
            assertEquals(type, v.info().elementType());
            assertEquals(Shape.vector(12), v.shape());
            assertViewEquals(d, 12, 1, v);
        }
    }

    @ParameterizedTest
    @EnumSource(ElementType.class)
    void matrix(ElementType type) {
        TypedData d = TypedData.of(type, 12, 5);
        Matrix m = switch (type) {
            case FLOAT64 -> Matrix.of(3, 4, (double[]) d.array);
            case FLOAT32 -> Matrix.of(3, 4, (float[]) d.array);
            case INT64 -> Matrix.of(3, 4, (long[]) d.array);
            case INT32 -> Matrix.of(3, 4, (int[]) d.array);
            case INT8 -> Matrix.of(3, 4, (byte[]) d.array);
        };
        Memshare.registerVariables(ns, java.util.Map.of("m", m));
        View view = Memshare.retrieveViews(ns, "m").get("m");
        MatrixView v = assertInstanceOf(MatrixView.class, view);
        assertEquals(Shape.matrix(3, 4), v.shape());
        assertViewEquals(d, 3, 4, v);
        for (int i = 0; i < 3; i++) {
            double[] row = v.row(i);
            for (int j = 0; j < 4; j++) assertEquals(d.asDouble(i + 3 * j), row[j], "row(" + i + ")[" + j + "]");
        }
        assertEquals(VariableInfo.class, Memshare.retrieveMetadata(ns, "m").getClass());
        assertEquals(type, Memshare.retrieveMetadata(ns, "m").elementType());
        Memshare.releaseViews(ns, "m");
        Memshare.releaseVariables(ns, "m");
    }

    @ParameterizedTest
    @EnumSource(ElementType.class)
    void registrationCopiesTheArray(ElementType type) {
        TypedData d = TypedData.of(type, 5, 2);
        Object mine = d.emptyArray();
        System.arraycopy(d.array, 0, mine, 0, d.length);
        hold(Namespace.of(ns).registerAll(Map.of("v", mine)).get(0));
        java.lang.reflect.Array.set(mine, 0, java.lang.reflect.Array.get(TypedData.of(type, 1, 7).array, 0));
        try (VectorView v = Namespace.of(ns).vector("v")) {
            assertViewEquals(d, 5, 1, v);
        }
    }

    @Test
    void zeroLengthVector() {
        hold(Namespace.of(ns).register("empty", new double[0]));
        try (VectorView v = Namespace.of(ns).vector("empty")) {
            assertEquals(0, v.length());
            assertEquals(0, v.toDoubleArray().length);
            assertEquals(0, v.column(0).remaining());
            v.copyTo(new double[0]);
            assertThrows(IndexOutOfBoundsException.class, () -> v.get(0));
        }
    }

    @Test
    void matrixWithZeroRowsHasEmptyColumns() {
        hold(Namespace.of(ns).register("m", Matrix.of(0, 3, new double[0])));
        try (MatrixView v = Namespace.of(ns).matrix("m")) {
            assertEquals(0, v.nrow());
            assertEquals(3, v.ncol());
            assertEquals(0, v.column(2).remaining());
            assertThrows(IndexOutOfBoundsException.class, () -> v.column(3));
        }
    }

    @Test
    void columnBytesOfAnEmptyColumnIsEmpty() {
        hold(Namespace.of(ns).register("empty", new double[0]));
        hold(Namespace.of(ns).register("m", Matrix.of(0, 3, new int[0])));
        try (VectorView v = Namespace.of(ns).vector("empty"); MatrixView m = Namespace.of(ns).matrix("m")) {
            assertEquals(0, v.columnBytes(0).remaining());
            assertEquals(0, m.columnBytes(2).remaining());
            assertThrows(IndexOutOfBoundsException.class, () -> m.columnBytes(3));
        }
    }

    @Test
    void viewBuffersAreReadOnly() {
        hold(Namespace.of(ns).register("v", new double[] {1, 2, 3}));
        try (VectorView v = Namespace.of(ns).vector("v")) {
            assertThrows(ReadOnlyBufferException.class, () -> v.column(0).put(0, 9));
            assertThrows(ReadOnlyBufferException.class, () -> v.columnBytes(0).put(0, (byte) 9));
            assertEquals(1.0, v.get(0));
        }
    }

    @Test
    void outOfBoundsAccessorsThrow() {
        hold(Namespace.of(ns).register("m", Matrix.of(2, 3, Fixtures.seq(6))));
        try (MatrixView v = Namespace.of(ns).matrix("m")) {
            assertThrows(IndexOutOfBoundsException.class, () -> v.get(6));
            assertThrows(IndexOutOfBoundsException.class, () -> v.get(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> v.get(2, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> v.get(0, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> v.columnBytes(3));
            assertThrows(IndexOutOfBoundsException.class, () -> v.copyTo(5, new double[2], 0, 2));
            assertThrows(IllegalArgumentException.class, () -> v.copyTo(new int[6]));
        }
    }
}
