package org.memshare.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.memshare.ArrayPage;
import org.memshare.ElementType;
import org.memshare.Namespace;

/**
 * {@code memshare select --npy X.npy --target-npy y.npy}: numpy's own files, for Python users.
 * The values are copied from the file into the shared page, not parsed: a float64 matrix in
 * Fortran order (column-major, as the page) is read column by column straight into the page's
 * memory; other element types and C order are read in blocks of a few MiB and converted or
 * transposed on the way. The heap holds one block, never the matrix.
 *
 * <p>The format (numpy's {@code lib.format}, versions 1.0 to 3.0): the magic {@code \x93NUMPY},
 * a version, the header's length, a Python dict literal with {@code descr}, {@code fortran_order}
 * and {@code shape}, then the data. Read: float64, float32, int64, int32, int16, int8, uint8,
 * uint16, little- or big-endian; not read: object arrays (pickles), structured and complex types.
 */
final class NpyFeatures {
    private static final int BLOCK_BYTES = 4 << 20;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-zA-Z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyFeatures() {}

    /** An array's header: element type, byte order, layout, shape, and where the data start. */
    record Header(Path file, char kind, int size, ByteOrder order, boolean fortran, long[] shape, long dataOffset) {
        long count() {
            long c = 1;
            for (long d : shape) c = Math.multiplyExact(c, d);
            return c;
        }

        String dtype() {
            return (order == ByteOrder.BIG_ENDIAN ? ">" : "<") + kind + size;
        }

        /** Element {@code i} of {@code b} (positioned anywhere; absolute index in elements) as a double. */
        double get(ByteBuffer b, int i) {
            int at = i * size;
            switch (kind) {
                case 'f': return size == 8 ? b.getDouble(at) : b.getFloat(at);
                case 'i': return size == 8 ? b.getLong(at) : size == 4 ? b.getInt(at) : size == 2 ? b.getShort(at) : b.get(at);
                default: return size == 1 ? b.get(at) & 0xff : b.getShort(at) & 0xffff;  // 'u'
            }
        }
    }

    static FeatureData read(Path x, Path y, Path namesFile, boolean targetDiscrete, boolean allowMissing) {
        Header hx = header(x), hy = header(y);
        if (hx.shape().length != 2)
            throw fail(x + " holds an array of shape " + shape(hx) + "; --npy wants a matrix (observations x features)");
        long n = hx.shape()[0], p = hx.shape()[1];
        boolean column = hy.shape().length == 1 || hy.shape().length == 2 && hy.shape()[1] == 1;
        if (!column || hy.shape()[0] != n)
            throw fail(y + " holds shape " + shape(hy) + "; --target-npy wants " + n + " values (shape (" + n + ",) or (" + n + ", 1)), "
                    + "one per row of " + x);
        if (n < 3) throw fail(x + " has " + n + " rows; at least 3 are needed");
        if (n > Integer.MAX_VALUE - 8 || p > Integer.MAX_VALUE - 8) throw fail(x + " has more rows or columns than select ranks");
        String targetName = targetName(y);
        double[] target = new double[(int) n];
        try (FileChannel in = FileChannel.open(y, StandardOpenOption.READ)) {
            copy(in, hy, hy.dataOffset(), (int) n, DoubleBuffer.wrap(target));
        } catch (IOException e) {
            throw fail("cannot read " + y + ": " + MemshareCli.oneLine(String.valueOf(e.getMessage())));
        }
        if (!targetDiscrete && !allowMissing)
            for (int i = 0; i < n; i++)
                if (!Double.isFinite(target[i]))
                    throw fail(y + ": the target '" + targetName + "' has a missing or non-finite value in row " + (i + 1)
                            + "; use --na-rm to drop such rows, or --discrete " + targetName + " if it is a category");
        List<String> names = SharedSelection.names(namesFile, p, x.toString());
        FeatureData.Columns columns = (space, name, rows, members) -> put(hx, space, name, members, names, allowMissing);
        return new FeatureData(x.toString(), (int) n, names, columns, new boolean[(int) p], targetName, target, targetDiscrete,
                List.of());
    }

    /** Copies the columns {@code members} of the file into a new page {@code name}, published. */
    private static void put(Header h, Namespace space, String name, int[] members, List<String> names, boolean allowMissing) {
        int n = (int) h.shape()[0];
        long p = h.shape()[1];
        ArrayPage page = space.allocateMatrix(name, ElementType.FLOAT64, n, members.length);
        boolean done = false;
        try (FileChannel in = FileChannel.open(h.file(), StandardOpenOption.READ)) {
            boolean direct = h.fortran() && h.kind() == 'f' && h.size() == 8 && h.order() == ByteOrder.nativeOrder();
            if (h.fortran()) {
                for (int k = 0; k < members.length; k++) {
                    long start = h.dataOffset() + (long) members[k] * n * h.size();
                    if (direct) fill(in, page.columnBytes(k), start, (long) n * 8, h.file());
                    else copy(in, h, start, n, page.column(k));
                    if (!allowMissing) requireFinite(h, page.column(k), n, members[k], names);
                }
            } else {
                // C order: rows of p values; a block of whole rows at a time, scattered into the columns.
                long rowBytes = p * h.size();
                int rowsPerBlock = (int) Math.max(1, Math.min(n, BLOCK_BYTES / rowBytes));
                ByteBuffer block = ByteBuffer.allocate((int) (rowsPerBlock * rowBytes)).order(h.order());
                double[] run = new double[rowsPerBlock];
                DoubleBuffer[] columns = new DoubleBuffer[members.length];
                for (int k = 0; k < members.length; k++) columns[k] = page.column(k);
                for (int i = 0; i < n; ) {
                    int m = Math.min(n - i, rowsPerBlock);
                    fill(in, block, h.dataOffset() + i * rowBytes, (int) (m * rowBytes), h.file());
                    for (int k = 0; k < members.length; k++) {
                        for (int r = 0; r < m; r++) run[r] = h.get(block, (int) (r * p + members[k]));
                        columns[k].put(i, run, 0, m);
                    }
                    i += m;
                }
                if (!allowMissing) for (int k = 0; k < members.length; k++) requireFinite(h, columns[k], n, members[k], names);
            }
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
        ByteBuffer block = ByteBuffer.allocate((int) Math.min((long) n * h.size(), BLOCK_BYTES)).order(h.order());
        for (int i = 0; i < n; ) {
            int m = Math.min(n - i, block.capacity() / h.size());
            fill(in, block, start + (long) i * h.size(), m * h.size(), h.file());
            for (int r = 0; r < m; r++) into.put(i + r, h.get(block, r));
            i += m;
        }
    }

    /** Without --na-rm a non-finite value is an error naming its row and column (1-based). */
    private static void requireFinite(Header h, DoubleBuffer column, int n, int j, List<String> names) {
        for (int i = 0; i < n; i++)
            if (!Double.isFinite(column.get(i)))
                throw fail(h.file() + ": row " + (i + 1) + ", column " + (j + 1) + " ('" + names.get(j) + "') has a missing or "
                        + "non-finite value; use --na-rm to drop such rows");
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
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lead = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            while (lead.hasRemaining() && in.read(lead) >= 0) { /* read on */ }
            byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
            for (int i = 0; i < magic.length; i++)
                if (lead.position() <= i || lead.get(i) != magic[i])
                    throw fail(file + " is not a numpy .npy file (it does not start with \\x93NUMPY)");
            int major = lead.get(6);
            if (major < 1 || major > 3) throw fail(file + " is a .npy file of format version " + major + ", which select does not read");
            long length = major == 1 ? lead.getShort(8) & 0xffff : lead.getInt(8) & 0xffffffffL;
            long start = major == 1 ? 10 : 12;
            if (length > 1 << 20) throw fail(file + ": its .npy header claims " + length + " bytes");
            ByteBuffer text = ByteBuffer.allocate((int) length);
            while (text.hasRemaining() && in.read(text, start + text.position()) >= 0) { /* read on */ }
            String dict = new String(text.array(), 0, text.position(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Header h = parse(file, dict, start + length);
            long needed = h.dataOffset() + Math.multiplyExact(h.count(), (long) h.size());
            if (in.size() < needed)
                throw fail(file + " is truncated: shape " + shape(h) + " of " + h.dtype() + " needs " + needed + " bytes, the file has "
                        + in.size());
            return h;
        } catch (NoSuchFileException e) {
            throw fail("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw fail("cannot read " + file + ": " + MemshareCli.oneLine(String.valueOf(e.getMessage())));
        } catch (ArithmeticException e) {
            throw fail(file + ": its shape is too large");
        }
    }

    private static Header parse(Path file, String dict, long dataOffset) {
        Matcher d = DESCR.matcher(dict), f = FORTRAN.matcher(dict), s = SHAPE.matcher(dict);
        if (!d.find()) {
            Matcher any = Pattern.compile("'descr'\\s*:\\s*(\\[.*?\\]|'[^']*')").matcher(dict);
            throw fail(file + " holds dtype " + (any.find() ? any.group(1) : "(none)") + "; select reads float64, float32, int64, "
                    + "int32, int16, int8, uint8 and uint16 (not object arrays, structured or complex types)");
        }
        char kind = d.group(2).charAt(0);
        int size = Integer.parseInt(d.group(3));
        boolean supported = kind == 'f' && (size == 8 || size == 4) || kind == 'i' && (size == 8 || size == 4 || size == 2 || size == 1)
                || kind == 'u' && (size == 1 || size == 2);
        if (!supported)
            throw fail(file + " holds dtype '" + d.group(1) + kind + size + "'; select reads float64, float32, int64, int32, int16, "
                    + "int8, uint8 and uint16 (not object arrays, structured or complex types)");
        if (!f.find() || !s.find()) throw fail(file + ": its .npy header has no fortran_order or shape: " + dict.strip());
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) if (!part.isBlank()) dims.add(Long.parseLong(part.strip().replace("L", "")));
        ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN
                : d.group(1).equals("=") ? ByteOrder.nativeOrder() : ByteOrder.LITTLE_ENDIAN;
        return new Header(file, kind, size, order, f.group(1).equals("True"), dims.stream().mapToLong(Long::longValue).toArray(),
                dataOffset);
    }

    private static String shape(Header h) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < h.shape().length; i++) b.append(i > 0 ? ", " : "").append(h.shape()[i]);
        return b.append(h.shape().length == 1 ? ",)" : ")").toString();
    }

    private static MemshareCli.CliException fail(String message) {
        return new MemshareCli.CliException(message);
    }
}
