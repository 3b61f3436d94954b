package org.memshare;

import java.lang.ref.Reference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.memshare.internal.ArrayAccess;
import org.memshare.internal.HandleState;

/**
 * The accessor guard of pages and views, written once (as the accessors are, the default methods
 * of {@link SharedArray} and {@link MutableSharedArray}): enter the handle's state (a closed
 * handle throws {@link HandleClosedException}), run the access, leave, and keep the handle reachable
 * until the access is done. Without the fence the JIT may treat the handle as dead once its
 * fields are loaded, its Cleaner could then close the state and unmap the memory mid-read.
 *
 * <p>The single-value accessors ({@code get}, {@code getLong}, {@code set}, {@code setLong})
 * are the hot ones, so their shapes pass the indexes and the value as primitive parameters: the
 * operations are then non-capturing lambdas, which the JVM creates once per call site, and a
 * call allocates nothing even where escape analysis does not run (interpreter, C1). The bulk
 * accessors (a buffer, a copy, a publish) do O(n) work or allocate a buffer anyway, so they take
 * a plain function.
 *
 * <p>The array accessors take the {@link SharedArray} and cast it to its {@link SharedHandle}:
 * the interfaces are sealed, and every implementation is a handle holding its
 * {@link ArrayAccess}, so the cast cannot fail (and the JIT folds it).
 */
final class Guard {
    private Guard() {}

    /** Reads one value as a double; {@code j} is unused by linear-index reads. */
    @FunctionalInterface
    interface DoubleRead {
        double read(ArrayAccess a, long i, long j);
    }

    /** Reads one integer value; {@code j} is unused by linear-index reads. */
    @FunctionalInterface
    interface LongRead {
        long read(ArrayAccess a, long i, long j);
    }

    /** Writes one value from a double; {@code j} is unused by linear-index writes. */
    @FunctionalInterface
    interface DoubleWrite {
        void write(ArrayAccess a, long i, long j, double value);
    }

    /** Writes one integer value; {@code j} is unused by linear-index writes. */
    @FunctionalInterface
    interface LongWrite {
        void write(ArrayAccess a, long i, long j, long value);
    }

    static double read(SharedArray x, long i, long j, DoubleRead op) {
        SharedHandle h = (SharedHandle) x;
        HandleState s = h.state;
        s.enter();
        try {
            return op.read(h.access, i, j);
        } finally {
            s.exit();
            Reference.reachabilityFence(h);
        }
    }

    static long readLong(SharedArray x, long i, long j, LongRead op) {
        SharedHandle h = (SharedHandle) x;
        HandleState s = h.state;
        s.enter();
        try {
            return op.read(h.access, i, j);
        } finally {
            s.exit();
            Reference.reachabilityFence(h);
        }
    }

    static void write(MutableSharedArray x, long i, long j, double value, DoubleWrite op) {
        SharedHandle h = (SharedHandle) x;
        HandleState s = h.state;
        s.enter();
        try {
            op.write(h.access, i, j, value);
        } finally {
            s.exit();
            Reference.reachabilityFence(h);
        }
    }

    static void writeLong(MutableSharedArray x, long i, long j, long value, LongWrite op) {
        SharedHandle h = (SharedHandle) x;
        HandleState s = h.state;
        s.enter();
        try {
            op.write(h.access, i, j, value);
        } finally {
            s.exit();
            Reference.reachabilityFence(h);
        }
    }

    /** A bulk access to the array (a buffer, a copy); returns what {@code op} returns. */
    static <T> T apply(SharedArray x, Function<ArrayAccess, T> op) {
        SharedHandle h = (SharedHandle) x;
        return call(h, () -> op.apply(h.access));
    }

    /** A bulk access to the array that returns nothing (a copy). */
    static void bulk(SharedArray x, Consumer<ArrayAccess> op) {
        SharedHandle h = (SharedHandle) x;
        call(h, () -> {
            op.accept(h.access);
            return null;
        });
    }

    /** A bulk access to any handle (a publish); returns what {@code op} returns. */
    static <T> T call(SharedHandle h, Supplier<T> op) {
        HandleState s = h.state;
        s.enter();
        try {
            return op.get();
        } finally {
            s.exit();
            Reference.reachabilityFence(h);
        }
    }
}
