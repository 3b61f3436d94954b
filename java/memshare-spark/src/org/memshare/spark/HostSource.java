package org.memshare.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.spark.broadcast.Broadcast;
import org.memshare.ArrayPage;

/** Where a host's copy comes from: how the executor that registers it fills its page. */
interface HostSource extends Serializable {
    /** Writes every value of the matrix into {@code page} (allocated at its shape, not yet published). */
    void fill(ArrayPage page, long nrow, long ncol) throws IOException;

    /** Spark's broadcast of the column-major values: read once per host, by the filler. */
    record Broadcast(org.apache.spark.broadcast.Broadcast<double[]> values) implements HostSource {
        @Override
        public void fill(ArrayPage page, long nrow, long ncol) {
            double[] v = values.value();
            page.copyFrom(0, v, 0, v.length);
        }
    }

    /** A raw column-major little-endian float64 file, read straight into the page, column by column. */
    record RawFile(String path, long bytes) implements HostSource {
        @Override
        public void fill(ArrayPage page, long nrow, long ncol) throws IOException {
            try (FileChannel ch = FileChannel.open(Path.of(path), StandardOpenOption.READ)) {
                if (ch.size() != bytes)
                    throw new IOException(path + " has " + ch.size() + " bytes on this host, " + bytes + " on the driver");
                long position = 0;
                for (long j = 0; j < ncol; j++) {
                    ByteBuffer column = page.columnBytes(j);
                    while (column.hasRemaining()) {
                        int n = ch.read(column, position);
                        if (n < 0) throw new IOException(path + " ended at byte " + position + " of " + bytes);
                        position += n;
                    }
                }
            }
        }
    }
}
