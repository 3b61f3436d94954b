package org.memshare.spark;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.memshare.NpyHeader;

/**
 * Where the values of a numpy {@code .npy} file are, for {@link HostMatrix#fromFile(org.apache.spark.api.java.JavaSparkContext,
 * String, Path)}: only the layout a host copy can take byte for byte, little-endian float64 in
 * Fortran order (a 2-D array) or any order (1-D, an n x 1 matrix). Other types and C order
 * are refused with the numpy call that converts them; the command line's {@code --npy} reads
 * those too (converting while it copies), but on one host. The header is read by the library's
 * {@link NpyHeader}.
 *
 * @param nrow   rows
 * @param ncol   columns
 * @param offset where the data start
 */
record NpyLayout(long nrow, long ncol, long offset) {
    static NpyLayout read(Path file) throws IOException {
        NpyHeader h = NpyHeader.read(file);
        long[] shape = h.shape();
        if (shape.length < 1 || shape.length > 2)
            throw new IllegalArgumentException(file + " holds an array of shape " + h.shapeText() + "; a host copy is a 1-D or 2-D array");
        boolean vector = shape.length == 1;
        if (!(h.kind() == 'f' && h.itemSize() == 8 && h.order() == ByteOrder.LITTLE_ENDIAN) || !vector && !h.fortranOrder())
            throw new IllegalArgumentException(file + " holds dtype '" + h.dtype() + "' in " + (h.fortranOrder() ? "Fortran" : "C")
                    + " order; a host copy is read byte for byte from little-endian float64 in Fortran order: save it with "
                    + "numpy.save(f, numpy.asfortranarray(x, dtype='<f8'))");
        NpyLayout layout = new NpyLayout(shape[0], vector ? 1 : shape[1], h.dataOffset());
        long needed = layout.offset + Math.multiplyExact(Math.multiplyExact(layout.nrow, layout.ncol), 8L);
        long size = Files.size(file);
        if (size != needed)
            throw new IllegalArgumentException(file + " has " + size + " bytes; its header's " + layout.nrow + " x " + layout.ncol
                    + " float64 values need " + needed);
        return layout;
    }
}
