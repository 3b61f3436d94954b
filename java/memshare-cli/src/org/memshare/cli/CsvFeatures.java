package org.memshare.cli;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.memshare.ArrayPage;
import org.memshare.ElementType;
import org.memshare.Namespace;

/**
 * Reads a table for {@code memshare select} the way R and pandas write them, straight into shared
 * memory: RFC 4180 quoting (FastCSV), a UTF-8 byte order mark, CRLF line ends, gzip ({@code .gz});
 * the separator from the header (the most of comma, semicolon, tab), else by extension ({@code .csv}
 * comma, {@code .tsv} tab, {@code .txt} tab or else space), or {@code --sep}; decimal commas with
 * {@code --decimal ,}; a first column of row numbers (pandas' named index) taken as IDs; R's row-name column and pandas' index column (an empty first header cell,
 * {@code Unnamed: 0}, or a header one cell shorter than the rows, as R's {@code write.table}
 * writes it) taken as observation IDs; missing and infinite values as {@link Cells} reads them.
 *
 * <p>A text target is discrete, its labels encoded as categories (1, 2, ... in order of first
 * appearance); so is a text column named in {@code --discrete}. Any other text column is left out
 * with one line on {@code err} naming it.
 *
 * <p>How, in three steps: the header and the first rows tell the columns and which hold text;
 * {@link TableScan} counts the rows and cuts the file into chunks at record ends; the pages
 * ({@code Xc} for the continuous features, {@code Xd} for the discrete ones) are allocated at
 * their final size and the chunks parsed into them by {@code workers} threads at once
 * ({@link ChunkParser}). The heap holds the target and a small block per thread, never the
 * matrix. A column that turns out to hold text further down is parsed again with that known (the
 * pages are made anew); a gzip file is parsed by one thread, since it cannot be read from the
 * middle.
 *
 * <p>Every failure is a {@link MemshareCli.CliException} with a one-line message naming the
 * file, and where it applies the line and the column; nothing of it is left in shared memory.
 */
final class CsvFeatures {
    /** Rows the first look reads to tell text columns from numeric ones. */
    private static final int SNIFF_ROWS = 100;

    private CsvFeatures() {}

    /**
     * What the user asked for: the target, discrete and excluded columns, a separator or null,
     * whether missing values are allowed (--na-rm, --mpmi), the chunk size (0: by file size),
     * decimal commas (--decimal ,), whether a first column of row numbers is ranked
     * (--rank-row-numbers), and whether progress is left out (--quiet).
     */
    record Request(String target, List<String> discrete, List<String> exclude, String separator, boolean allowMissing,
                   long chunkBytes, boolean decimalComma, boolean quiet) {}

    /**
     * What the header and the first rows tell; {@code rowNumbers}: the first column (after any row
     * names) held 0, 1, 2, ... or 1, 2, 3, ... there, its first value, else -1.
     */
    private record Sniff(char separator, List<String> names, boolean rowNames, Map<Integer, ChunkParser.Text> text) {}

    /** Bytes looked at for NUL bytes and invalid UTF-8 before anything is parsed. */
    private static final int TEXT_CHECK_BYTES = 1 << 20;

    static FeatureData read(Path file, Request request, Namespace space, int workers, PrintWriter err) {
        try {
            requireText(file);
            try (Counting counting = new Counting(file, request.chunkBytes(), workers)) {
                Sniff sniff = sniff(file, request);
                return load(file, request, sniff, counting, space, workers, err);
            }
        } catch (NoSuchFileException e) {
            throw fail("cannot read " + file + ": no such file");
        } catch (CsvParseException e) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("started in line (\\d+)").matcher(String.valueOf(e.getMessage()));
            throw parseError(file, m.find() ? Long.parseLong(m.group(1)) : -1, e);
        } catch (IOException | UncheckedIOException e) {
            throw fail("cannot read " + file + ": " + oneLine(e));
        }
    }

    // ---------------------------------------------------------------- the first look

    /**
     * A file with NUL bytes or bytes that are not UTF-8 in its first MiB (a binary file, a
     * spreadsheet, a Latin-1 export) is refused in one line, instead of failing later as a table
     * with a strange number of cells.
     */
    private static void requireText(Path file) throws IOException {
        byte[] head;
        try (InputStream in = open(file)) {
            head = in.readNBytes(TEXT_CHECK_BYTES);
        }
        for (int i = 0; i < head.length; i++)
            if (head[i] == 0)
                throw fail(file + " is not a text table: it holds a NUL byte (at byte " + i + "); memshare select reads CSV or TSV "
                        + "text (a numpy array: --npy; a spreadsheet: save it as CSV)");
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(head);
        var result = decoder.decode(bytes, java.nio.CharBuffer.allocate(head.length + 1), head.length < TEXT_CHECK_BYTES);
        if (result.isError())
            throw fail(file + " is not a text table: byte " + bytes.position() + " is not UTF-8; memshare select reads CSV or TSV "
                    + "text in UTF-8 (re-save it as UTF-8, e.g. write.csv(..., fileEncoding = \"UTF-8\") or iconv)");
    }

    /**
     * The separator the header uses: the most frequent of comma, semicolon and tab outside quotes
     * (a tie or none of them: by extension), so that a European CSV (;) or a TSV named .csv reads.
     */
    private static char detectSeparator(Path file) throws IOException {
        String first = firstLines(file, 1).stream().findFirst().orElse(null);
        char found = first == null ? 0 : headerSeparator(first);
        return found != 0 ? found : byExtension(file);
    }

    /** The most frequent of comma, semicolon and tab outside quotes in {@code header}; 0 for none or a tie. */
    private static char headerSeparator(String header) {
        int comma = outsideQuotes(header, ','), semicolon = outsideQuotes(header, ';'), tab = outsideQuotes(header, '\t');
        int most = Math.max(comma, Math.max(semicolon, tab));
        if (most == 0) return 0;
        int atMost = (comma == most ? 1 : 0) + (semicolon == most ? 1 : 0) + (tab == most ? 1 : 0);
        if (atMost > 1) return 0;
        return comma == most ? ',' : semicolon == most ? ';' : '\t';
    }

    /** How often {@code c} occurs in {@code line} outside double quotes. */
    private static int outsideQuotes(String line, char c) {
        int count = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') quoted = !quoted;
            else if (!quoted && ch == c) count++;
        }
        return count;
    }

    private static List<String> firstLines(Path file, int lines) throws IOException {
        List<String> first = new ArrayList<>();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(open(file), StandardCharsets.UTF_8))) {
            for (String line; first.size() < lines && (line = in.readLine()) != null; ) first.add(line);
        }
        return first;
    }

    /**
     * A {@code --sep} the header does not hold, in a header that holds another separator (R's
     * write.csv2 file read with {@code --sep ,}): a usage error naming the separator the header
     * has, and {@code --decimal ,} too where the next rows have decimal commas, before the wrong
     * separator fails as a quoting error or a count of cells.
     */
    private static void requireGivenSeparator(Path file, char sep, boolean decimalComma) throws IOException {
        List<String> lines = firstLines(file, 6);
        if (lines.isEmpty()) return;
        char found = headerSeparator(lines.get(0));
        if (found == 0 || outsideQuotes(lines.get(0), sep) > 0) return;
        boolean commas = false;
        for (String line : lines.subList(1, lines.size()))
            for (String cell : line.split(found == '\t' ? "\t" : String.valueOf(found), -1)) commas |= decimalComma(cell);
        String name = found == '\t' ? "tab" : "'" + found + "'";
        throw new MemshareCli.UsageException(file + ": the header holds no " + (sep == '\t' ? "tab" : "'" + sep + "'") + " (--sep) but "
                + name + " between its cells: name that separator, --sep " + name + (commas && !decimalComma && found != ','
                ? " --decimal , (its numbers have decimal commas, as write.csv2 writes them)" : ""));
    }

    private static Sniff sniff(Path file, Request request) throws IOException {
        char sep = request.separator() != null ? SelectOptions.separator(request.separator(), request.decimalComma() ? ',' : '.')
                : detectSeparator(file);
        if (request.separator() != null) requireGivenSeparator(file, sep, request.decimalComma());
        if (request.decimalComma() && sep == ',')
            throw new MemshareCli.UsageException("--decimal , needs a separator other than the comma: " + file + " is read with ','; "
                    + "name the separator, e.g. --sep ';'");
        Map<Integer, ChunkParser.Text> text = new HashMap<>();
        try (CsvReader<CsvRecord> csv = reader(open(file), sep)) {
            var it = csv.iterator();
            if (!it.hasNext()) throw fail(file + " is empty; expected a header row and at least 3 data rows");
            List<String> header = new ArrayList<>(it.next().getFields());
            boolean rowNames = header.get(0).isEmpty() || header.get(0).equals("Unnamed: 0");
            CsvRecord first = it.hasNext() ? it.next() : null;
            if (first != null && first.getFieldCount() == header.size() + 1) {
                header.add(0, "");  // R's write.table: no header cell above the row names
                rowNames = true;
            }
            int seen = 0, from = rowNames ? 1 : 0;
            try (InputStream head = open(file)) {
                if (NumberChunk.allNumbers(head, sep, request.decimalComma(), header.size(), from, SNIFF_ROWS))
                    return new Sniff(sep, header, rowNames, text);  // no text in the first rows, as the loop below would find
            }
            for (CsvRecord r = first; r != null && seen < SNIFF_ROWS; r = it.hasNext() ? it.next() : null, seen++) {
                if (r.getFieldCount() != header.size())  // the parser checks the rest; a ragged row here is not text
                    throw fail(ChunkParser.wrongCellCount(file, r.getStartingLineNumber(), r.getFieldCount(), header.size(),
                            r.getFields().stream().anyMatch(f -> ChunkParser.spansLines(f.toCharArray(), 0, f.length())))
                            + separatorHint(header, sep, request.separator() != null));
                for (int c = from; c < header.size(); c++)
                    if (!text.containsKey(c) && Cells.number(r.getField(c), request.decimalComma()) == null)
                        text.put(c, new ChunkParser.Text(r.getField(c), r.getStartingLineNumber()));
            }
            return new Sniff(sep, header, rowNames, text);
        }
    }

    /**
     * For a header of one cell that holds another separator: the hint to name it. Said also when
     * {@code --sep} was given (a wrong one), since then no detection ran.
     */
    static String separatorHint(List<String> header, char sep, boolean given) {
        if (header.size() != 1) return "";
        String cell = header.get(0);
        for (char other : new char[] {';', '\t', ',', ' '})
            if (other != sep && cell.indexOf(other) >= 0)
                return "; the header is one cell '" + ColumnNames.shown(cell)
                        + "': is the separator " + (other == '\t' ? "a tab? name it with --sep tab" : "'" + other + "'? name it with --sep '"
                        + other + "'") + (given ? " instead" : "");
        return "";
    }

    // ---------------------------------------------------------------- choosing the columns

    private static FeatureData load(Path file, Request request, Sniff sniff, Counting counting, Namespace space, int workers,
                                    PrintWriter err)
            throws IOException {
        List<String> names = sniff.names();
        int from = sniff.rowNames() ? 1 : 0;
        Map<String, Integer> index = new HashMap<>();
        for (int c = from; c < names.size(); c++) {
            String name = names.get(c);
            if (name.isEmpty()) throw fail(file + ": header cell " + (c + 1) + " is empty; every column needs a name");
            if (index.put(name, c) != null) throw fail(file + ": the header names column '" + ColumnNames.shown(name) + "' twice");
        }
        List<String> columns = names.subList(from, names.size());
        Integer t = index.get(request.target());
        if (t == null)
            throw new MemshareCli.UsageException(ColumnNames.unknown("--target", request.target(), file, columns)
                    + separatorHint(names, sniff.separator(), request.separator() != null));
        for (String d : request.discrete())
            if (!index.containsKey(d)) throw new MemshareCli.UsageException(ColumnNames.unknown("--discrete", d, file, columns));
        Set<String> excluded = new HashSet<>(request.exclude());
        for (String x : request.exclude())
            if (!index.containsKey(x)) throw new MemshareCli.UsageException(ColumnNames.unknown("--exclude", x, file, columns));
        if (excluded.contains(request.target())) throw new MemshareCli.UsageException("--exclude names the target '" + request.target() + "'");

        TableScan.Layout layout = counting.layout(file);

        // Parse; a column found to hold text further down than the first look is parsed again.
        Map<Integer, ChunkParser.Text> text = new HashMap<>(sniff.text());
        boolean recounted = false;
        for (;;) {
            ChunkParser.Plan plan = plan(file, sniff.separator(), names, from, t, text, request, excluded);
            if (plan.groupWidth()[0] + plan.groupWidth()[1] == 0) {
                refuseDecimalCommas(file, request, plan, text);  // one line, before a line per column left out
                noteLeftOut(file, request, sniff, plan, text, err);
                throw fail(file + " has no feature columns besides the target '" + request.target() + "'");
            }
            int n = layout.rows();
            ArrayPage[] pages = new ArrayPage[2];
            double[] y = new double[n];
            boolean done = false;
            try {
                for (int g = 0; g < 2; g++)
                    if (plan.groupWidth()[g] > 0)
                        pages[g] = space.allocateMatrix(g == 0 ? "Xc" : "Xd", ElementType.FLOAT64, n, plan.groupWidth()[g]);
                List<ChunkParser> chunks;  // in file order
                try {
                    chunks = parse(file, layout, plan, pages, y, workers, request.quiet() ? null : err);
                } catch (ChunkParser.Miscount e) {
                    if (recounted) throw fail(file + ": the rows cannot be counted consistently: " + e.getMessage());
                    layout = recount(file, sniff.separator());  // a stray quote or old Mac line ends: count as the parser does
                    recounted = true;
                    continue;
                }
                Map<Integer, ChunkParser.Text> found = new HashMap<>();
                for (ChunkParser chunk : chunks)
                    chunk.text.forEach((c, where) -> found.merge(c, where, (a, b) -> a.line() <= b.line() ? a : b));
                found.keySet().removeAll(text.keySet());
                if (!found.isEmpty()) {
                    text.putAll(found);
                    continue;
                }
                if (n < 3) throw fail(file + " has " + n + " data rows; at least 3 are needed");
                for (ChunkParser chunk : chunks) if (chunk.missing != null) throw fail(chunk.missing);
                Map<Integer, Integer> classes = relabel(plan, chunks, pages, y);
                for (ArrayPage page : pages) if (page != null) page.publish();
                done = true;
                return result(file, request, sniff, plan, t, text, classes, pages, y, err);
            } finally {
                if (!done) for (ArrayPage page : pages) if (page != null) page.close();
            }
        }
    }

    /** What every file column becomes, given which columns hold text. */
    private static ChunkParser.Plan plan(Path file, char separator, List<String> names, int from, int t,
                                         Map<Integer, ChunkParser.Text> text, Request request, Set<String> excluded) {
        int width = names.size();
        ChunkParser.Role[] role = new ChunkParser.Role[width];
        int[] group = new int[width], slot = new int[width], groupWidth = new int[2];
        boolean[] finite = new boolean[width];
        Arrays.fill(role, ChunkParser.Role.SKIP);
        boolean targetDiscrete = request.discrete().contains(request.target()) || text.containsKey(t);
        for (int c = from; c < width; c++) {
            String name = names.get(c);
            boolean discrete = request.discrete().contains(name);
            if (c == t) {
                role[c] = text.containsKey(c) ? ChunkParser.Role.TARGET_LABEL : ChunkParser.Role.TARGET_NUMBER;
                finite[c] = !targetDiscrete && !request.allowMissing();
            } else if (excluded.contains(name) || text.containsKey(c) && !discrete) {
                continue;
            } else {
                role[c] = text.containsKey(c) ? ChunkParser.Role.LABEL : ChunkParser.Role.NUMBER;
                group[c] = discrete ? 1 : 0;
                slot[c] = groupWidth[group[c]]++;
                finite[c] = !discrete && !request.allowMissing();
            }
        }
        return new ChunkParser.Plan(file.toString(), separator, names.toArray(String[]::new), role, group, slot, finite, groupWidth,
                request.decimalComma());
    }

    // ---------------------------------------------------------------- counting and parsing

    /**
     * The first pass ({@link TableScan}), started on its own threads as soon as the file is known
     * to be text, so that it runs while the header and the first rows are looked at.
     */
    private static final class Counting implements AutoCloseable {
        private final ExecutorService pool;
        private final FileChannel channel;
        private final TableScan.Pending pending;
        private final Future<TableScan.Layout> stream;

        Counting(Path file, long chunkBytes, int workers) throws IOException {
            pool = pool(workers);
            if (gzip(file)) {  // a stream cannot be read from the middle: one task, one chunk
                channel = null;
                pending = null;
                stream = pool.submit(() -> {
                    try (InputStream in = open(file)) {
                        return TableScan.scan(in, file.toString());
                    }
                });
            } else {
                long size = Files.size(file);
                // Several chunks per thread, so that a slow chunk does not leave a thread idle for long.
                long bytes = chunkBytes > 0 ? chunkBytes : Math.max(1L << 20, Math.min(32L << 20, size / Math.max(1, 4L * workers)));
                channel = FileChannel.open(file, StandardOpenOption.READ);
                pending = TableScan.start(channel, size, bytes, pool);
                stream = null;
            }
        }

        TableScan.Layout layout(Path file) throws IOException {
            return stream != null ? TableScan.get(stream) : pending.layout(file.toString());
        }

        @Override
        public void close() throws IOException {
            pool.shutdownNow();
            if (channel != null) channel.close();
        }
    }

    private static ExecutorService pool(int threads) {
        return Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread thread = new Thread(r, "memshare-csv");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The rows as FastCSV counts them, for a file whose bytes the scan cannot count exactly. */
    private static TableScan.Layout recount(Path file, char separator) throws IOException {
        int rows = -1;  // the header
        try (CsvReader<CsvRecord> csv = reader(open(file), separator)) {
            for (CsvRecord ignored : csv) rows++;
        }
        return TableScan.whole(Files.size(file), Math.max(0, rows));
    }

    private static List<ChunkParser> parse(Path file, TableScan.Layout layout, ChunkParser.Plan plan, ArrayPage[] pages, double[] y,
                                 int workers, PrintWriter err) throws IOException {
        List<TableScan.Chunk> chunks = layout.chunks();
        ExecutorService pool = pool(Math.min(workers, chunks.size()));
        Progress progress = new Progress(file, Files.size(file), err);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            List<Future<ChunkParser>> parts = new ArrayList<>();
            for (TableScan.Chunk chunk : chunks)
                parts.add(pool.submit(() -> {
                    ChunkParser parser = parseChunk(file, channel, chunk, plan, pages, y);
                    progress.add(chunk.end() - chunk.start());
                    return parser;
                }));
            List<ChunkParser> done = new ArrayList<>();
            for (Future<ChunkParser> part : parts) done.add(get(part));
            return done;
        } finally {
            pool.shutdownNow();
            // The tasks write into the pages: none may still run when the caller closes them (a
            // chunk failed, the rest are told to stop and checked on between windows).
            boolean interrupted = false;
            for (;;) {
                try {
                    if (pool.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS)) break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static ChunkParser parseChunk(Path file, FileChannel channel, TableScan.Chunk chunk, ChunkParser.Plan plan, ArrayPage[] pages,
                                          double[] y) throws IOException {
        DoubleBuffer[][] columns = new DoubleBuffer[2][];
        for (int g = 0; g < 2; g++) {
            columns[g] = new DoubleBuffer[plan.groupWidth()[g]];
            for (int k = 0; k < columns[g].length; k++) columns[g][k] = pages[g].column(k);
        }
        if (!gzip(file)) {
            if (NumberChunk.fits(plan) && NumberChunk.parse(channel, chunk, plan, columns, y)) return ChunkParser.parsed(plan, chunk);
            ChunkParser fast = new ChunkParser(plan, chunk, columns, y);
            if (ByteChunk.parse(channel, chunk, fast, plan.separator(), plan.decimalComma())) {
                fast.finish();
                return fast;
            }
        }
        ChunkParser parser = new ChunkParser(plan, chunk, columns, y);  // quotes or old Mac line ends: FastCSV reads them
        InputStream in = gzip(file) ? open(file) : new BufferedInputStream(new RangeStream(channel, chunk.start(), chunk.end()), 1 << 16);
        try (CsvReader<Boolean> csv = builder(plan.separator()).build(parser, in, StandardCharsets.UTF_8)) {
            for (Boolean ignored : csv) { /* the parser writes into the pages as it goes */ }
        } catch (CsvParseException e) {
            if (e.getCause() instanceof RuntimeException r && (r instanceof ChunkParser.Stop || r instanceof ChunkParser.Miscount)) throw r;
            throw new ChunkParser.Stop(parseError(file, parser.line(), e).getMessage());  // FastCSV counts lines from the chunk's start
        }
        parser.finish();
        return parser;
    }

    /** The result of a chunk's task, with what it threw unwrapped. */
    private static ChunkParser get(Future<ChunkParser> part) throws IOException {
        try {
            return TableScan.get(part);
        } catch (ChunkParser.Stop stop) {
            throw fail(stop.getMessage());
        }
    }

    /**
     * Every chunk numbered its labels itself; number them across the file, in order of first
     * appearance, and rewrite the codes in the pages and the target. Returns the classes per
     * label column.
     */
    private static Map<Integer, Integer> relabel(ChunkParser.Plan plan, List<ChunkParser> chunks, ArrayPage[] pages, double[] y) {
        Map<Integer, Integer> classes = new HashMap<>();
        if (chunks.isEmpty()) return classes;
        for (int c : chunks.get(0).labels.keySet()) {
            Map<String, Integer> global = new LinkedHashMap<>();
            boolean isTarget = plan.role()[c] == ChunkParser.Role.TARGET_LABEL;
            DoubleBuffer column = isTarget ? DoubleBuffer.wrap(y) : pages[plan.group()[c]].column(plan.slot()[c]);
            for (ChunkParser chunk : chunks) {
                Map<String, Integer> local = chunk.labels.get(c);
                double[] code = new double[local.size() + 1];
                for (var e : local.entrySet()) code[e.getValue()] = global.computeIfAbsent(e.getKey(), k -> global.size() + 1);
                int first = chunk.first(), rows = chunk.rows();
                for (int i = first; i < first + rows; i++) {
                    double v = column.get(i);
                    if (!Double.isNaN(v)) column.put(i, code[(int) v]);
                }
            }
            classes.put(c, global.size());
        }
        return classes;
    }

    private static FeatureData result(Path file, Request request, Sniff sniff, ChunkParser.Plan plan, int t,
                                      Map<Integer, ChunkParser.Text> text,
                                      Map<Integer, Integer> classes, ArrayPage[] pages, double[] y, PrintWriter err) {
        refuseDecimalCommas(file, request, plan, text);
        if (sniff.rowNames())
            err.println("memshare select: " + file + ": the first column holds row names (as R's write.csv and pandas' "
                    + "to_csv write them): observation IDs, not a feature");
        noteLeftOut(file, request, sniff, plan, text, err);
        List<String> features = new ArrayList<>();
        List<Boolean> discrete = new ArrayList<>();
        for (int c = 0; c < plan.width(); c++) {
            if (plan.role()[c] != ChunkParser.Role.NUMBER && plan.role()[c] != ChunkParser.Role.LABEL) continue;
            features.add(plan.names()[c]);
            discrete.add(plan.group()[c] == 1);
        }
        boolean targetDiscrete = request.discrete().contains(request.target()) || plan.role()[t] == ChunkParser.Role.TARGET_LABEL;
        if (plan.role()[t] == ChunkParser.Role.TARGET_LABEL)
            err.println("memshare select: " + file + ": the target '" + request.target() + "' holds text: " + classes.get(t)
                    + " classes, ranked as a discrete target");
        boolean[] isDiscrete = new boolean[features.size()];
        for (int f = 0; f < isDiscrete.length; f++) isDiscrete[f] = discrete.get(f);
        FeatureData.Columns columns = (space, name, rows, members) -> {
            ArrayPage page = pages[name.equals("Xd") ? 1 : 0];
            if (page == null || page.shape().ncol() != members.length || !page.isPublished())
                throw new IllegalStateException(name + " was not parsed into shared memory as " + members.length + " columns");
        };
        return new FeatureData(file.toString(), y.length, features, columns, isDiscrete, request.target(), y, targetDiscrete, List.of());
    }

    /**
     * Numbers with decimal commas read as text are an error, one line naming the first such column
     * and how many more there are: leaving them out would rank what is left as if nothing were wrong.
     */
    private static void refuseDecimalCommas(Path file, Request request, ChunkParser.Plan plan, Map<Integer, ChunkParser.Text> text) {
        List<String> columns = new ArrayList<>();
        ChunkParser.Text first = null;
        for (int c = 0; c < plan.width(); c++) {
            ChunkParser.Text where = text.get(c);
            if (plan.role()[c] == ChunkParser.Role.SKIP && where != null && decimalComma(where.cell()) && !request.exclude().contains(plan.names()[c])) {
                if (first == null) first = where;
                columns.add(plan.names()[c]);
            }
        }
        if (first == null) return;
        throw fail(file + ": column '" + ColumnNames.shown(columns.get(0)) + "' holds numbers with decimal commas ('"
                + ColumnNames.shown(first.cell()) + "' on line " + first.line()
                + "): " + decimalCommaFix(plan.separator()) + (columns.size() == 1 ? "" : "; so do " + (columns.size() - 1) + " more: "
                + ColumnNames.list(columns.subList(1, columns.size()))));
    }

    /** Text columns left out with one line on {@code err} each up to this many, else in one line (a bounded list). */
    private static final int FEW_LEFT_OUT = 5;

    /** The text columns left out of the ranking, on {@code err} (decimal commas were refused before). */
    private static void noteLeftOut(Path file, Request request, Sniff sniff, ChunkParser.Plan plan, Map<Integer, ChunkParser.Text> text,
                                    PrintWriter err) {
        List<String> names = new ArrayList<>();
        List<ChunkParser.Text> cells = new ArrayList<>();
        for (int c = sniff.rowNames() ? 1 : 0; c < plan.width(); c++) {
            ChunkParser.Text where = text.get(c);
            if (plan.role()[c] == ChunkParser.Role.SKIP && where != null && !request.exclude().contains(plan.names()[c])) {
                names.add(plan.names()[c]);
                cells.add(where);
            }
        }
        if (names.size() > FEW_LEFT_OUT) {
            err.println("memshare select: " + file + ": leaving out " + names.size() + " columns that hold text: " + ColumnNames.list(names)
                    + " (the first: '" + ColumnNames.shown(cells.get(0).cell()) + "' on line " + cells.get(0).line() + "); name them in "
                    + "--discrete to rank them as categories, or --exclude them to silence this");
            return;
        }
        for (int k = 0; k < names.size(); k++)
            err.println("memshare select: " + file + ": leaving out column '" + ColumnNames.shown(names.get(k)) + "': it holds text ('"
                    + ColumnNames.shown(cells.get(k).cell()) + "' on line " + cells.get(k).line() + "); name it in --discrete to rank it as a "
                    + "category, or --exclude it to silence this");
    }

    /**
     * What to do about numbers with decimal commas: {@code --decimal ,}, which needs a separator
     * other than the comma; in a comma-separated file (the cells quoted) it cannot help.
     */
    private static String decimalCommaFix(char separator) {
        return separator == ','
                ? "memshare reads decimal commas only with another separator (--decimal , --sep ';'); write the file with "
                        + "decimal points, or --exclude the column"
                : "add --decimal , (or --exclude it)";
    }

    /** Whether a text cell reads as a number with a decimal comma ("1,5", "-0,25"). */
    private static boolean decimalComma(String cell) {
        return cell.strip().matches("[+-]?\\d*,\\d+([eE][+-]?\\d+)?");
    }

    // ---------------------------------------------------------------- files and separators

    private static boolean gzip(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return gzip(file) ? new GZIPInputStream(in, 1 << 16) : in;
    }

    static CsvReader.CsvReaderBuilder builder(char separator) {
        // Ragged rows are this reader's to report (with its own message), and R's write.table
        // header is one cell short: FastCSV is told to pass both through.
        return CsvReader.builder().fieldSeparator(separator).detectBomHeader(true).skipEmptyLines(true).allowExtraFields(true)
                .allowMissingFields(true);
    }

    private static CsvReader<CsvRecord> reader(InputStream in, char separator) {
        return builder(separator).ofCsvRecord(in, StandardCharsets.UTF_8);
    }

    /** Bytes {@code [start, end)} of a file, by positional reads (one channel serves every thread). */
    private static final class RangeStream extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        RangeStream(FileChannel channel, long start, long end) {
            this.channel = channel;
            this.position = start;
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) return -1;
            int got = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (got > 0) position += got;
            return got;
        }
    }

    /** One line per 10 % of a big file's bytes parsed (a small file is read before anyone would look). */
    private static final class Progress {
        private final Path file;
        private final long total;
        private final PrintWriter err;
        private final AtomicLong done = new AtomicLong();
        private int shown;

        Progress(Path file, long total, PrintWriter err) {
            this.file = file;
            this.total = total;
            this.err = err;
        }

        void add(long bytes) {
            long now = done.addAndGet(bytes);
            if (total < (256L << 20) || err == null) return;
            int tenth = (int) (10 * now / total);
            synchronized (this) {
                if (tenth <= shown) return;
                shown = tenth;
                err.printf(Locale.ROOT, "memshare select: reading %s: %d%% (%.1f of %.1f GB)%n", file, 10 * tenth, now / 1e9, total / 1e9);
                err.flush();
            }
        }
    }

    /** .csv: comma; .tsv, .tab and .txt: tab (a .txt without tabs: space, R's write.table default). */
    private static char byExtension(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) name = name.substring(0, name.length() - 3);
        if (name.endsWith(".tsv") || name.endsWith(".tab")) return '\t';
        if (name.endsWith(".txt")) {
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(open(file), StandardCharsets.UTF_8))) {
                String first = in.readLine();
                return first != null && first.indexOf('\t') >= 0 ? '\t' : ' ';
            }
        }
        return ',';
    }

    /**
     * FastCSV's complaint about the record starting on file line {@code line} (-1: unknown) as
     * one line naming the file and line; about quotes it adds what usually causes it.
     */
    private static MemshareCli.CliException parseError(Path file, long line, CsvParseException e) {
        String why = e.getCause() instanceof Exception c ? oneLine(c) : oneLine(e);
        String hint = why.contains("quote") ? " (a quote inside a quoted cell must be doubled, as write.csv and pandas write it, and every quoted cell "
                + "closed; R's write.table writes \\\" unless given qmethod = \"double\")" : "";
        return fail(file + (line > 0 ? ", line " + line : "") + ": " + why + hint);
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return MemshareCli.oneLine(m);
    }

    private static MemshareCli.CliException fail(String message) {
        return new MemshareCli.CliException(message);
    }
}
