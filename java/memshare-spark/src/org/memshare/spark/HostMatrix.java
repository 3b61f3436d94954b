package org.memshare.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaSparkContext;
import org.memshare.Matrix;
import org.memshare.MatrixView;

/**
 * A matrix named on the driver for the whole application, held once per host in shared memory.
 * Created on the driver ({@link #broadcast}, {@link #fromFile}) and shipped to tasks inside their
 * closures (it is small: names, shape and where the data comes from). On an executor,
 * {@link #view()} returns a read-only view of the host's one copy: the first task on a host that
 * needs it registers it (only one wins the exclusive create; the others wait for it to publish),
 * every other task and executor of the host attaches. Views are cached per executor JVM;
 * {@link MemsharePlugin} releases them and the copy the executor owns when it stops.
 *
 * <p>The segments are named {@code <namespace>.x} in a namespace derived from the application id
 * and the matrix's sequence number in the application (e.g. {@code ms3k9x0q2a_1}), short enough
 * for macOS's 31 characters.
 */
public final class HostMatrix implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The variable name inside the namespace: short, so that namespace names can be long enough to be unique. */
    static final String VARIABLE = "x";
    /** Spark configuration key: how long a task waits for another process on its host to publish the copy. */
    public static final String PUBLISH_TIMEOUT_KEY = "spark.memshare.publishTimeout";
    private static final String PUBLISH_TIMEOUT_DEFAULT = "10min";
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final String name;
    private final String namespace;
    private final long nrow;
    private final long ncol;
    private final HostSource source;
    private final long publishTimeoutMillis;

    HostMatrix(String name, String namespace, long nrow, long ncol, HostSource source, long publishTimeoutMillis) {
        this.name = name;
        this.namespace = namespace;
        this.nrow = nrow;
        this.ncol = ncol;
        this.source = source;
        this.publishTimeoutMillis = publishTimeoutMillis;
    }

    /**
     * A matrix carried to the hosts by Spark's own broadcast (for small and medium data): the
     * executor that registers a host's copy reads the broadcast value once; the others attach to
     * the copy and never deserialize it. Float64 only (R's type); the matrix is copied.
     *
     * @param sc   the application
     * @param name what the matrix is called in messages and progress
     * @param m    the values, column-major, float64
     */
    public static HostMatrix broadcast(JavaSparkContext sc, String name, Matrix m) {
        Objects.requireNonNull(m, "matrix");
        if (!(m instanceof Matrix.OfDouble d))
            throw new IllegalArgumentException("HostMatrix '" + name + "': only float64 matrices, not " + m.elementType());
        double[] values = d.data();
        return create(sc, name, m.nrow(), m.ncol(), new HostSource.Broadcast(sc.broadcast(values)));
    }

    /**
     * A matrix read on each host from {@code file}, streamed into the host's page with no copy on
     * the Java heap (for data of any size): a raw file of {@code 8 · nrow · ncol} bytes of
     * little-endian float64 values, column-major (R's and Fortran's order; numpy's
     * {@code x.T.astype('<f8').tofile(f)} writes one). Every host must read it at the same path
     * (a shared file system, or the same file copied to each host); its size is checked here.
     *
     * @throws IllegalArgumentException naming the file, if it does not exist or has the wrong size
     */
    public static HostMatrix fromFile(JavaSparkContext sc, String name, Path file, long nrow, long ncol) {
        Objects.requireNonNull(file, "file");
        if (nrow < 0 || ncol < 0) throw new IllegalArgumentException("HostMatrix '" + name + "': negative shape " + nrow + " x " + ncol);
        Path abs = file.toAbsolutePath();
        long size;
        try {
            size = Files.size(abs);
        } catch (IOException e) {
            throw new IllegalArgumentException("HostMatrix '" + name + "': cannot read " + abs + ": " + e, e);
        }
        long want = Math.multiplyExact(Math.multiplyExact(nrow, ncol), 8L);
        if (size != want)
            throw new IllegalArgumentException(String.format(Locale.ROOT, "HostMatrix '%s': %s has %d bytes; a %d x %d float64 matrix "
                    + "has %d", name, abs, size, nrow, ncol, want));
        return create(sc, name, nrow, ncol, new HostSource.RawFile(abs.toString(), 0, want));
    }

    /**
     * A matrix read on each host from a numpy {@code .npy} file at the same path on every host,
     * streamed into the page as {@link #fromFile(JavaSparkContext, String, Path, long, long)} does:
     * little-endian float64 in Fortran order ({@code numpy.save(f, numpy.asfortranarray(x,
     * dtype='<f8'))}), or a 1-D array as an n x 1 matrix; the shape comes from its header.
     *
     * @throws IllegalArgumentException naming the file and the numpy call that converts it, for
     *                                  other types, C order, or a size that does not match the header
     */
    public static HostMatrix fromFile(JavaSparkContext sc, String name, Path npyFile) {
        Path abs = Objects.requireNonNull(npyFile, "file").toAbsolutePath();
        NpyLayout layout;
        try {
            layout = NpyLayout.read(abs);
        } catch (IOException e) {
            throw new IllegalArgumentException("HostMatrix '" + name + "': cannot read " + abs + ": " + e, e);
        }
        return create(sc, name, layout.nrow(), layout.ncol(), new HostSource.RawFile(abs.toString(), layout.offset(),
                8 * layout.nrow() * layout.ncol()));
    }

    private static HostMatrix create(JavaSparkContext sc, String name, long nrow, long ncol, HostSource source) {
        Objects.requireNonNull(name, "name");
        String ns = HostNames.namespace(sc.sc().applicationId(), SEQUENCE.incrementAndGet());
        long timeout = sc.getConf().getTimeAsMs(PUBLISH_TIMEOUT_KEY, PUBLISH_TIMEOUT_DEFAULT);
        return new HostMatrix(name, ns, nrow, ncol, source, timeout);
    }

    /**
     * The host's copy, read-only and zero-copy, cached for this JVM (do not close it: the cache
     * and {@link MemsharePlugin} own it). Registers the copy if no process on this host has; waits
     * (up to {@value #PUBLISH_TIMEOUT_DEFAULT}, {@link #PUBLISH_TIMEOUT_KEY}) while another one fills
     * it; takes over from a filler that died.
     *
     * @throws HostMatrixException if the copy cannot be made or the wait runs out, saying why
     */
    public MatrixView view() {
        return HostCopies.view(this);
    }

    /** What the matrix is called in messages. */
    public String name() {
        return name;
    }

    /** The namespace of the host copies' segments. */
    public String namespace() {
        return namespace;
    }

    /** The variable name of the host copies' segments in {@link #namespace()}. */
    public String variable() {
        return VARIABLE;
    }

    public long nrow() {
        return nrow;
    }

    public long ncol() {
        return ncol;
    }

    /** The same matrix with another publish timeout (tests of the bounded wait). */
    HostMatrix withPublishTimeout(long millis) {
        return new HostMatrix(name, namespace, nrow, ncol, source, millis);
    }

    HostSource source() {
        return source;
    }

    long publishTimeoutMillis() {
        return publishTimeoutMillis;
    }

    /** "'X' (ms3k9x0q2a_1.x, 100 x 3)", for messages. */
    String describe() {
        return "'" + name + "' (" + namespace + "." + VARIABLE + ", " + nrow + " x " + ncol + ")";
    }

    @Override
    public String toString() {
        return "HostMatrix" + describe();
    }
}
