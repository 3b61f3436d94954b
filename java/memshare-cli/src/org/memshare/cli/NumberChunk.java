package org.memshare.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import org.memshare.text.NumberText;

/**
 * The first and fastest reader of a chunk ({@link TableScan.Chunk}): the library's native number
 * reader ({@link NumberText}) parses the chunk's bytes straight into the shared pages' columns,
 * through a window of {@link #WINDOW} bytes (grown only for a record longer than that), so the
 * heap holds no part of the file. It takes the plain numeric table R and pandas write; on anything
 * else it declines ({@link #parse} returns false) and the chunk goes to {@link ByteChunk} and then
 * FastCSV, which read all the rest and word the errors (the rows written here are overwritten:
 * same rows). A plan with text columns (labels) is never tried here.
 */
final class NumberChunk {
    static final int WINDOW = 1 << 20;

    private NumberChunk() {}

    /** Whether the native reader can take a chunk of this plan at all. */
    static boolean fits(ChunkParser.Plan plan) {
        if (plan.separator() >= 0x80 || plan.separator() == '"' || plan.separator() == (plan.decimalComma() ? ',' : '.')) return false;
        for (ChunkParser.Role role : plan.role())
            if (role == ChunkParser.Role.LABEL || role == ChunkParser.Role.TARGET_LABEL) return false;
        return true;
    }

    /**
     * Parses the chunk into the page columns ({@code columns[group][slot]}, each the whole column)
     * and the target {@code y}; false when the native reader declines (nothing read is then to be
     * kept). The caller checks {@link #fits} first.
     */
    static boolean parse(FileChannel channel, TableScan.Chunk chunk, ChunkParser.Plan plan, DoubleBuffer[][] columns, double[] y)
            throws IOException {
        int rows = chunk.rows();
        List<NumberText.Cell> cells = new ArrayList<>(plan.width());
        List<DoubleBuffer> outputs = new ArrayList<>(plan.width());
        DoubleBuffer target = null;
        for (int c = 0; c < plan.width(); c++) {
            ChunkParser.Role role = plan.role()[c];
            cells.add(role == ChunkParser.Role.SKIP ? NumberText.Cell.SKIP
                    : plan.finite()[c] ? NumberText.Cell.NUMBER : NumberText.Cell.NUMBER_OR_MISSING);
            if (role == ChunkParser.Role.NUMBER) {
                outputs.add(columns[plan.group()[c]][plan.slot()[c]].slice(chunk.firstRow(), rows));
            } else if (role == ChunkParser.Role.TARGET_NUMBER) {
                // The target lives on the heap (it is small); the native reader writes into a direct buffer.
                target = ByteBuffer.allocateDirect(Double.BYTES * Math.max(1, rows)).order(ByteOrder.nativeOrder()).asDoubleBuffer();
                outputs.add(target);
            } else {
                outputs.add(null);
            }
        }
        NumberText.Plan text = new NumberText.Plan(plan.separator(), plan.decimalComma() ? ',' : '.', cells);
        NumberText.Columns into = NumberText.Columns.of(text, outputs, rows);

        ByteBuffer window = ByteBuffer.allocateDirect((int) Math.min(WINDOW, Math.max(1, chunk.end() - chunk.start())));
        long pos = chunk.start(), end = chunk.end();
        int done = 0;
        boolean header = chunk.header();
        for (;;) {
            if (!window.hasRemaining()) window = grown(window);  // a record longer than the window
            while (window.hasRemaining() && pos < end) {
                int got = channel.read(window.limit((int) Math.min(window.capacity(), window.position() + (end - pos))), pos);
                if (got < 0) throw new IOException("the file got shorter while it was read");
                pos += got;
            }
            boolean last = pos >= end;
            window.flip();
            NumberText.Result r = NumberText.parse(window, last, header, text, into, done);
            if (r.outcome() != NumberText.Outcome.PARSED) return false;
            done += r.rows();
            if (r.consumed() > 0) header = false;
            if (last) break;
            window.position(r.consumed()).compact();
            if (Thread.interrupted()) throw new IOException("interrupted");
        }
        if (done != rows) return false;  // the scan counted otherwise: the next reader finds out why
        if (target != null) target.get(0, y, chunk.firstRow(), rows);
        return true;
    }

    /**
     * The first look ({@link CsvFeatures}' sniff) made cheap: whether the first {@code rows} data
     * rows of the text {@code in} (from its start: a byte order mark, the header, then the data) are
     * all numbers or missing values in columns {@code from} on, read natively. False when the native
     * reader declines anything (text, a ragged row, quotes in numbers): the caller then looks at
     * the rows itself, and finds out what and where. Reads at most {@link #FIRST_LOOK_BYTES}.
     */
    static boolean allNumbers(java.io.InputStream in, char separator, boolean decimalComma, int width, int from, int rows)
            throws IOException {
        char point = decimalComma ? ',' : '.';
        if (separator >= 0x80 || separator == '"' || separator == point) return false;
        List<NumberText.Cell> cells = new ArrayList<>(width);
        List<DoubleBuffer> outputs = new ArrayList<>(width);
        DoubleBuffer scratch = ByteBuffer.allocateDirect(Double.BYTES * rows * Math.max(1, width - from)).order(ByteOrder.nativeOrder())
                .asDoubleBuffer();
        for (int c = 0; c < width; c++) {
            cells.add(c < from ? NumberText.Cell.SKIP : NumberText.Cell.NUMBER_OR_MISSING);
            outputs.add(c < from ? null : scratch.slice((c - from) * rows, rows));
        }
        NumberText.Plan plan = new NumberText.Plan(separator, point, cells);
        NumberText.Columns into = NumberText.Columns.of(plan, outputs, rows);
        byte[] head = new byte[0];
        for (int size = WINDOW; ; size *= 2) {
            byte[] more = in.readNBytes(size - head.length);
            head = java.util.Arrays.copyOf(head, head.length + more.length);
            System.arraycopy(more, 0, head, head.length - more.length, more.length);
            boolean last = head.length < size;
            NumberText.Result r = NumberText.parse(ByteBuffer.allocateDirect(head.length).put(head).flip(), last, true, plan, into, 0);
            if (r.outcome() == NumberText.Outcome.ROW_COUNT) return r.rows() == rows;  // a row more than looked at: all numbers
            if (r.outcome() != NumberText.Outcome.PARSED) return false;
            if (last || r.rows() == rows) return true;
            if (size >= FIRST_LOOK_BYTES) return false;  // rows this long: the caller's look reads them as well as any
        }
    }

    static final int FIRST_LOOK_BYTES = 16 << 20;

    private static ByteBuffer grown(ByteBuffer full) {
        ByteBuffer bigger = ByteBuffer.allocateDirect(2 * full.capacity());
        return bigger.put(full.flip());
    }
}
