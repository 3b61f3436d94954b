package org.memshare;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Test data of one element type with edge values (NaN and R's NA, signed zero, infinities,
 * extremes), and the expectations for it computed with plain Java, not with the library.
 */
final class TypedData {
    /** R's NA_real_: a NaN whose payload is 1954. */
    static final double R_NA = Double.longBitsToDouble(0x7FF00000000007A2L);

    private static final double[] DOUBLES = {0.0, -0.0, 1.5, -2.25, Double.NaN, R_NA, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, -1e-300, Math.PI};
    private static final float[] FLOATS = {0f, -0f, 1.5f, -2.25f, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE, -1e-30f, (float) Math.E, 7f};
    private static final long[] LONGS = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, (1L << 53) + 1, -(1L << 40), 42,
        Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L, 123456789012345L, -7};
    private static final int[] INTS = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 65536, -65537, 42, 1 << 30,
        -(1 << 30), 123456789, -7};
    private static final byte[] BYTES = {0, 1, -1, Byte.MIN_VALUE, Byte.MAX_VALUE, 64, -64, 42, 100, -100, 13, -7};

    final ElementType type;
    /** A double[], float[], long[], int[] or byte[]. */
    final Object array;
    final int length;

    private TypedData(ElementType type, Object array, int length) {
        this.type = type;
        this.array = array;
        this.length = length;
    }

    /** {@code n} values of {@code type}, cycling through the edge values, offset by {@code seed}. */
    static TypedData of(ElementType type, int n, int seed) {
        switch (type) {
            case FLOAT64: {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) a[i] = DOUBLES[(i + seed) % DOUBLES.length];
                return new TypedData(type, a, n);
            }
            case FLOAT32: {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) a[i] = FLOATS[(i + seed) % FLOATS.length];
                return new TypedData(type, a, n);
            }
            case INT64: {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) a[i] = LONGS[(i + seed) % LONGS.length];
                return new TypedData(type, a, n);
            }
            case INT32: {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) a[i] = INTS[(i + seed) % INTS.length];
                return new TypedData(type, a, n);
            }
            default: {
                byte[] a = new byte[n];
                for (int i = 0; i < n; i++) a[i] = BYTES[(i + seed) % BYTES.length];
                return new TypedData(type, a, n);
            }
        }
    }

    boolean isInteger() {
        return type == ElementType.INT64 || type == ElementType.INT32 || type == ElementType.INT8;
    }

    /** Value {@code i} widened to double, as Java widens it. */
    double asDouble(int i) {
        switch (type) {
            case FLOAT64: return ((double[]) array)[i];
            case FLOAT32: return ((float[]) array)[i];
            case INT64: return ((long[]) array)[i];
            case INT32: return ((int[]) array)[i];
            default: return ((byte[]) array)[i];
        }
    }

    /** Integer value {@code i} (integer types only). */
    long asLong(int i) {
        switch (type) {
            case INT64: return ((long[]) array)[i];
            case INT32: return ((int[]) array)[i];
            case INT8: return ((byte[]) array)[i];
            default: throw new IllegalStateException(type + " is not an integer type");
        }
    }

    /** Values [from, from + n) encoded in native byte order, as they must sit in memory. */
    byte[] nativeBytes(int from, int n) {
        ByteBuffer bb = ByteBuffer.allocate(n * type.byteSize()).order(ByteOrder.nativeOrder());
        for (int i = from; i < from + n; i++) {
            switch (type) {
                case FLOAT64: bb.putLong(Double.doubleToRawLongBits(((double[]) array)[i])); break;
                case FLOAT32: bb.putInt(Float.floatToRawIntBits(((float[]) array)[i])); break;
                case INT64: bb.putLong(((long[]) array)[i]); break;
                case INT32: bb.putInt(((int[]) array)[i]); break;
                default: bb.put(((byte[]) array)[i]);
            }
        }
        return bb.array();
    }

    /** A zeroed array of the same type and length (a copyTo target). */
    Object emptyArray() {
        return java.lang.reflect.Array.newInstance(array.getClass().getComponentType(), length);
    }

    /** The element type of a primitive array (the library's copies are typed; these tests hold an Object). */
    static ElementType typeOf(Object array) {
        if (array instanceof double[]) return ElementType.FLOAT64;
        if (array instanceof float[]) return ElementType.FLOAT32;
        if (array instanceof long[]) return ElementType.INT64;
        if (array instanceof int[]) return ElementType.INT32;
        if (array instanceof byte[]) return ElementType.INT8;
        throw new IllegalArgumentException("not a primitive array of an element type: " + array);
    }

    /** {@code v.copyTo(array)} (all values) with the overload of the array's run-time type. */
    static void copyTo(SharedArray v, Object array) {
        if (array instanceof double[] a) v.copyTo(a);
        else if (array instanceof float[] a) v.copyTo(a);
        else if (array instanceof long[] a) v.copyTo(a);
        else if (array instanceof int[] a) v.copyTo(a);
        else v.copyTo((byte[]) array);
    }

    /** {@code v.copyTo(from, array, offset, n)} with the overload of the array's run-time type. */
    static void copyTo(SharedArray v, long from, Object array, int offset, int n) {
        if (array instanceof double[] a) v.copyTo(from, a, offset, n);
        else if (array instanceof float[] a) v.copyTo(from, a, offset, n);
        else if (array instanceof long[] a) v.copyTo(from, a, offset, n);
        else if (array instanceof int[] a) v.copyTo(from, a, offset, n);
        else v.copyTo(from, (byte[]) array, offset, n);
    }

    /** {@code p.copyFrom(to, array, offset, n)} with the overload of the array's run-time type. */
    static void copyFrom(MutableSharedArray p, long to, Object array, int offset, int n) {
        if (array instanceof double[] a) p.copyFrom(to, a, offset, n);
        else if (array instanceof float[] a) p.copyFrom(to, a, offset, n);
        else if (array instanceof long[] a) p.copyFrom(to, a, offset, n);
        else if (array instanceof int[] a) p.copyFrom(to, a, offset, n);
        else p.copyFrom(to, (byte[]) array, offset, n);
    }

    /** The array's bytes in native order, so arrays of any type compare bit for bit. */
    static byte[] bitsOf(Object array) {
        ElementType t = typeOf(array);
        int n = java.lang.reflect.Array.getLength(array);
        return new TypedData(t, array, n).nativeBytes(0, n);
    }

    static byte[] remaining(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
