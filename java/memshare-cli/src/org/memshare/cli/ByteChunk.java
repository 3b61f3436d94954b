package org.memshare.cli;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * The fast path of {@link ChunkParser}: cuts a chunk of a table into cells on its raw bytes (no
 * decoding into chars, no per-cell callback object) and hands each cell to
 * {@link ChunkParser#field(int, byte[], int, int)}. It reads what pandas and R write for numbers:
 * unquoted cells, LF or CRLF line ends, a UTF-8 byte order mark at the file's start, empty lines
 * (skipped). In a number column the digits of a plain decimal number are collected as the row is
 * split and turned into a double by {@link DecimalValue}; any other cell goes through
 * {@link Cells}, as FastCSV's cells do. A quote, or a carriage return not followed by a line feed (old Mac line ends), is
 * FastCSV's to read: {@link #parse} then returns false, and the caller parses the chunk again
 * with FastCSV and a fresh {@link ChunkParser} (what this one wrote is overwritten: same rows).
 *
 * <p>The chunk is read through a window of at most {@link #WINDOW} bytes (grown only for a record
 * longer than that), so the heap holds that window, never the file.
 */
final class ByteChunk {
    static final int WINDOW = 256 << 10;  // small beside the heap: a test reads a 46 MiB matrix in a 32 MiB heap

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final ChunkParser parser;
    private final byte sep, point;
    private boolean[] numbers;  // which columns hold numbers, once the header is read
    private long line;
    private int limit;          // records are parsed up to here: just after a line feed
    private double value;       // the last number read by number()

    private ByteChunk(ChunkParser parser, byte sep, byte point, long firstLine) {
        this.parser = parser;
        this.sep = sep;
        this.point = point;
        this.line = firstLine;
    }

    /**
     * The value of eight ASCII digits read as one little-endian word (the first digit in the low
     * byte), or -1 if one of the bytes is not a digit: SWAR, as simdjson and fast_float do it.
     */
    static long eightDigits(long word) {
        long v = word - 0x3030303030303030L;
        if ((((word + 0x4646464646464646L) | v) & 0x8080808080808080L) != 0) return -1;
        v = v * 10 + (v >>> 8);
        return ((v & 0x000000FF000000FFL) * 0x000F424000000064L + ((v >>> 16) & 0x000000FF000000FFL) * 0x0000271000000001L) >>> 32;
    }

    /** Parses the chunk into {@code parser}; false when it holds what only FastCSV reads. */
    static boolean parse(FileChannel channel, TableScan.Chunk chunk, ChunkParser parser, char separator, boolean decimalComma)
            throws IOException {
        if (separator >= 0x80) return false;  // a separator of several UTF-8 bytes
        ByteChunk scanner = new ByteChunk(parser, (byte) separator, (byte) (decimalComma ? ',' : '.'), chunk.firstLine());
        long pos = chunk.start(), end = chunk.end();
        byte[] buf = new byte[(int) Math.min(WINDOW, end - pos) + 1];  // + 1: room for the last record's line feed
        int len = 0, p = 0;
        boolean atStart = chunk.start() == 0;
        for (;;) {
            // Keep the unparsed tail, fill up the rest of the window.
            System.arraycopy(buf, p, buf, 0, len - p);
            len -= p;
            p = 0;
            if (len == buf.length - 1) buf = Arrays.copyOf(buf, 2 * buf.length);  // a record longer than the window
            while (len < buf.length - 1 && pos < end) {
                int got = channel.read(ByteBuffer.wrap(buf, len, (int) Math.min(buf.length - 1 - len, end - pos)), pos);
                if (got < 0) throw new IOException("the file got shorter while it was read");
                pos += got;
                len += got;
            }
            boolean last = pos >= end;
            if (atStart) {
                atStart = false;
                if (len >= 3 && buf[0] == (byte) 0xEF && buf[1] == (byte) 0xBB && buf[2] == (byte) 0xBF) p = 3;  // UTF-8 BOM
            }
            int limit;
            if (last) {
                buf[len] = '\n';  // the last record may lack its line feed
                limit = len + 1;
            } else {
                limit = len;
                while (limit > p && buf[limit - 1] != '\n') limit--;
                if (limit == p) continue;  // no record end in the window yet: read more
            }
            scanner.limit = limit;
            p = scanner.records(buf, p);
            if (p < 0) return false;
            if (last) return true;
        }
    }

    /** The records in {@code buf[p, limit)}: the position reached (limit), or -1 where FastCSV must read the chunk. */
    private int records(byte[] buf, int p) {
        while (p < limit) {
            byte b = buf[p];
            if (b == '\n' || b == '\r' && buf[p + 1] == '\n') {  // an empty line
                p += b == '\n' ? 1 : 2;
                line++;
                continue;
            }
            parser.begin(line);
            if (numbers == null && !parser.inHeader()) numbers = parser.numberColumns();
            p = record(buf, p);
            if (p < 0) return -1;
            line++;
        }
        return p;
    }

    /** The record at {@code p}: the position after its line end, or -1. */
    private int record(byte[] buf, int p) {
        boolean[] numbers = this.numbers;
        int c = 0;
        for (;;) {
            int at = numbers != null && c < numbers.length && numbers[c] ? number(buf, p) : -1;
            if (at >= 0) {
                parser.number(c++, value);
                p = at;
            } else {
                int s = p;
                byte b;
                while ((b = buf[p]) != sep && b != '\n' && b != '\r' && b != '"') p++;
                if (b == '"') return -1;
                parser.field(c++, buf, s, p - s);
            }
            byte b = buf[p];  // the separator or the line end
            if (b == sep) {
                p++;
                continue;
            }
            if (b == '\r' && buf[++p] != '\n') return -1;  // a carriage return alone: old Mac line ends
            parser.record(c);
            return p + 1;
        }
    }

    /**
     * The cell at {@code p} as a plain decimal number ([sign] digits [point digits] [e [sign]
     * digits], at most 19 digits): its value into {@link #value}, and the position of the separator
     * or line end after it; -1 for any other cell (blanks, NA, inf, text, more digits), which is
     * then read as any cell is.
     */
    private int number(byte[] buf, int p) {
        boolean negative = false;
        byte b = buf[p];
        if (b == '-' || b == '+') {
            negative = b == '-';
            p++;
        }
        long w = 0;  // unsigned: exact while there are at most 19 digits
        int digits = 0, q = 0, d;
        while ((d = buf[p] - '0') >= 0 && d <= 9) {
            w = 10 * w + d;
            digits++;
            p++;
        }
        if (buf[p] == point) {
            int from = ++p;
            for (long eight; p + 8 <= limit && (eight = eightDigits((long) LONGS.get(buf, p))) >= 0; p += 8)
                w = 100_000_000L * w + eight;
            while ((d = buf[p] - '0') >= 0 && d <= 9) {
                w = 10 * w + d;
                p++;
            }
            digits += p - from;
            q = from - p;
        }
        if (digits == 0 || digits > 19) return -1;
        b = buf[p];
        if (b == 'e' || b == 'E') {
            b = buf[++p];
            boolean down = b == '-';
            if (b == '-' || b == '+') p++;
            int e = 0, from = p;
            while ((d = buf[p] - '0') >= 0 && d <= 9 && p - from < 6) {
                e = 10 * e + d;
                p++;
            }
            if (p == from) return -1;
            q += down ? -e : e;
            b = buf[p];
        }
        if (b != sep && b != '\n' && !(b == '\r' && buf[p + 1] == '\n')) return -1;
        double v = DecimalValue.of(w, q, negative);
        if (v != v) return -1;  // NaN: the value needs FastDoubleParser
        value = v;
        return p;
    }
}
