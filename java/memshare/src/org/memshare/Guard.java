package org.memshare;

import java.lang.ref.Reference;
import java.util.function.Supplier;
import org.memshare.internal.ArrayAccess;
import org.memshare.internal.HandleState;

/**
 * The accessor guard of pages and views, written once: enter the handle's state (a closed handle
 * throws {@link HandleClosedException}), run the access, leave, and keep the handle reachable
 * until the access is done. Without the fence the JIT may treat the handle as dead once its
 * fields are loaded, its Cleaner could then close the state and unmap the memory mid-read.
 *
 * <p>The single-value accessors ({@code get}, {@code getLong}, {@code set}, {@code setLong})
 * are the hot ones, so their shapes pass the indexes and the value as primitive parameters: the
 * operations are then non-capturing lambdas, which the JVM creates once per call site, and a
 * call allocates nothing even where escape analysis does not run (interpreter, C1). The bulk
 * accessors (a buffer, a copy, a publish) do O(n) work or allocate a buffer anyway, so they take
 * a plain {@link Supplier}.
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

    /** Writes one integer value at a linear index. */
    @FunctionalInterface
    interface LongWrite {
        void write(ArrayAccess a, long i, long value);
    }

    static double read(SharedHandle h, ArrayAccess a, long i, long j, DoubleRead op) {
        HandleState s = h.state;
        s.enter();
        try {
            return op.read(a, i, j);
        } finally {
            s.exit();
            Reference.reachabilityFence(h);
        }
    }

    static long readLong(SharedHandle h, ArrayAccess a, long i, long j, LongRead op) {
        HandleState s = h.state;
        s.enter();
        try {
            return op.read(a, i, j);
        } finally {
            s.exit();
            Reference.reachabilityFence(h);
        }
    }

    static void write(SharedHandle h, ArrayAccess a, long i, long j, double value, DoubleWrite op) {
        HandleState s = h.state;
        s.enter();
        try {
            op.write(a, i, j, value);
        } finally {
            s.exit();
            Reference.reachabilityFence(h);
        }
    }

    static void writeLong(SharedHandle h, ArrayAccess a, long i, long value, LongWrite op) {
        HandleState s = h.state;
        s.enter();
        try {
            op.write(a, i, value);
        } finally {
            s.exit();
            Reference.reachabilityFence(h);
        }
    }

    /** A bulk access (a buffer, a copy, a publish); returns what {@code op} returns. */
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
