package org.memshare.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.memshare.ArrayPage;
import org.memshare.ElementType;
import org.memshare.Namespace;
import org.memshare.NpyHeader;

/**
 * {@code memshare select --npy X.npy --target-npy y.npy}: numpy's own files, for Python users.
 * The values are copied from the file into the shared page, not parsed: a float64 matrix in
 * Fortran order (column-major, as the page) is read column by column straight into the page's
 * memory; other element types and C order are read in blocks of a few MiB and converted or
 * transposed on the way. The heap holds one block, never the matrix.
 *
 * <p>The header is read by the library's {@link NpyHeader} (numpy's format versions 1.0 to 3.0;
 * float64, float32, int64, int32, int16, int8, uint8, uint16, little- or big-endian; not object
 * arrays, structured or complex types).
 */
final class NpyFeatures {
    private static final int BLOCK_BYTES = 4 << 20;

    private NpyFeatures() {}

    /** A file's .npy header ({@link NpyHeader}, the library's one reader) and the file it came from. */
    record Header(Path file, NpyHeader npy) {}

    static FeatureData read(Path x, Path y, Path namesFile, boolean targetDiscrete, boolean allowMissing) {
        Header hx = header(x), hy = header(y);
        if (hx.npy().shape().length != 2)
            throw fail(x + " holds an array of shape " + hx.npy().shapeText() + "; --npy wants a matrix (observations x features)");
        long n = hx.npy().shape()[0], p = hx.npy().shape()[1];
        boolean column = hy.npy().shape().length == 1 || hy.npy().shape().length == 2 && hy.npy().shape()[1] == 1;
        if (!column || hy.npy().shape()[0] != n)
            throw fail(y + " holds shape " + hy.npy().shapeText() + "; --target-npy wants " + n + " values (shape (" + n + ",) or (" + n + ", 1)), "
                    + "one per row of " + x);
        if (n < 3) throw fail(x + " has " + n + " rows; at least 3 are needed");
        if (n > Integer.MAX_VALUE - 8 || p > Integer.MAX_VALUE - 8) throw fail(x + " has more rows or columns than select ranks");
        String targetName = targetName(y);
        double[] target = new double[(int) n];
        try (FileChannel in = FileChannel.open(y, StandardOpenOption.READ)) {
            copy(in, hy, hy.npy().dataOffset(), (int) n, DoubleBuffer.wrap(target));
        } catch (IOException e) {
            throw fail("cannot read " + y + ": " + MemshareCli.oneLine(String.valueOf(e.getMessage())));
        }
        List<String> names = SharedSelection.names(namesFile, p, x.toString());
        FeatureData.Columns columns = (space, name, rows, members) -> put(hx, space, name, members, names, allowMissing);
        return new FeatureData(x.toString(), (int) n, names, columns, new boolean[(int) p], targetName, target, targetDiscrete,
                List.of());
    }

    /** Copies the columns {@code members} of the file into a new page {@code name}, published. */
    private static void put(Header h, Namespace space, String name, int[] members, List<String> names, boolean allowMissing) {
        int n = (int) h.npy().shape()[0];
        long p = h.npy().shape()[1];
        ArrayPage page = space.allocateMatrix(name, ElementType.FLOAT64, n, members.length);
        boolean done = false;
        try (FileChannel in = FileChannel.open(h.file(), StandardOpenOption.READ)) {
            boolean direct = h.npy().fortranOrder() && h.npy().kind() == 'f' && h.npy().itemSize() == 8 && h.npy().order() == ByteOrder.nativeOrder();
            if (h.npy().fortranOrder()) {
                for (int k = 0; k < members.length; k++) {
                    long start = h.npy().dataOffset() + (long) members[k] * n * h.npy().itemSize();
                    if (direct) fill(in, page.columnBytes(k), start, (long) n * 8, h.file());
                    else copy(in, h, start, n, page.column(k));
                }
            } else {
                // C order: rows of p values; a block of whole rows at a time, scattered into the columns.
                long rowBytes = p * h.npy().itemSize();
                int rowsPerBlock = (int) Math.max(1, Math.min(n, BLOCK_BYTES / rowBytes));
                ByteBuffer block = ByteBuffer.allocate((int) (rowsPerBlock * rowBytes)).order(h.npy().order());
                double[] run = new double[rowsPerBlock];
                DoubleBuffer[] columns = new DoubleBuffer[members.length];
                for (int k = 0; k < members.length; k++) columns[k] = page.column(k);
                for (int i = 0; i < n; ) {
                    int m = Math.min(n - i, rowsPerBlock);
                    fill(in, block, h.npy().dataOffset() + i * rowBytes, (int) (m * rowBytes), h.file());
                    for (int k = 0; k < members.length; k++) {
                        for (int r = 0; r < m; r++) run[r] = h.npy().get(block, (int) (r * p + members[k]));
                        columns[k].put(i, run, 0, m);
                    }
                    i += m;
                }
            }
            if (!allowMissing) Decisions.requireFinite(h.file().toString(), page, members, names);
            page.publish();
            done = true;
        } catch (IOException e) {
            throw fail("cannot read " + h.file() + ": " + MemshareCli.oneLine(String.valueOf(e.getMessage())));
        } finally {
            if (!done) page.close();
        }
    }

    /** The name of the target read from {@code y}: its file's name without {@code .npy}. */
    static String targetName(Path y) {
        return y.getFileName().toString().replaceFirst("(?i)\\.npy$", "");
    }

    /** Copies {@code n} consecutive elements from {@code start} into {@code into}, a block at a time, converted to double. */
    private static void copy(FileChannel in, Header h, long start, int n, DoubleBuffer into) throws IOException {
        ByteBuffer block = ByteBuffer.allocate((int) Math.min((long) n * h.npy().itemSize(), BLOCK_BYTES)).order(h.npy().order());
        for (int i = 0; i < n; ) {
            int m = Math.min(n - i, block.capacity() / h.npy().itemSize());
            fill(in, block, start + (long) i * h.npy().itemSize(), m * h.npy().itemSize(), h.file());
            for (int r = 0; r < m; r++) into.put(i + r, h.npy().get(block, r));
            i += m;
        }
    }

    /** Reads exactly {@code length} bytes at {@code position} into {@code into} from its start. */
    private static void fill(FileChannel in, ByteBuffer into, long position, long length, Path file) throws IOException {
        into.clear().limit((int) length);
        while (into.hasRemaining()) {
            int got = in.read(into, position + into.position());
            if (got < 0) throw fail(file + " is truncated: it ends before its data do (at byte " + (position + into.position()) + ")");
        }
    }

    // ---------------------------------------------------------------- the header

    static Header header(Path file) {
        try {
            return new Header(file, NpyHeader.read(file));
        } catch (NoSuchFileException e) {
            throw fail("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw fail("cannot read " + file + ": " + MemshareCli.oneLine(String.valueOf(e.getMessage())));
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    private static MemshareCli.CliException fail(String message) {
        return new MemshareCli.CliException(message);
    }
}
