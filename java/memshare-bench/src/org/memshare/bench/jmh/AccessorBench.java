package org.memshare.bench.jmh;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.concurrent.TimeUnit;
import org.memshare.ArrayPage;
import org.memshare.ElementType;
import org.memshare.Matrix;
import org.memshare.MatrixView;
import org.memshare.Namespace;
import org.memshare.VectorView;
import org.memshare.WritableView;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one accessor call of a page or view costs: the guarded single-value accessors (typed get
 * and set, linear and by row and column) and taking a column buffer, beside the same loops over a
 * plain {@code double[]} and a direct {@link DoubleBuffer}, which have no guard. Every loop runs
 * over all {@value #N} values of a real shared variable (a 128 x 128 matrix, 128 KiB: it stays in
 * the L2 cache, so the memory system does not hide the accessor) and returns what it read, so the
 * JIT cannot drop the reads; the {@code ns/op} JMH prints are per value. The column benchmarks
 * are per call ({@link MatrixView#column(long)} maps a buffer and registers it with a Cleaner).
 *
 * <p>Written against the accessors that exist before and after the API change of issue 20, so
 * that the same benchmark measures both (docs/BENCHMARKS.md). Run by {@code scripts/bench jmh}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
@State(Scope.Thread)
public class AccessorBench {
    static final int SIDE = 128;
    static final int N = SIDE * SIDE;

    private Namespace ns;
    private MatrixView view;
    private VectorView longs;
    private ArrayPage page;
    private ArrayPage longPage;
    private WritableView writable;
    private double[] heap;
    private DoubleBuffer direct;

    @Setup(Level.Trial)
    public void setUp() {
        ns = Namespace.of("jmh" + ProcessHandle.current().pid());
        heap = new double[N];
        long[] ints = new long[N];
        for (int i = 0; i < N; i++) {
            heap[i] = i * 0.5;
            ints[i] = i;
        }
        ns.register("x", Matrix.of(SIDE, SIDE, heap));
        ns.register("l", ints);
        view = ns.matrix("x");
        longs = ns.vector("l");
        page = ns.allocateMatrix("p", ElementType.FLOAT64, SIDE, SIDE);
        longPage = ns.allocateVector("q", ElementType.INT64, N);
        ns.allocateMatrix("w", ElementType.FLOAT64, SIDE, SIDE);  // unpublished: attachForFilling can map it
        writable = ns.attachForFilling("w");
        direct = ByteBuffer.allocateDirect(N * 8).order(ByteOrder.nativeOrder()).asDoubleBuffer();
        direct.put(heap).flip();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        writable.close();
        ns.close();
    }

    // ---------------------------------------------------------------- baselines (no guard)

    @Benchmark
    @OperationsPerInvocation(N)
    public double heapArrayGet() {
        double s = 0;
        for (int i = 0; i < N; i++) s += heap[i];
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double directBufferGet() {
        double s = 0;
        for (int i = 0; i < N; i++) s += direct.get(i);
        return s;
    }

    // ---------------------------------------------------------------- typed get and set

    @Benchmark
    @OperationsPerInvocation(N)
    public double viewGet() {
        double s = 0;
        for (long i = 0; i < N; i++) s += view.get(i);
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double viewGetRowColumn() {
        double s = 0;
        for (long j = 0; j < SIDE; j++)
            for (long i = 0; i < SIDE; i++) s += view.get(i, j);
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long viewGetLong() {
        long s = 0;
        for (long i = 0; i < N; i++) s += longs.getLong(i);
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double pageSetGet() {
        double s = 0;
        for (long i = 0; i < N; i++) {
            page.set(i, i);
            s += page.get(i);
        }
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void pageSetLong() {
        for (long i = 0; i < N; i++) longPage.setLong(i, i);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double writableSetGetRowColumn() {
        double s = 0;
        for (long j = 0; j < SIDE; j++)
            for (long i = 0; i < SIDE; i++) {
                writable.set(i, j, i);
                s += writable.get(i, j);
            }
        return s;
    }

    // ---------------------------------------------------------------- column buffers

    /** Taking one column buffer (no reads): the mapping, the slice and its Cleaner registration. */
    @Benchmark
    public DoubleBuffer viewColumn() {
        return view.column(7);
    }

    @Benchmark
    public ByteBuffer viewColumnBytes() {
        return view.columnBytes(7);
    }

    /** The column loop a user writes: take each column's buffer once, then read it. */
    @Benchmark
    @OperationsPerInvocation(N)
    public double viewColumnSum() {
        double s = 0;
        for (long j = 0; j < SIDE; j++) {
            DoubleBuffer c = view.column(j);
            for (int i = 0; i < SIDE; i++) s += c.get(i);
        }
        return s;
    }
}
