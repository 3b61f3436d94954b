package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.siegmar.fastcsv.reader.CsvReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.DoubleBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byte scanner of {@code select --csv} ({@link ByteChunk}) and the parallel first pass
 * ({@link TableScan}), on files whose values are written here as literals: line ends, the byte
 * order mark, every spelling of a missing or infinite value that R and pandas write, decimal
 * commas, the cells it hands to FastCSV (quotes, old Mac line ends); chunk boundaries at every
 * byte of a file with quoted line feeds and CRLF pairs; and, on generated files, the scanner
 * against FastCSV's path (the reader before it) to the last bit.
 */
class ByteChunkTest {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(2);

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    /** The parsed columns (column 0, the target, first), the text found, and whether the scanner took every chunk. */
    record Parsed(double[][] columns, List<ChunkParser> parsers, boolean allFast) {}

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content.getBytes(StandardCharsets.UTF_8));
        return f;
    }

    private static TableScan.Layout layout(Path f, long chunkBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(f)) {
            return TableScan.start(channel, Files.size(f), chunkBytes, POOL).layout(f.toString());
        }
    }

    /**
     * Every column numeric (column 0 the target), missing values allowed; each chunk parsed by the
     * byte scanner, or by FastCSV where it declines (or always, when {@code fastCsvOnly}).
     */
    static Parsed parse(Path f, int width, char sep, boolean decimalComma, long chunkBytes, boolean fastCsvOnly) throws IOException {
        String[] names = new String[width];
        ChunkParser.Role[] role = new ChunkParser.Role[width];
        int[] group = new int[width], slot = new int[width];
        for (int c = 0; c < width; c++) {
            names[c] = "c" + c;
            role[c] = c == 0 ? ChunkParser.Role.TARGET_NUMBER : ChunkParser.Role.NUMBER;
            slot[c] = c - 1;
        }
        ChunkParser.Plan plan = new ChunkParser.Plan(f.toString(), sep, names, role, group, slot, new boolean[width],
                new int[] {width - 1, 0}, decimalComma);
        TableScan.Layout layout = layout(f, chunkBytes);
        int n = layout.rows();
        double[][] out = new double[width][n];
        DoubleBuffer[][] columns = {new DoubleBuffer[width - 1], new DoubleBuffer[0]};
        for (int c = 1; c < width; c++) columns[0][c - 1] = DoubleBuffer.wrap(out[c]);
        List<ChunkParser> parsers = new ArrayList<>();
        boolean allFast = true;
        byte[] bytes = Files.readAllBytes(f);
        try (FileChannel channel = FileChannel.open(f)) {
            for (TableScan.Chunk chunk : layout.chunks()) {
                ChunkParser p = new ChunkParser(plan, chunk, columns, out[0]);
                if (fastCsvOnly || !ByteChunk.parse(channel, chunk, p, sep, decimalComma)) {
                    allFast = false;
                    p = new ChunkParser(plan, chunk, columns, out[0]);
                    byte[] part = Arrays.copyOfRange(bytes, (int) chunk.start(), (int) chunk.end());
                    try (CsvReader<Boolean> csv = CsvFeatures.builder(sep).build(p, new ByteArrayInputStream(part), StandardCharsets.UTF_8)) {
                        for (Boolean ignored : csv) { /* into the columns */ }
                    }
                }
                p.finish();
                parsers.add(p);
            }
        }
        return new Parsed(out, parsers, allFast);
    }

    private static void assertBits(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++)
            assertTrue(Double.doubleToRawLongBits(expected[i]) == Double.doubleToRawLongBits(actual[i]) || Double.isNaN(expected[i])
                    && Double.isNaN(actual[i]), "row " + i + ": expected " + expected[i] + ", got " + actual[i]);
    }

    @Test
    void numbersMissingValuesAndInfinitiesAsRAndPandasWriteThem() throws IOException {
        String[] cells = {"0.5", "1e3", "-0", "", "NA", "nan", "NaN", "<NA>", "inf", "-inf", "Inf", "-Inf", "Infinity", " 1.5 ", "+1",
            ".5", "5.", "1E+05", "1e-05", "-0.0", "9007199254740993", "0.30471707975443135", "1.7976931348623157e308", "4.9e-324",
            "1e400", "2.2250738585072014E-308", "-1.2345678901234567e-05", "12345678901234567890", "0.1", "123456789012345678",
            "1.5\r"};
        double nan = Double.NaN, inf = Double.POSITIVE_INFINITY;
        double[] expected = {0.5, 1000, -0.0, nan, nan, nan, nan, nan, inf, -inf, inf, -inf, inf, 1.5, 1, 0.5, 5, 1e5, 1e-5, -0.0,
            9007199254740992.0, 0.30471707975443135, 1.7976931348623157e308, 4.9e-324, inf, 2.2250738585072014E-308,
            -1.2345678901234567e-05, 12345678901234567890.0, 0.1, 123456789012345678.0, 1.5};
        StringBuilder s = new StringBuilder("y,a\n");
        for (int i = 0; i < cells.length; i++) s.append(i).append(',').append(cells[i]).append('\n');
        Parsed p = parse(write("cells.csv", s.toString()), 2, ',', false, 1 << 20, false);
        assertTrue(p.allFast());
        assertBits(expected, p.columns()[1]);
        assertTrue(p.parsers().get(0).text.isEmpty(), "no cell is text: " + p.parsers().get(0).text);
    }

    @Test
    void textCellsAreReportedWithTheirLine() throws IOException {
        Parsed p = parse(write("text.csv", "y,a\n1,2\n2,0x1p3\n3,1d\n4,abc\n"), 2, ',', false, 1 << 20, false);
        assertBits(new double[] {2, Double.NaN, Double.NaN, Double.NaN}, p.columns()[1]);
        ChunkParser.Text first = p.parsers().get(0).text.get(1);
        assertEquals("0x1p3", first.cell());
        assertEquals(3, first.line());
    }

    @Test
    void crlfByteOrderMarkEmptyLinesAndNoFinalLineFeed() throws IOException {
        Path f = write("crlf.csv", "\uFEFFy,a\r\n1,2.5\r\n\r\n\n2,-7e-3\r\n3,4");
        Parsed p = parse(f, 2, ',', false, 1 << 20, false);
        assertTrue(p.allFast());
        assertBits(new double[] {1, 2, 3}, p.columns()[0]);
        assertBits(new double[] {2.5, -7e-3, 4}, p.columns()[1]);
    }

    @Test
    void decimalCommas() throws IOException {
        Parsed p = parse(write("comma.csv", "y;a\n1;1,5\n2;-0,25\n3;2\n4;1.5\n5;3,25e2\n"), 2, ';', true, 1 << 20, false);
        assertBits(new double[] {1.5, -0.25, 2, Double.NaN, 325}, p.columns()[1]);
        assertEquals("1.5", p.parsers().get(0).text.get(1).cell());  // a point where commas are asked for is text
    }

    @Test
    void quotesAndOldMacLineEndsAreLeftToFastCsv() throws IOException {
        for (String content : new String[] {"y,a\n1,\"2\"\n", "y,a\r1,2\r2,3\r"}) {
            Path f = write("declined.csv", content);
            TableScan.Layout layout = layout(f, 1 << 20);
            ChunkParser.Plan plan = new ChunkParser.Plan(f.toString(), ',', new String[] {"y", "a"},
                    new ChunkParser.Role[] {ChunkParser.Role.TARGET_NUMBER, ChunkParser.Role.NUMBER}, new int[2], new int[] {0, 0},
                    new boolean[2], new int[] {1, 0}, false);
            DoubleBuffer[][] columns = {{DoubleBuffer.allocate(Math.max(1, layout.rows()))}, {}};
            try (FileChannel channel = FileChannel.open(f)) {
                ChunkParser p = new ChunkParser(plan, layout.chunks().get(0), columns, new double[Math.max(1, layout.rows())]);
                assertFalse(ByteChunk.parse(channel, layout.chunks().get(0), p, ',', false), content);
            }
        }
        // Through FastCSV, the quoted file reads as its values.
        Parsed p = parse(write("quoted.csv", "y,a\n1,\"2\"\n2,\"-3.5\"\n"), 2, ',', false, 1 << 20, false);
        assertFalse(p.allFast());
        assertBits(new double[] {2, -3.5}, p.columns()[1]);
    }

    @Test
    void eightDigitsAtOnce() {
        assertEquals(12345678, ByteChunk.eightDigits(word("12345678")));
        assertEquals(0, ByteChunk.eightDigits(word("00000000")));
        assertEquals(99999999, ByteChunk.eightDigits(word("99999999")));
        assertEquals(10000001, ByteChunk.eightDigits(word("10000001")));
        for (String notDigits : new String[] {"1234567a", "/0000000", "0000000:", "1234,678", "1234567\n", "-1234567"})
            assertEquals(-1, ByteChunk.eightDigits(word(notDigits)), notDigits);
    }

    private static long word(String eight) {
        byte[] b = eight.getBytes(StandardCharsets.US_ASCII);
        long w = 0;
        for (int i = 7; i >= 0; i--) w = w << 8 | (b[i] & 0xff);
        return w;
    }

    /**
     * Records with quoted line feeds, quoted CRLF pairs, doubled quotes and empty lines, cut into
     * chunks of every size from 1 byte to the whole file: the rows are always the records written,
     * every chunk starts just after a record end, and the values are the same.
     */
    @Test
    void chunkBoundariesInsideQuotesAndCrlfPairs() throws IOException {
        List<String> records = new ArrayList<>();
        records.add("y,\"a\",b\r\n");
        for (int i = 0; i < 12; i++) {
            String quoted = switch (i % 4) {
                case 0 -> "\"" + i + "\"";
                case 1 -> String.valueOf(i);
                case 2 -> "\"x\r\ny\"";  // a CRLF pair inside quotes: text
                default -> "\"say \"\"hi\"\"\n ok\"";
            };
            records.add(i + "," + quoted + "," + (i * 0.5) + (i % 3 == 0 ? "\r\n" : "\n"));
            if (i == 5) records.add("\r\n");  // an empty line: not a record
        }
        String content = String.join("", records);
        Path f = write("quoted-lines.csv", content);
        List<Long> recordEnds = new ArrayList<>();  // just after each record's line feed
        long at = 0;
        for (String r : records) recordEnds.add(at += r.getBytes(StandardCharsets.UTF_8).length);
        double[] b = new double[12];
        for (int i = 0; i < 12; i++) b[i] = i * 0.5;
        for (long chunkBytes = 1; chunkBytes <= content.length(); chunkBytes++) {
            TableScan.Layout layout = layout(f, chunkBytes);
            assertEquals(12, layout.rows(), "chunks of " + chunkBytes);
            long end = 0, rows = 0;
            for (TableScan.Chunk chunk : layout.chunks()) {
                assertEquals(end, chunk.start());
                assertTrue(chunk.start() == 0 || recordEnds.contains(chunk.start()), "a chunk starts at " + chunk.start());
                long lineFeeds = content.substring(0, (int) chunk.start()).chars().filter(ch -> ch == '\n').count();
                assertEquals(lineFeeds + 1, chunk.firstLine());
                assertEquals(rows, chunk.firstRow());
                end = chunk.end();
                rows += chunk.rows();
            }
            assertEquals(content.length(), end);
            Parsed p = parse(f, 3, ',', false, chunkBytes, false);
            assertBits(b, p.columns()[2]);
        }
    }

    /** The stream scan (a gzip file's) and the parallel scan agree on a file's rows and lines. */
    @Test
    void streamScanAgreesWithTheParallelScan() throws IOException {
        String content = "a,b\n\"1\n2\",3\r\n\r\n4,5\n6,7";
        Path f = write("stream.csv", content);
        TableScan.Layout stream = TableScan.scan(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), "stream.csv");
        assertEquals(3, stream.rows());
        assertEquals(1, stream.chunks().size());
        for (long chunkBytes = 1; chunkBytes < content.length() + 2; chunkBytes++) assertEquals(3, layout(f, chunkBytes).rows());
    }

    /**
     * Generated tables the way pandas ({@code repr}, 17 significant digits), R ({@code %.15g})
     * and others ({@code %e}, integers) write numbers, with missing values, infinities and blanks:
     * the byte scanner gives the same bits as FastCSV's path, the reader before it.
     */
    @Test
    void sameBitsAsFastCsvOnGeneratedFiles() throws IOException {
        Random random = new Random(20261207);
        for (int file = 0; file < 4; file++) {
            int width = 6, rows = 3000;
            StringBuilder s = new StringBuilder(file == 1 ? "\uFEFF" : "");
            s.append("y,a,b,c,d,e").append(file == 2 ? "\r\n" : "\n");
            for (int i = 0; i < rows; i++) {
                s.append(i % 7);
                for (int c = 1; c < width; c++) s.append(',').append(cell(random, c));
                s.append(file == 2 ? "\r\n" : "\n");
            }
            Path f = write("generated" + file + ".csv", s.toString());
            long chunkBytes = file == 3 ? 1 << 20 : 777 + 1000L * file;
            Parsed fast = parse(f, width, ',', false, chunkBytes, false), old = parse(f, width, ',', false, chunkBytes, true);
            assertTrue(fast.allFast());
            for (int c = 0; c < width; c++) assertBits(old.columns()[c], fast.columns()[c]);
        }
    }

    private static String cell(Random random, int kind) {
        double x = random.nextGaussian() * Math.pow(10, random.nextInt(21) - 10);
        if (random.nextInt(50) == 0) return new String[] {"", "NA", "nan", "inf", "-inf", " 2.5", "-0"}[random.nextInt(7)];
        return switch (kind) {
            case 1 -> Double.toString(x);
            case 2 -> String.format(Locale.ROOT, "%.15g", x);
            case 3 -> String.format(Locale.ROOT, "%e", x);
            case 4 -> Long.toString(random.nextLong() >> random.nextInt(64));
            default -> String.format(Locale.ROOT, "%.17g", random.nextDouble() * 1e-300 * random.nextInt(3));  // subnormal and tiny
        };
    }
}
