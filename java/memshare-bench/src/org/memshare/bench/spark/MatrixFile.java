package org.memshare.bench.spark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writes a matrix as HostMatrix.fromFile reads it: raw little-endian float64, column-major. */
final class MatrixFile {
    private MatrixFile() {}

    static void write(Path file, double[] columnMajor) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            for (int at = 0; at < columnMajor.length; ) {
                buf.clear();
                int n = Math.min(columnMajor.length - at, buf.capacity() / Double.BYTES);
                buf.asDoubleBuffer().put(columnMajor, at, n);
                buf.limit(n * Double.BYTES);
                while (buf.hasRemaining()) ch.write(buf);
                at += n;
            }
        }
    }
}
