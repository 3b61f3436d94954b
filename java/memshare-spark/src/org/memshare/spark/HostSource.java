package org.memshare.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.spark.SparkEnv;
import org.memshare.ArrayPage;

/** Where a host's copy comes from: how the executor that registers it fills its page. */
interface HostSource extends Serializable {
    /** Writes every value of the matrix into {@code page} (allocated at its shape, not yet published). */
    void fill(ArrayPage page, long nrow, long ncol) throws IOException;

    /**
     * Spark's broadcast of the column-major values: read once per host, by the filler, which then
     * drops its blocks of the broadcast (the deserialized value and the torrent pieces, about
     * 2.2 times the data on its heap) so that the host keeps the one copy in shared memory only.
     */
    record Broadcast(org.apache.spark.broadcast.Broadcast<double[]> values) implements HostSource {
        @Override
        public void fill(ArrayPage page, long nrow, long ncol) {
            double[] v = values.value();
            page.copyFrom(0, v, 0, v.length);
            dropLocalBlocks(values.id());
        }

        /**
         * Removes this executor's blocks of broadcast {@code id}; never on the driver (executor id
         * "driver", SparkContext.DRIVER_IDENTIFIER), which serves the broadcast.
         */
        private static void dropLocalBlocks(long id) {
            try {
                SparkEnv env = SparkEnv.get();
                if (env != null && !"driver".equals(env.executorId()))
                    env.blockManager().removeBroadcast(id, true);
            } catch (RuntimeException | LinkageError e) {
                // Only memory is at stake: the copy is published either way; Spark evicts the blocks in time.
            }
        }
    }

    /**
     * Column-major little-endian float64 values from byte {@code offset} of a file (a raw file,
     * or a .npy file's data), read straight into the page, column by column.
     */
    record RawFile(String path, long offset, long bytes) implements HostSource {
        @Override
        public void fill(ArrayPage page, long nrow, long ncol) throws IOException {
            try (FileChannel ch = FileChannel.open(Path.of(path), StandardOpenOption.READ)) {
                if (ch.size() != offset + bytes)
                    throw new IOException(path + " has " + ch.size() + " bytes on this host, " + (offset + bytes) + " on the driver");
                long position = offset;
                for (long j = 0; j < ncol; j++) {
                    ByteBuffer column = page.columnBytes(j);
                    while (column.hasRemaining()) {
                        int n = ch.read(column, position);
                        if (n < 0) throw new IOException(path + " ended at byte " + position + " of " + (offset + bytes));
                        position += n;
                    }
                }
            }
        }
    }
}
