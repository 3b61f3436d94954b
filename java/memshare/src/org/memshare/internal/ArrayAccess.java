package org.memshare.internal;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import org.memshare.ElementType;
import org.memshare.Shape;

/**
 * Index arithmetic and typed access for one column-major array inside a {@link MappedMemory}:
 * shared by read-only views and writable pages, which add their closed checks around it.
 */
public final class ArrayAccess {
    private final MappedMemory memory;
    private final long base;
    private final ElementType type;
    private final Shape shape;
    private final int esize;

    /** The array of {@code shape} starting {@code base} bytes into {@code memory}. */
    public ArrayAccess(MappedMemory memory, long base, ElementType type, Shape shape) {
        this.memory = memory;
        this.base = base;
        this.type = type;
        this.shape = shape;
        this.esize = type.byteSize();
    }

    /** The element type. */
    public ElementType type() { return type; }
    /** The shape. */
    public Shape shape() { return shape; }
    /** Number of values. */
    public long length() { return shape.length(); }

    /** Byte offset of the value at linear (column-major) index {@code i}, bounds checked. */
    private long at(long i) {
        if (i < 0 || i >= shape.length())
            throw new IndexOutOfBoundsException("index " + i + " out of bounds for length " + shape.length());
        return base + i * esize;
    }

    /** Linear index of (i, j), bounds checked. */
    public long index(long i, long j) {
        if (i < 0 || i >= shape.nrow() || j < 0 || j >= shape.ncol())
            throw new IndexOutOfBoundsException("(" + i + ", " + j + ") out of bounds for " + shape.nrow() + "x" + shape.ncol());
        return i + j * shape.nrow();
    }

    /** Value at {@code i} as a double (exact for every type but int64 beyond 2^53). */
    public double getDouble(long i) {
        long o = at(i);
        switch (type) {
            case FLOAT64: return memory.getDouble(o);
            case FLOAT32: return memory.getFloat(o);
            case INT64: return memory.getLong(o);
            case INT32: return memory.getInt(o);
            default: return memory.getByte(o);
        }
    }

    /** Value at {@code i} of an integer array, exactly. */
    public long getLong(long i) {
        long o = at(i);
        switch (type) {
            case INT64: return memory.getLong(o);
            case INT32: return memory.getInt(o);
            case INT8: return memory.getByte(o);
            default: throw new UnsupportedOperationException("getLong on " + type + " data; use get");
        }
    }

    /** Stores a double (float arrays round it; integer arrays need {@link #setLong}). */
    public void setDouble(long i, double v) {
        long o = at(i);
        switch (type) {
            case FLOAT64: memory.putDouble(o, v); break;
            case FLOAT32: memory.putFloat(o, (float) v); break;
            default: throw new UnsupportedOperationException("set(double) on " + type + " data; use setLong");
        }
    }

    /** Stores an integer, refusing values the element type cannot hold. */
    public void setLong(long i, long v) {
        long o = at(i);
        switch (type) {
            case INT64: memory.putLong(o, v); break;
            case INT32:
                if (v != (int) v) throw new IllegalArgumentException(v + " does not fit in int32");
                memory.putInt(o, (int) v);
                break;
            case INT8:
                if (v != (byte) v) throw new IllegalArgumentException(v + " does not fit in int8");
                memory.putByte(o, (byte) v);
                break;
            default: throw new UnsupportedOperationException("setLong on " + type + " data; use set");
        }
    }

    /** Column {@code j}'s bytes, zero-copy, native order. */
    public ByteBuffer columnBytes(long j) {
        if (j < 0 || j >= shape.ncol())
            throw new IndexOutOfBoundsException("column " + j + " out of bounds for " + shape.ncol() + " columns");
        return memory.slice(base + j * shape.nrow() * esize, shape.nrow() * esize);
    }

    /** Column {@code j} as doubles, zero-copy; float64 data only. */
    public DoubleBuffer column(long j) {
        if (type != ElementType.FLOAT64)
            throw new UnsupportedOperationException("column(j) gives doubles; this array is " + type + ", use columnBytes(j)");
        return columnBytes(j).asDoubleBuffer();
    }

    // Bulk copies, one per primitive array type (the public API has no Object-typed copy): each
    // checks the array against the element type and the bounds, then copies chunk by chunk.

    /** Copies {@code n} values from index {@code from} into {@code dst} at {@code offset}. */
    public void copyTo(long from, double[] dst, int offset, int n) {
        move(from, ElementType.FLOAT64, dst.length, offset, n, (b, k, c) -> b.asDoubleBuffer().get(dst, offset + k, c));
    }
    /** Copies {@code n} values from index {@code from} into {@code dst} at {@code offset}. */
    public void copyTo(long from, float[] dst, int offset, int n) {
        move(from, ElementType.FLOAT32, dst.length, offset, n, (b, k, c) -> b.asFloatBuffer().get(dst, offset + k, c));
    }
    /** Copies {@code n} values from index {@code from} into {@code dst} at {@code offset}. */
    public void copyTo(long from, long[] dst, int offset, int n) {
        move(from, ElementType.INT64, dst.length, offset, n, (b, k, c) -> b.asLongBuffer().get(dst, offset + k, c));
    }
    /** Copies {@code n} values from index {@code from} into {@code dst} at {@code offset}. */
    public void copyTo(long from, int[] dst, int offset, int n) {
        move(from, ElementType.INT32, dst.length, offset, n, (b, k, c) -> b.asIntBuffer().get(dst, offset + k, c));
    }
    /** Copies {@code n} values from index {@code from} into {@code dst} at {@code offset}. */
    public void copyTo(long from, byte[] dst, int offset, int n) {
        move(from, ElementType.INT8, dst.length, offset, n, (b, k, c) -> b.get(dst, offset + k, c));
    }

    /** Copies {@code n} values of {@code src} from {@code offset} into this array at index {@code to}. */
    public void copyFrom(long to, double[] src, int offset, int n) {
        move(to, ElementType.FLOAT64, src.length, offset, n, (b, k, c) -> b.asDoubleBuffer().put(src, offset + k, c));
    }
    /** Copies {@code n} values of {@code src} from {@code offset} into this array at index {@code to}. */
    public void copyFrom(long to, float[] src, int offset, int n) {
        move(to, ElementType.FLOAT32, src.length, offset, n, (b, k, c) -> b.asFloatBuffer().put(src, offset + k, c));
    }
    /** Copies {@code n} values of {@code src} from {@code offset} into this array at index {@code to}. */
    public void copyFrom(long to, long[] src, int offset, int n) {
        move(to, ElementType.INT64, src.length, offset, n, (b, k, c) -> b.asLongBuffer().put(src, offset + k, c));
    }
    /** Copies {@code n} values of {@code src} from {@code offset} into this array at index {@code to}. */
    public void copyFrom(long to, int[] src, int offset, int n) {
        move(to, ElementType.INT32, src.length, offset, n, (b, k, c) -> b.asIntBuffer().put(src, offset + k, c));
    }
    /** Copies {@code n} values of {@code src} from {@code offset} into this array at index {@code to}. */
    public void copyFrom(long to, byte[] src, int offset, int n) {
        move(to, ElementType.INT8, src.length, offset, n, (b, k, c) -> b.put(src, offset + k, c));
    }

    private void move(long at, ElementType arrayType, int length, int offset, int n, MappedMemory.Piece op) {
        if (arrayType != type) throw new IllegalArgumentException("array of " + arrayType + " for " + type + " data");
        if (n < 0 || offset < 0 || offset + n > length || at < 0 || at + n > shape.length())
            throw new IndexOutOfBoundsException(n + " values from index " + at + " (array offset " + offset + ", length "
                    + length + ") for " + shape.length() + " values");
        memory.forEachPiece(base + at * esize, n, esize, op);
    }
}
