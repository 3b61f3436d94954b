package org.memshare.cli;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The first, cheap pass over a table: a walk over its bytes, by several threads at once, that
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
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L, HIGH_BITS = 0x8080808080808080L;
    private static final long CARRIAGE_RETURNS = 0x0d0d0d0d0d0d0d0dL;

    private TableScan() {}

    /** Whether one of the eight bytes of {@code word} is {@code b} (the SWAR zero-byte test on word ^ b...b). */
    private static boolean has(long word, char b) {
        long x = word ^ (ONES * b);
        return ((x - ONES) & ~x & HIGH_BITS) != 0;
    }

    /**
     * Bytes {@code [start, end)} of the file, holding {@code rows} data rows that begin with data
     * row {@code firstRow} (0-based) on line {@code firstLine} (1-based); the first chunk starts at
     * byte 0 and holds the header record too ({@code header}).
     */
    record Chunk(long start, long end, int firstRow, int rows, long firstLine, boolean header) {}

    /** The data rows of the file (the header not counted), and its chunks in file order. */
    record Layout(int rows, List<Chunk> chunks) {}

    /**
     * What one stretch of the file's bytes holds, given whether it starts inside quotes: its
     * line feeds, its first record end, the records after that, and whether the bytes since its
     * last record end (or its start) hold anything (a record without its line feed yet).
     */
    static final class Stretch {
        final long start, end;
        final boolean startQuoted;
        private boolean quoted;
        long quotes, newlines, recordsAfter;
        long firstEnd = -1, linesToFirstEnd;  // just after its first record-ending line feed; the line feeds up to it
        boolean contentBefore, content;

        Stretch(long start, long end, boolean startQuoted) {
            this.start = start;
            this.end = end;
            this.startQuoted = startQuoted;
            this.quoted = startQuoted;
        }

        /** Feeds the stretch's next {@code len} bytes, {@code buf[0, len)}, which begin at file byte {@code at}. */
        void feed(byte[] buf, int len, long at) {
            for (int i = 0; i < len; ) {
                // Eight bytes at a time while none is a quote or a line feed: most of a numeric table.
                if (i + 8 <= len) {
                    long word = (long) LONGS.get(buf, i);
                    if (!has(word, '\n') && !has(word, '"')) {
                        if (word != CARRIAGE_RETURNS) content = true;
                        i += 8;
                        continue;
                    }
                }
                byte b = buf[i++];
                if (b == '"') {
                    quoted = !quoted;
                    quotes++;
                    content = true;
                } else if (b == '\n') {
                    newlines++;
                    if (quoted) continue;
                    if (firstEnd < 0) {
                        firstEnd = at + i;
                        linesToFirstEnd = newlines;
                        contentBefore = content;
                    } else if (content) {
                        recordsAfter++;
                    }
                    content = false;
                } else if (b != '\r') {
                    content = true;
                }
            }
        }

        /** Whether the stretch ends inside quotes. */
        boolean endQuoted() {
            return quoted;
        }
    }

    /** Scans a stream (a gzip file, which cannot be read from the middle) to its end: one chunk. */
    static Layout scan(InputStream in, String file) throws IOException {
        Stretch whole = new Stretch(0, Long.MAX_VALUE, false);
        byte[] buf = new byte[1 << 20];
        long pos = 0;
        for (int got; (got = in.readNBytes(buf, 0, buf.length)) > 0; pos += got) whole.feed(buf, got, pos);
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
                quoted = s.endQuoted();
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
        byte[] buf = new byte[(int) Math.min(256 << 10, Math.max(1, s.end - s.start))];
        for (long pos = s.start; pos < s.end; ) {
            int got = channel.read(ByteBuffer.wrap(buf, 0, (int) Math.min(buf.length, s.end - pos)), pos);
            if (got < 0) throw new IOException("the file got shorter while it was read");
            s.feed(buf, got, pos);
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
            if (s.firstEnd < 0) {
                content |= s.content;
                lines += s.newlines;
                continue;
            }
            if (content || s.contentBefore) {
                if (header) header = false;
                else rows++;
            }
            if (k > 0 && !header) {
                chunks.add(new Chunk(chunkStart, s.firstEnd, (int) chunkFirstRow, (int) (rows - chunkFirstRow), chunkLine, chunkStart == 0));
                chunkStart = s.firstEnd;
                chunkLine = lines + s.linesToFirstEnd + 1;
                chunkFirstRow = rows;
            }
            if (s.recordsAfter > 0) {
                rows += header ? s.recordsAfter - 1 : s.recordsAfter;
                header = false;
            }
            lines += s.newlines;
            content = s.content;
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
