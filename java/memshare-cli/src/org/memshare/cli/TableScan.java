package org.memshare.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.memshare.text.RecordScan;

/**
 * The first, cheap pass over a table: a walk over its bytes by several threads at once (the
 * library's native {@link RecordScan}, at memory speed), that
 * counts the data rows (so the shared pages can be allocated at their final size before any value
 * is parsed) and cuts the file into chunks at record ends (so that several threads can parse it
 * at once).
 *
 * <p>A record ends at a line feed outside double quotes (RFC 4180: a quoted cell may hold line
 * feeds, and a doubled quote toggles the state twice, which leaves it unchanged). A line that holds
 * nothing but a carriage return is empty and, as FastCSV is told to, skipped. The parser checks
 * every chunk's row count against this scan; a file where the two disagree (a stray quote in an
 * unquoted cell, old Mac line ends) is parsed again in one piece, counted by the parser itself.
 */
final class TableScan {
    private TableScan() {}

    /**
     * Bytes {@code [start, end)} of the file, holding {@code rows} data rows that begin with data
     * row {@code firstRow} (0-based) on line {@code firstLine} (1-based); the first chunk starts at
     * byte 0 and holds the header record too ({@code header}).
     */
    record Chunk(long start, long end, int firstRow, int rows, long firstLine, boolean header) {}

    /** The data rows of the file (the header not counted), and its chunks in file order. */
    record Layout(int rows, List<Chunk> chunks) {}

    /**
     * One stretch of the file's bytes, {@code [start, end)}, scanned by the library's native
     * {@link RecordScan}, given whether it starts inside quotes: its line feeds, its first record
     * end, the records after that, and whether the bytes since its last record end hold anything.
     */
    static final class Stretch {
        final long start, end;
        final RecordScan scan;

        Stretch(long start, long end, boolean startQuoted) {
            this.start = start;
            this.end = end;
            this.scan = new RecordScan(startQuoted);
        }
    }

    /** Scans a stream (a gzip file, which cannot be read from the middle) to its end: one chunk. */
    static Layout scan(InputStream in, String file) throws IOException {
        Stretch whole = new Stretch(0, Long.MAX_VALUE, false);
        ReadableByteChannel channel = Channels.newChannel(in);
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        long pos = 0;
        for (int got; (got = channel.read(buf.clear())) >= 0; pos += got) whole.scan.feed(buf.flip(), pos);
        return combine(List.of(whole), pos, file);
    }

    /**
     * Starts scanning the file's {@code size} bytes on {@code pool}, in stretches of {@code chunkBytes}, each
     * by one task that assumes it starts outside quotes. Which of them truly starts inside quotes
     * follows from the quotes counted before it (a quote toggles the state, whatever the state);
     * such a stretch (a quoted cell with a line feed across a stretch's start, rare) is scanned
     * again here with that known. The chunks are cut at each stretch's first record end.
     */
    static Pending start(FileChannel channel, long size, long chunkBytes, ExecutorService pool) {
        List<Future<Stretch>> parts = new ArrayList<>();
        for (long start = 0; start < size || parts.isEmpty(); start += chunkBytes) {
            long from = start, to = Math.min(size, start + chunkBytes);
            parts.add(pool.submit(() -> read(channel, new Stretch(from, to, false))));
        }
        return new Pending(channel, size, parts);
    }

    /** A scan under way ({@link #start}); {@link #layout} waits for it. */
    static final class Pending {
        private final FileChannel channel;
        private final long size;
        private final List<Future<Stretch>> parts;

        private Pending(FileChannel channel, long size, List<Future<Stretch>> parts) {
            this.channel = channel;
            this.size = size;
            this.parts = parts;
        }

        /** The layout, once every stretch is scanned (a stretch that starts inside quotes again, here). */
        Layout layout(String file) throws IOException {
            List<Stretch> stretches = new ArrayList<>();
            boolean quoted = false;
            for (Future<Stretch> part : parts) {
                Stretch s = get(part);
                if (quoted) s = read(channel, new Stretch(s.start, s.end, true));
                quoted = s.scan.quoted();
                stretches.add(s);
            }
            return combine(stretches, size, file);
        }
    }

    /** What a task returned, with what it threw unwrapped. */
    static <T> T get(Future<T> part) throws IOException {
        try {
            return part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    private static Stretch read(FileChannel channel, Stretch s) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(1 << 20, Math.max(1, s.end - s.start)));
        for (long pos = s.start; pos < s.end; ) {
            int got = channel.read(buf.clear().limit((int) Math.min(buf.capacity(), s.end - pos)), pos);
            if (got < 0) throw new IOException("the file got shorter while it was read");
            s.scan.feed(buf.flip(), pos);
            pos += got;
        }
        return s;
    }

    /**
     * The rows and chunks of a file of {@code size} bytes from its stretches in file order: the
     * first record is the header, a chunk ends at the first record end of every stretch after the
     * first (once the header has ended).
     */
    private static Layout combine(List<Stretch> stretches, long size, String file) {
        List<Chunk> chunks = new ArrayList<>();
        boolean header = true, content = false;
        long rows = 0, lines = 0, chunkStart = 0, chunkLine = 1, chunkFirstRow = 0;
        for (int k = 0; k < stretches.size(); k++) {
            Stretch s = stretches.get(k);
            if (s.scan.firstEnd() < 0) {
                content |= s.scan.content();
                lines += s.scan.newlines();
                continue;
            }
            if (content || s.scan.contentBefore()) {
                if (header) header = false;
                else rows++;
            }
            if (k > 0 && !header) {
                chunks.add(new Chunk(chunkStart, s.scan.firstEnd(), (int) chunkFirstRow, (int) (rows - chunkFirstRow), chunkLine, chunkStart == 0));
                chunkStart = s.scan.firstEnd();
                chunkLine = lines + s.scan.linesToFirstEnd() + 1;
                chunkFirstRow = rows;
            }
            if (s.scan.recordsAfter() > 0) {
                rows += header ? s.scan.recordsAfter() - 1 : s.scan.recordsAfter();
                header = false;
            }
            lines += s.scan.newlines();
            content = s.scan.content();
            if (rows > Integer.MAX_VALUE - 1)
                throw new MemshareCli.CliException(file + " has more than " + Integer.MAX_VALUE + " data rows");
        }
        if (content && !header) rows++;  // a last record without a line feed
        if (size > chunkStart || chunks.isEmpty())
            chunks.add(new Chunk(chunkStart, size, (int) chunkFirstRow, (int) (rows - chunkFirstRow), chunkLine, chunkStart == 0));
        return new Layout((int) rows, List.copyOf(chunks));
    }

    /** One chunk for the whole file, holding {@code rows} data rows, for a file parsed in one piece. */
    static Layout whole(long size, int rows) {
        return new Layout(rows, List.of(new Chunk(0, size, 0, rows, 1, true)));
    }
}
