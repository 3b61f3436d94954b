package org.memshare.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mapped region seen through direct {@link ByteBuffer}s of at most 1 GiB each, so variables
 * larger than 2 GiB work although no single buffer can hold them.
 *
 * <p>Lifetime: the native pin (which keeps the range mapped) has one hold for the handle using
 * this memory, released by {@link #releaseHold()} once the handle is closed and no accessor is in
 * flight, and one hold per buffer handed out by {@link #slice} (each is a root buffer of its own,
 * registered with the {@link Cleaners#CLEANER}; slices and typed views of it keep it reachable).
 * The last hold runs {@code onLastHold} and drops the pin, which unmaps the range. So a closed
 * handle that never handed out a buffer unmaps at once, and a buffer kept past close reads
 * zeros (the registry retires the range to zero pages on release), never freed memory.
 */
public final class MappedMemory {
    static final int CHUNK_SHIFT = 30;
    static final long CHUNK = 1L << CHUNK_SHIFT;

    private final ByteBuffer[] chunks;
    private final long size;
    private final boolean writable;
    private final Pin pin;

    /**
     * Takes ownership of {@code pinPtr} (a native pin of a region of {@code size} bytes). On
     * failure the pin is dropped (and {@code onLastHold} run) before the exception leaves.
     */
    public MappedMemory(long pinPtr, long size, boolean writable, Runnable onLastHold) {
        this.size = size;
        this.writable = writable;
        Pin p;
        try {
            p = new Pin(pinPtr, onLastHold);
        } catch (RuntimeException | Error e) {
            try {
                onLastHold.run();
            } finally {
                NativeMemory.unpin(pinPtr);
            }
            throw e;
        }
        this.pin = p;
        int n = (int) ((size + CHUNK - 1) >>> CHUNK_SHIFT);
        try {
            chunks = new ByteBuffer[n];
            for (int i = 0; i < n; i++) chunks[i] = buffer((long) i << CHUNK_SHIFT, Math.min(CHUNK, size - ((long) i << CHUNK_SHIFT)));
        } catch (RuntimeException | Error e) {
            pin.drop();
            throw e;
        }
    }

    /** Drops the handle's hold; call once, when the handle is closed and no accessor is in flight. */
    public void releaseHold() {
        pin.drop();
    }

    /** Size in bytes. */
    public long size() {
        return size;
    }

    private ByteBuffer buffer(long offset, long length) {
        return accessible(NativeMemory.newBuffer(pin.ptr, offset, length));
    }

    private ByteBuffer accessible(ByteBuffer root) {
        root.order(ByteOrder.nativeOrder());
        return writable ? root : root.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    /**
     * A buffer that holds the pin until it is unreachable. The cleaner watches the root buffer:
     * every buffer derived from it (read-only wrapper, slices, typed views) references the root.
     */
    private ByteBuffer exportedBuffer(long offset, long length) {
        ByteBuffer root = NativeMemory.newBuffer(pin.ptr, offset, length);
        Cleaners.CLEANER.register(root, pin::drop);
        pin.add();
        return accessible(root);
    }

    private ByteBuffer chunk(long offset) {
        return chunks[(int) (offset >>> CHUNK_SHIFT)];
    }

    private static int within(long offset) {
        return (int) (offset & (CHUNK - 1));
    }

    // Typed reads and writes at a byte offset; never across chunks, since values are aligned.

    /** The double at byte {@code offset}. */
    public double getDouble(long offset) { return chunk(offset).getDouble(within(offset)); }
    /** The float at byte {@code offset}. */
    public float getFloat(long offset) { return chunk(offset).getFloat(within(offset)); }
    /** The long at byte {@code offset}. */
    public long getLong(long offset) { return chunk(offset).getLong(within(offset)); }
    /** The int at byte {@code offset}. */
    public int getInt(long offset) { return chunk(offset).getInt(within(offset)); }
    /** The byte at byte {@code offset}. */
    public byte getByte(long offset) { return chunk(offset).get(within(offset)); }
    /** Stores a double at byte {@code offset}. */
    public void putDouble(long offset, double v) { chunk(offset).putDouble(within(offset), v); }
    /** Stores a float at byte {@code offset}. */
    public void putFloat(long offset, float v) { chunk(offset).putFloat(within(offset), v); }
    /** Stores a long at byte {@code offset}. */
    public void putLong(long offset, long v) { chunk(offset).putLong(within(offset), v); }
    /** Stores a int at byte {@code offset}. */
    public void putInt(long offset, int v) { chunk(offset).putInt(within(offset), v); }
    /** Stores a byte at byte {@code offset}. */
    public void putByte(long offset, byte v) { chunk(offset).put(within(offset), v); }

    /**
     * A buffer over bytes [offset, offset + length) to hand out: native byte order, writable only
     * for pages, zero-copy, and safe to keep past the handle's close.
     */
    public ByteBuffer slice(long offset, long length) {
        if (length > Integer.MAX_VALUE)
            throw new UnsupportedOperationException(length + " bytes do not fit in one ByteBuffer (2 GiB - 1 at most)");
        if (offset < 0 || length < 0 || offset + length > size)
            throw new IndexOutOfBoundsException("bytes [" + offset + ", " + (offset + length) + ") of " + size);
        if (length == 0) return accessible(ByteBuffer.allocateDirect(0));
        return exportedBuffer(offset, length);
    }

    /** One piece of a bulk copy: a buffer over it, the index of its first value in the copy, its value count. */
    @FunctionalInterface
    public interface Piece {
        /** Copies {@code count} values between {@code piece} and the array, from index {@code first} of the copy. */
        void copy(ByteBuffer piece, int first, int count);
    }

    /**
     * Runs {@code op} over the bytes of {@code n} values of {@code esize} bytes from byte
     * {@code offset}, in pieces that each lie inside one chunk (no buffer spans two), each a
     * native-order buffer (read-only for a view). The caller checks the bounds.
     */
    public void forEachPiece(long offset, int n, int esize, Piece op) {
        int done = 0;
        while (done < n) {
            // Largest piece that stays inside the current chunk.
            int count = (int) Math.min(n - done, (CHUNK - within(offset)) / esize);
            op.copy(chunk(offset).slice(within(offset), count * esize).order(ByteOrder.nativeOrder()), done, count);
            offset += (long) count * esize;
            done += count;
        }
    }

    /** Counts the holds on the native pin; the last one dropped runs onLastHold and unpins. */
    private static final class Pin {
        final long ptr;
        final AtomicInteger holds = new AtomicInteger(1);
        final Runnable onLastHold;

        Pin(long ptr, Runnable onLastHold) {
            this.ptr = ptr;
            this.onLastHold = onLastHold;
        }

        void add() {
            holds.incrementAndGet();
        }

        void drop() {
            if (holds.decrementAndGet() != 0) return;
            try {
                onLastHold.run();
            } finally {
                NativeMemory.unpin(ptr);
            }
        }
    }
}
