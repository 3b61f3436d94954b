package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native first tier of {@code select --csv} ({@link NumberChunk}, over the library's
 * {@code NumberText}): on generated files as pandas and R write them, in chunks and windows of
 * many sizes, it gives the bits of the Java readers behind it (FastCSV's path, {@link ByteChunkTest});
 * every cell it does not read the way they do, it declines (the chunk then goes to them); and the
 * first look ({@link NumberChunk#allNumbers}) says "all numbers" exactly when the first rows are.
 */
class NumberChunkTest {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(2);

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content.getBytes(StandardCharsets.UTF_8));
        return f;
    }

    /**
     * Columns 0..width-1 of a table whose column {@code skip} (or none, -1) holds IDs not read,
     * column {@code target} the target; the rest numbers, missing values allowed unless
     * {@code finite}. Null when the native reader declined a chunk.
     */
    static double[][] parseNatively(Path f, int width, int skip, int target, boolean finite, long chunkBytes) throws IOException {
        String[] names = new String[width];
        ChunkParser.Role[] role = new ChunkParser.Role[width];
        int[] group = new int[width], slot = new int[width];
        boolean[] finites = new boolean[width];
        int features = 0;
        for (int c = 0; c < width; c++) {
            names[c] = "c" + c;
            role[c] = c == skip ? ChunkParser.Role.SKIP : c == target ? ChunkParser.Role.TARGET_NUMBER : ChunkParser.Role.NUMBER;
            if (role[c] == ChunkParser.Role.NUMBER) slot[c] = features++;
            finites[c] = finite && c != skip;
        }
        ChunkParser.Plan plan = new ChunkParser.Plan(f.toString(), ',', names, role, group, slot, finites, new int[] {features, 0}, false);
        assertTrue(NumberChunk.fits(plan));
        TableScan.Layout layout;
        try (FileChannel channel = FileChannel.open(f)) {
            layout = TableScan.start(channel, Files.size(f), chunkBytes, POOL).layout(f.toString());
        }
        int n = layout.rows();
        DoubleBuffer[][] columns = {new DoubleBuffer[features], new DoubleBuffer[0]};
        for (int k = 0; k < features; k++)
            columns[0][k] = ByteBuffer.allocateDirect(Double.BYTES * Math.max(1, n)).order(ByteOrder.nativeOrder()).asDoubleBuffer();
        double[] y = new double[n];
        try (FileChannel channel = FileChannel.open(f)) {
            for (TableScan.Chunk chunk : layout.chunks())
                if (!NumberChunk.parse(channel, chunk, plan, columns, y)) return null;
        }
        double[][] out = new double[width][];
        for (int c = 0; c < width; c++) {
            if (c == target) out[c] = y;
            else if (role[c] == ChunkParser.Role.NUMBER) {
                out[c] = new double[n];
                columns[0][slot[c]].get(0, out[c]);
            }
        }
        return out;
    }

    private static void assertBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++)
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
                    what + " row " + i + ": expected " + expected[i] + ", got " + actual[i]);
    }

    /** How pandas ({@code repr}), R ({@code %.15g}), C ({@code %e}) and integer columns write numbers, with pandas' and R's missing values. */
    private static String cell(Random random, int kind) {
        double x = random.nextGaussian() * Math.pow(10, random.nextInt(41) - 20);
        if (random.nextInt(40) == 0) return new String[] {"", "NA", "NaN", "nan", "<NA>", "-0", ".5", "5."}[random.nextInt(8)];
        return switch (kind % 5) {
            case 0 -> Double.toString(x);
            case 1 -> String.format(Locale.ROOT, "%.15g", x);
            case 2 -> String.format(Locale.ROOT, "%e", x);
            case 3 -> Long.toString(random.nextLong() >> random.nextInt(64));
            default -> String.format(Locale.ROOT, "%.17g", random.nextDouble() * 1e-300 * random.nextInt(3));  // subnormal and tiny
        };
    }

    @Test
    void sameBitsAsTheJavaReadersOnGeneratedFiles() throws IOException {
        Random random = new Random(20261208);
        for (int file = 0; file < 4; file++) {
            int width = 7, rows = 4000;
            boolean crlf = file == 2;
            // file 1: a byte order mark; file 3: the last record without its line feed.
            StringBuilder s = new StringBuilder(file == 1 ? "\uFEFF" : "");
            s.append(",y,a,b,c,d,e").append(crlf ? "\r\n" : "\n");  // pandas: an index column first, no name
            for (int i = 0; i < rows; i++) {
                s.append(i).append(',').append(i % 5);
                for (int c = 2; c < width; c++) s.append(',').append(cell(random, c + file));
                if (i < rows - 1 || file != 3) s.append(crlf ? "\r\n" : "\n");
            }
            Path f = write("generated" + file + ".csv", s.toString());
            for (long chunkBytes : new long[] {1 << 20, 4096 + 97L * file}) {
                double[][] ours = parseNatively(f, width, 0, 1, false, chunkBytes);
                assertTrue(ours != null, "declined file " + file);
                // The reference: FastCSV's path on the same table without its index column.
                StringBuilder noIndex = new StringBuilder();
                for (String line : s.toString().replace("\uFEFF", "").split("\r?\n", -1))
                    if (!line.isEmpty()) noIndex.append(line, line.indexOf(',') + 1, line.length()).append('\n');
                Path g = write("reference" + file + ".csv", noIndex.toString());
                ByteChunkTest.Parsed old = ByteChunkTest.parse(g, width - 1, ',', false, 1 << 20, true);
                for (int c = 1; c < width; c++) assertBits(old.columns()[c - 1], ours[c], "file " + file + " chunks " + chunkBytes + " column " + c);
            }
        }
    }

    @Test
    void rowsLongerThanTheWindowAndRWritten() throws IOException {
        // write.csv: quoted header and row names; 3 rows of 40,000 cells (~ 1.3 MB each: more than the window).
        int features = 40_000;
        StringBuilder s = new StringBuilder("\"\"");
        for (int c = 0; c < features; c++) s.append(",\"f").append(c).append('"');
        s.append(",\"y\"\n");
        for (int r = 0; r < 3; r++) {
            s.append('"').append(r + 1).append('"');
            for (int c = 0; c < features; c++) s.append(',').append(c % 3 == 0 ? "NA" : String.format(Locale.ROOT, "%.15g", (r + 1) * Math.PI * c));
            s.append(',').append(r).append('\n');
        }
        Path f = write("wide.csv", s.toString());
        double[][] ours = parseNatively(f, features + 2, 0, features + 1, false, 1 << 20);
        assertTrue(ours != null);
        for (int r = 0; r < 3; r++) {
            assertEquals(r, ours[features + 1][r]);
            for (int c = 0; c < features; c++) {
                double expected = c % 3 == 0 ? Double.NaN : Double.parseDouble(String.format(Locale.ROOT, "%.15g", (r + 1) * Math.PI * c));
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(ours[c + 1][r]), "row " + r + " feature " + c);
            }
        }
    }

    @Test
    void declinesWhatTheJavaReadersReadOtherwise() throws IOException {
        // Each of these the Java readers take (quotes, infinities, blanks, '+', hex as text) or explain
        // (a ragged row, a missing value where none may be): the native reader must leave them to them.
        String[] cells = {"\"1.5\"", "inf", "-Inf", "Infinity", " 1.5", "1.5 ", "+1", "0x1p3", "1e400", "abc", "1.5.2", "1,5"};
        for (String cell : cells) {
            Path f = write("declined.csv", "y,a\n1,2\n2," + cell + "\n3,4\n");
            assertEquals(null, parseNatively(f, 2, -1, 0, false, 1 << 20), "accepted " + cell);
        }
        assertEquals(null, parseNatively(write("ragged.csv", "y,a\n1,2\n2\n3,4\n"), 2, -1, 0, false, 1 << 20));
        assertEquals(null, parseNatively(write("mac.csv", "y,a\r1,2\r2,3\r"), 2, -1, 0, false, 1 << 20));
        assertEquals(null, parseNatively(write("finite.csv", "y,a\n1,2\n2,NA\n3,4\n"), 2, -1, 0, true, 1 << 20));
        // What it reads, it reads as the Java readers do (the values written here as literals).
        double[][] ok = parseNatively(write("plain.csv", "y,a\n1,.5\n2,5.\n3,-0\n4,1E+05\n5,NA\n6,\n7,4.9e-324\n"), 2, -1, 0, false, 1 << 20);
        assertTrue(ok != null);
        assertBits(new double[] {0.5, 5, -0.0, 1e5, Double.NaN, Double.NaN, 4.9e-324}, ok[1], "plain");
    }

    @Test
    void theFirstLookSeesTextOnlyWhereThereIsSome() throws IOException {
        StringBuilder numbers = new StringBuilder("id,a,b\n");
        for (int i = 0; i < 150; i++) numbers.append(i).append(',').append(i * 0.5).append(',').append(i == 120 ? "text" : "NA").append('\n');
        byte[] bytes = numbers.toString().getBytes(StandardCharsets.UTF_8);
        // Text in row 121: beyond the 100 rows looked at.
        assertTrue(NumberChunk.allNumbers(new ByteArrayInputStream(bytes), ',', false, 3, 1, 100));
        // ... within 130 rows.
        assertFalse(NumberChunk.allNumbers(new ByteArrayInputStream(bytes), ',', false, 3, 1, 130));
        // Text in a column before `from` (row names) is not looked at.
        assertTrue(NumberChunk.allNumbers(new ByteArrayInputStream("\"\",\"a\"\n\"r1\",1\n\"r2\",2\n".getBytes(StandardCharsets.UTF_8)),
                ',', false, 2, 1, 100));
        // A ragged row, and fewer rows than looked for with text: not all numbers.
        assertFalse(NumberChunk.allNumbers(new ByteArrayInputStream("a,b\n1,2\n3\n".getBytes(StandardCharsets.UTF_8)), ',', false, 2, 0, 100));
        assertFalse(NumberChunk.allNumbers(new ByteArrayInputStream("a,b\n1,x\n".getBytes(StandardCharsets.UTF_8)), ',', false, 2, 0, 100));
    }
}
