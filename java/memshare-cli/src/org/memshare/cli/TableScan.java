package org.memshare.cli;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The first, cheap pass over a table: one walk over its bytes that counts the data rows (so the
 * shared pages can be allocated at their final size before any value is parsed) and cuts the file
 * into chunks at record ends (so that several threads can parse it at once).
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
     * Scans {@code in} to its end. Chunks are cut at the first record end after every
     * {@code chunkBytes} bytes ({@link Long#MAX_VALUE}: one chunk, e.g. for a gzip stream, which
     * cannot be read from the middle).
     */
    static Layout scan(InputStream in, long chunkBytes, String file) throws IOException {
        List<Chunk> chunks = new ArrayList<>();
        byte[] buf = new byte[1 << 20];
        boolean quoted = false, content = false, header = true;
        long pos = 0, lines = 0, chunkStart = 0, chunkLine = 1;
        long rows = 0, chunkFirstRow = 0;
        for (int got; (got = in.readNBytes(buf, 0, buf.length)) > 0; pos += got) {
            for (int i = 0; i < got; ) {
                // Eight bytes at a time while none is a quote or a line feed: most of a numeric table.
                if (i + 8 <= got) {
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
                    content = true;
                } else if (b == '\n') {
                    lines++;
                    if (quoted) continue;
                    if (content) {
                        if (header) header = false;
                        else rows++;
                        content = false;
                    }
                    long next = pos + i;
                    if (next - chunkStart >= chunkBytes && !header) {
                        chunks.add(new Chunk(chunkStart, next, (int) chunkFirstRow, (int) (rows - chunkFirstRow), chunkLine,
                                chunkStart == 0));
                        chunkStart = next;
                        chunkLine = lines + 1;
                        chunkFirstRow = rows;
                    }
                } else if (b != '\r') {
                    content = true;
                }
            }
            if (rows > Integer.MAX_VALUE - 1)
                throw new MemshareCli.CliException(file + " has more than " + Integer.MAX_VALUE + " data rows");
        }
        if (content && !header) rows++;  // a last record without a line feed
        if (pos > chunkStart || chunks.isEmpty())
            chunks.add(new Chunk(chunkStart, pos, (int) chunkFirstRow, (int) (rows - chunkFirstRow), chunkLine, chunkStart == 0));
        return new Layout((int) rows, List.copyOf(chunks));
    }

    /** One chunk for the whole file, holding {@code rows} data rows, for a file parsed in one piece. */
    static Layout whole(long size, int rows) {
        return new Layout(rows, List.of(new Chunk(0, size, 0, rows, 1, true)));
    }
}
