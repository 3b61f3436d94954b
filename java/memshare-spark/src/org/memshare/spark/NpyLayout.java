package org.memshare.spark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the values of a numpy {@code .npy} file are, for {@link HostMatrix#fromFile(org.apache.spark.api.java.JavaSparkContext,
 * String, Path)}: only the layout a host copy can take byte for byte, little-endian float64 in
 * Fortran order (a 2-D array) or any order (1-D, an n x 1 matrix). Other types and C order
 * are refused with the numpy call that converts them; the command line's {@code --npy} reads
 * those too (converting while it copies), but on one host.
 *
 * @param nrow   rows
 * @param ncol   columns
 * @param offset where the data start
 */
record NpyLayout(long nrow, long ncol, long offset) {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)?\\s*,?\\s*\\)");

    static NpyLayout read(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lead = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            while (lead.hasRemaining() && in.read(lead) >= 0) { /* read on */ }
            if (lead.position() < 10 || lead.get(0) != (byte) 0x93 || lead.get(1) != 'N' || lead.get(2) != 'U' || lead.get(5) != 'Y')
                throw new IllegalArgumentException(file + " is not a numpy .npy file (it does not start with \\x93NUMPY)");
            int major = lead.get(6);
            long length = major == 1 ? lead.getShort(8) & 0xffff : lead.getInt(8) & 0xffffffffL;
            long start = major == 1 ? 10 : 12;
            if (major < 1 || major > 3 || length > 1 << 20)
                throw new IllegalArgumentException(file + ": a .npy header of version " + major + " and " + length + " bytes is not read");
            ByteBuffer text = ByteBuffer.allocate((int) length);
            while (text.hasRemaining() && in.read(text, start + text.position()) >= 0) { /* read on */ }
            String dict = new String(text.array(), 0, text.position(), StandardCharsets.ISO_8859_1);
            Matcher d = DESCR.matcher(dict), f = FORTRAN.matcher(dict), s = SHAPE.matcher(dict);
            if (!d.find() || !f.find() || !s.find())
                throw new IllegalArgumentException(file + " holds no 1-D or 2-D array of one plain type: " + dict.strip());
            boolean vector = s.group(2) == null;
            if (!d.group(1).equals("<f8") || !vector && f.group(1).equals("False"))
                throw new IllegalArgumentException(file + " holds dtype '" + d.group(1) + "' in " + (f.group(1).equals("True") ? "Fortran"
                        : "C") + " order; a host copy is read byte for byte from little-endian float64 in Fortran order: save it with "
                        + "numpy.save(f, numpy.asfortranarray(x, dtype='<f8'))");
            NpyLayout layout = new NpyLayout(Long.parseLong(s.group(1)), vector ? 1 : Long.parseLong(s.group(2)), start + length);
            long needed = layout.offset + Math.multiplyExact(Math.multiplyExact(layout.nrow, layout.ncol), 8L);
            if (in.size() != needed)
                throw new IllegalArgumentException(file + " has " + in.size() + " bytes; its header's " + layout.nrow + " x " + layout.ncol
                        + " float64 values need " + needed);
            return layout;
        }
    }
}
