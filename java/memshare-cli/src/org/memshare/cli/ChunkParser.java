package org.memshare.cli;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.RecordType;
import java.nio.DoubleBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses one chunk of a table ({@link TableScan.Chunk}) straight into the shared pages: FastCSV
 * hands over each cell as a slice of its char buffer, {@link Cells#parse} reads the number from
 * there (no String per cell), and the values of a few rows gather in a small block that is then
 * written into each page column at once (column-major pages, row-major files: the block turns
 * the scattered writes of one row into one run per column). The heap holds the block only, never
 * the matrix.
 *
 * <p>What it finds besides numbers it reports instead of throwing, so that the caller can judge
 * the whole file: the first text in each numeric column ({@link #text}), the first missing value
 * where none may be ({@link #missing}); a ragged row ends the chunk ({@link Stop}); more rows than
 * the scan counted, or fewer, is a {@link Miscount}.
 */
final class ChunkParser extends AbstractBaseCsvCallbackHandler<Boolean> {
    /** What a column of the file becomes. */
    enum Role { SKIP, NUMBER, LABEL, TARGET_NUMBER, TARGET_LABEL }

    /**
     * The same for every chunk: per file column its role, its page ({@code group}: 0 continuous,
     * 1 discrete) and column there ({@code slot}), and whether its values must be finite; whether
     * numbers have decimal commas.
     */
    record Plan(String file, char separator, String[] names, Role[] role, int[] group, int[] slot, boolean[] finite, int[] groupWidth,
                boolean decimalComma) {
        int width() {
            return names.length;
        }
    }

    /** Where a numeric column first held text. */
    record Text(String cell, long line) {}

    /** A problem that makes the file unreadable: ends the chunk. */
    static final class Stop extends RuntimeException {
        Stop(String message) {
            super(message, null, false, false);
        }
    }

    /** The chunk held a different number of rows than the scan counted. */
    static final class Miscount extends RuntimeException {
        Miscount() {
            super("the scan and the parser disagree on the rows", null, false, false);
        }
    }

    private final Plan plan;
    private final TableScan.Chunk chunk;
    private DoubleBuffer[][] columns;        // [group][slot]: this chunk's own buffer objects; null once finished
    private final double[] target;
    private double[][] block;                // [group][slot * blockRows + row in block]; null once finished
    private final int blockRows;
    private final Cells.Cell cell = new Cells.Cell();
    private byte[] utf8 = new byte[256];
    private boolean headerPending;
    private long line;
    private boolean multiLineCell;  // the current row has a quoted cell spanning lines
    private int rows, blockStart, inBlock;

    /** Per label column: label to this chunk's own code (1, 2, ... in order of appearance). */
    final Map<Integer, LinkedHashMap<String, Integer>> labels = new LinkedHashMap<>();
    /** Per numeric column that held text: where it first did. */
    final Map<Integer, Text> text = new LinkedHashMap<>();
    /** The first missing value where none may be, as a message, or null. */
    String missing;

    ChunkParser(Plan plan, TableScan.Chunk chunk, DoubleBuffer[][] columns, double[] target) {
        this.plan = plan;
        this.chunk = chunk;
        this.columns = columns;
        this.target = target;
        this.headerPending = chunk.header();
        cell.decimalComma = plan.decimalComma();
        int width = Math.max(1, plan.groupWidth()[0] + plan.groupWidth()[1]);
        this.blockRows = Math.max(1, Math.min(1024, (256 << 10) / width));  // 2 MiB of doubles at most
        this.block = columns == null ? null
                : new double[][] {new double[plan.groupWidth()[0] * blockRows], new double[plan.groupWidth()[1] * blockRows]};
        for (int c = 0; c < plan.width(); c++)
            if (plan.role()[c] == Role.LABEL || plan.role()[c] == Role.TARGET_LABEL) labels.put(c, new LinkedHashMap<>());
    }

    /**
     * The finished parser of a chunk that another reader ({@link NumberChunk}) read whole: every
     * row there, no text, no missing value where none may be, no labels (that reader takes no plan
     * with label columns).
     */
    static ChunkParser parsed(Plan plan, TableScan.Chunk chunk) {
        ChunkParser done = new ChunkParser(plan, chunk, null, null);
        done.headerPending = false;
        done.rows = chunk.rows();
        done.utf8 = null;
        return done;
    }

    @Override
    protected void handleBegin(long startingLineNumber) {
        begin(chunk.firstLine() - 1 + startingLineNumber);
    }

    /** A record starts on file line {@code fileLine} (1-based). */
    void begin(long fileLine) {
        line = fileLine;
        multiLineCell = false;
    }

    /**
     * The one-line error for a row of {@code cells} cells under a header of {@code width}. A
     * quoted cell spanning lines usually means a closing quote is missing (the rest of the file
     * then reads as one cell), so the message says so when the row has one.
     */
    static String wrongCellCount(Object file, long line, int cells, int width, boolean multiLineCell) {
        return file + ", line " + line + ": " + cells + (cells == 1 ? " cell" : " cells") + ", but the header has " + width
                + (multiLineCell ? "; a quoted cell in this row runs over several lines: is its closing quote missing?" : "");
    }

    static boolean spansLines(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) if (buf[i] == '\n' || buf[i] == '\r') return true;
        return false;
    }

    @Override
    protected void handleField(int c, char[] buf, int off, int len, boolean quoted) {
        if (quoted && !multiLineCell) multiLineCell = spansLines(buf, off, len);
        if (headerPending || c >= plan.width() || plan.role()[c] == Role.SKIP) return;
        // FastCSV decoded the bytes into chars; the cell is read as bytes, as ByteChunk hands them over.
        int n = 0;
        for (int i = off; i < off + len && n >= 0; i++) n = buf[i] < 0x80 ? n + 1 : -1;
        if (n >= 0) {
            if (utf8.length < len) utf8 = new byte[len];
            for (int i = 0; i < len; i++) utf8[i] = (byte) buf[off + i];
            field(c, utf8, 0, len);
        } else {
            byte[] b = new String(buf, off, len).getBytes(StandardCharsets.UTF_8);
            field(c, b, 0, b.length);
        }
    }

    /** Cell {@code c} of the current record: the UTF-8 bytes {@code b[off, off+len)}, without quotes. */
    void field(int c, byte[] b, int off, int len) {
        if (headerPending || c >= plan.width()) return;
        Role role = plan.role()[c];
        if (role == Role.SKIP) return;
        double v;
        if (role == Role.LABEL || role == Role.TARGET_LABEL) {
            String label = new String(b, off, len, StandardCharsets.UTF_8).strip();
            LinkedHashMap<String, Integer> codes = labels.get(c);
            v = Cells.missing(label) ? Double.NaN : codes.computeIfAbsent(label, k -> codes.size() + 1);
        } else if (Cells.parse(b, off, len, cell)) {
            v = cell.value;
            if (plan.finite()[c] && !Double.isFinite(v) && missing == null)
                missing = plan.file() + ", line " + line + ": " + (role == Role.TARGET_NUMBER ? "the target '" : "column '")
                        + ColumnNames.shown(plan.names()[c]) + "' has a missing or non-finite value in data row " + (chunk.firstRow() + rows + 1)
                        + "; use --na-rm to drop such rows, or --discrete if it is a category";
        } else {
            text.putIfAbsent(c, new Text(new String(b, off, len, StandardCharsets.UTF_8), line));
            v = Double.NaN;
        }
        store(c, role, v);
    }

    /**
     * Which cells of a data row {@link #number} takes (a {@link Role#NUMBER} or
     * {@link Role#TARGET_NUMBER} column), by column; all false while the header is pending.
     */
    boolean[] numberColumns() {
        boolean[] numbers = new boolean[plan.width()];
        for (int c = 0; c < numbers.length && !headerPending; c++)
            numbers[c] = plan.role()[c] == Role.NUMBER || plan.role()[c] == Role.TARGET_NUMBER;
        return numbers;
    }

    /** Whether the header record is still to come. */
    boolean inHeader() {
        return headerPending;
    }

    /** The finite value {@code v} of cell {@code c}, a column {@link #numberColumns} marks, read by the byte scanner. */
    void number(int c, double v) {
        store(c, plan.role()[c], v);
    }

    private void store(int c, Role role, double v) {
        if (role == Role.TARGET_NUMBER || role == Role.TARGET_LABEL) {
            if (rows >= chunk.rows()) throw new Miscount();
            target[chunk.firstRow() + rows] = v;
        } else {
            block[plan.group()[c]][plan.slot()[c] * blockRows + inBlock] = v;
        }
    }

    @Override
    protected Boolean buildRecord() {
        return getRecordType() == RecordType.DATA && record(getFieldCount());
    }

    /** The current record ended after {@code cells} cells; false for the header. */
    boolean record(int cells) {
        if (headerPending) {
            headerPending = false;
            return false;
        }
        if (cells != plan.width()) throw new Stop(wrongCellCount(plan.file(), line, cells, plan.width(), multiLineCell));
        if (rows >= chunk.rows()) throw new Miscount();
        rows++;
        if (++inBlock == blockRows) flush();
        return true;
    }

    /** The file line (1-based) where the record being parsed, or the last one, starts. */
    long line() {
        return line;
    }

    /** The chunk's first data row (0-based) and its rows. */
    int first() {
        return chunk.firstRow();
    }

    int rows() {
        return chunk.rows();
    }

    /** After the last record: writes the rest of the block; checks the row count against the scan. */
    void finish() {
        flush();
        // The caller keeps every chunk's parser (labels, text) till the file is read, but not its
        // block (up to 2 MiB) and buffer objects (one per column): hundreds of chunks would fill the heap.
        block = null;
        columns = null;
        utf8 = null;
        if (rows != chunk.rows()) throw new Miscount();
    }

    private void flush() {
        for (int g = 0; g < 2; g++)
            for (int k = 0; k < columns[g].length; k++)
                columns[g][k].put(chunk.firstRow() + blockStart, block[g], k * blockRows, inBlock);
        blockStart += inBlock;
        inBlock = 0;
    }
}
