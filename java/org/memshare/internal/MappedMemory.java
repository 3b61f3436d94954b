package org.memshare.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mapped region seen through direct {@link ByteBuffer}s of at most 1 GiB each, so variables
 * larger than 2 GiB work although no single buffer can hold them.
 *
 * <p>Lifetime: the native region stays mapped (the registry may retire it to zero pages on
 * release, but never unmaps it) while any buffer created here, or derived from one (slices,
 * duplicates, typed views keep their root buffer reachable), is reachable. Each root buffer is
 * registered with the {@link Cleaners#CLEANER}; the last one to become unreachable drops the
 * native pin, which unmaps the range. So a buffer kept past close reads zeros, never freed memory.
 */
public final class MappedMemory {
    static final int CHUNK_SHIFT = 30;
    static final long CHUNK = 1L << CHUNK_SHIFT;

    private final ByteBuffer[] chunks;
    private final long size;
    private final boolean writable;
    private final Pin pin;

    /** Takes ownership of {@code pinPtr} (a native pin of a region of {@code size} bytes). */
    public MappedMemory(long pinPtr, long size, boolean writable) {
        this.size = size;
        this.writable = writable;
        this.pin = new Pin(pinPtr);
        int n = (int) ((size + CHUNK - 1) >>> CHUNK_SHIFT);
        chunks = new ByteBuffer[n];
        pin.roots.incrementAndGet();  // held by the constructor until every chunk is registered
        try {
            for (int i = 0; i < n; i++) chunks[i] = newRoot((long) i << CHUNK_SHIFT, Math.min(CHUNK, size - ((long) i << CHUNK_SHIFT)));
        } finally {
            pin.rootGone();
        }
    }

    /** Size in bytes. */
    public long size() {
        return size;
    }

    private ByteBuffer newRoot(long offset, long length) {
        ByteBuffer root = NativeMemory.newBuffer(pin.ptr, offset, length);
        pin.roots.incrementAndGet();
        Cleaners.CLEANER.register(root, pin::rootGone);
        root.order(ByteOrder.nativeOrder());
        return writable ? root : root.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    private ByteBuffer chunk(long offset) {
        return chunks[(int) (offset >>> CHUNK_SHIFT)];
    }

    private static int within(long offset) {
        return (int) (offset & (CHUNK - 1));
    }

    public double getDouble(long offset) { return chunk(offset).getDouble(within(offset)); }
    public float getFloat(long offset) { return chunk(offset).getFloat(within(offset)); }
    public long getLong(long offset) { return chunk(offset).getLong(within(offset)); }
    public int getInt(long offset) { return chunk(offset).getInt(within(offset)); }
    public byte getByte(long offset) { return chunk(offset).get(within(offset)); }
    public void putDouble(long offset, double v) { chunk(offset).putDouble(within(offset), v); }
    public void putFloat(long offset, float v) { chunk(offset).putFloat(within(offset), v); }
    public void putLong(long offset, long v) { chunk(offset).putLong(within(offset), v); }
    public void putInt(long offset, int v) { chunk(offset).putInt(within(offset), v); }
    public void putByte(long offset, byte v) { chunk(offset).put(within(offset), v); }

    /**
     * A buffer over bytes [offset, offset + length), native byte order, writable only for pages.
     * Zero-copy: a slice of a chunk, or a new root buffer when the range crosses chunks.
     */
    public ByteBuffer slice(long offset, long length) {
        if (length > Integer.MAX_VALUE)
            throw new UnsupportedOperationException(length + " bytes do not fit in one ByteBuffer (2 GiB - 1 at most)");
        if (offset < 0 || length < 0 || offset + length > size)
            throw new IndexOutOfBoundsException("bytes [" + offset + ", " + (offset + length) + ") of " + size);
        if (length == 0) return ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder());
        if ((offset >>> CHUNK_SHIFT) == ((offset + length - 1) >>> CHUNK_SHIFT))
            return chunk(offset).slice(within(offset), (int) length).order(ByteOrder.nativeOrder());
        return newRoot(offset, length);
    }

    /** Copies {@code n} values of a primitive array, starting at {@code from}, to {@code offset}. */
    public void copyFrom(long offset, Object array, int from, int n) {
        transfer(offset, array, from, n, true);
    }

    /** Copies {@code n} values from {@code offset} into a primitive array, starting at {@code from}. */
    public void copyTo(long offset, Object array, int from, int n) {
        transfer(offset, array, from, n, false);
    }

    private void transfer(long offset, Object array, int from, int n, boolean toMemory) {
        int esize = org.memshare.ElementType.ofArray(array).byteSize();
        while (n > 0) {
            // Largest piece that stays inside the current chunk.
            int count = (int) Math.min(n, (CHUNK - within(offset)) / esize);
            ByteBuffer w = chunk(offset).slice(within(offset), count * esize).order(ByteOrder.nativeOrder());
            if (array instanceof double[]) {
                if (toMemory) w.asDoubleBuffer().put((double[]) array, from, count); else w.asDoubleBuffer().get((double[]) array, from, count);
            } else if (array instanceof float[]) {
                if (toMemory) w.asFloatBuffer().put((float[]) array, from, count); else w.asFloatBuffer().get((float[]) array, from, count);
            } else if (array instanceof long[]) {
                if (toMemory) w.asLongBuffer().put((long[]) array, from, count); else w.asLongBuffer().get((long[]) array, from, count);
            } else if (array instanceof int[]) {
                if (toMemory) w.asIntBuffer().put((int[]) array, from, count); else w.asIntBuffer().get((int[]) array, from, count);
            } else {
                if (toMemory) w.put((byte[]) array, from, count); else w.get((byte[]) array, from, count);
            }
            offset += (long) count * esize;
            from += count;
            n -= count;
        }
    }

    /** Counts the root buffers still reachable; the last one gone drops the native pin. */
    private static final class Pin {
        final long ptr;
        final AtomicInteger roots = new AtomicInteger();

        Pin(long ptr) {
            this.ptr = ptr;
        }

        void rootGone() {
            if (roots.decrementAndGet() == 0) NativeMemory.unpin(ptr);
        }
    }
}
