package org.memshare.cli;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Reads a table for {@code memshare select} the way R and pandas write them: RFC 4180 quoting
 * (FastCSV), a UTF-8 byte order mark, CRLF line ends, gzip ({@code .gz}); separators by extension
 * ({@code .csv} comma, {@code .tsv} tab, {@code .txt} tab or else space) or {@code --sep}; R's
 * row-name column and pandas' index column (an empty first header cell, {@code Unnamed: 0}, or a
 * header one cell shorter than the rows, as R's {@code write.table} writes it) taken as
 * observation IDs; missing and infinite values as {@link Cells} reads them.
 *
 * <p>A text target is discrete, its labels encoded as categories (1, 2, ... in order of first
 * appearance); so is a text column named in {@code --discrete}. Any other text column is left out
 * with one line on {@code err} naming it. The file is read twice: once to learn the shape and
 * which columns are text, once to parse the values into one column-major array.
 *
 * <p>Every failure is a {@link MemshareCli.CliException} with a one-line message naming the
 * file, and where it applies the line and the column.
 */
final class CsvFeatures {
    private CsvFeatures() {}

    /** What the user asked for: the target, discrete and excluded columns, a separator or null. */
    record Request(String target, List<String> discrete, List<String> exclude, String separator, boolean allowMissing) {}

    /** What the first pass learns. */
    private record Shape(char separator, List<String> names, boolean rowNames, int rows, boolean[] text, String[] example,
                         long[] exampleLine) {}

    static FeatureData read(Path file, Request request, org.memshare.Namespace space, int workers, PrintWriter err) {
        try {
            Shape shape = scan(file, request.separator());
            return parse(file, request, shape, err);
        } catch (NoSuchFileException e) {
            throw fail("cannot read " + file + ": no such file");
        } catch (CsvParseException e) {
            throw fail(file + ": " + oneLine(e) + (e.getCause() != null ? ": " + oneLine((Exception) e.getCause()) : ""));
        } catch (IOException | UncheckedIOException e) {
            throw fail("cannot read " + file + ": " + oneLine(e));
        }
    }

    // ---------------------------------------------------------------- pass 1: the shape

    private static Shape scan(Path file, String separatorOption) throws IOException {
        char sep = separatorOption != null ? separator(separatorOption) : byExtension(file);
        List<String> header;
        boolean rowNames;
        int rows = 0;
        boolean[] text;
        String[] example;
        long[] exampleLine;
        try (CsvReader<CsvRecord> csv = reader(file, sep)) {
            var it = csv.iterator();
            if (!it.hasNext()) throw fail(file + " is empty; expected a header row and at least 3 data rows");
            header = new ArrayList<>(it.next().getFields());
            rowNames = header.get(0).isEmpty() || header.get(0).equals("Unnamed: 0");
            CsvRecord first = it.hasNext() ? it.next() : null;
            if (first != null && first.getFieldCount() == header.size() + 1) {
                header.add(0, "");  // R's write.table: no header cell above the row names
                rowNames = true;
            }
            int width = header.size();
            text = new boolean[width];
            example = new String[width];
            exampleLine = new long[width];
            for (CsvRecord r = first; r != null; r = it.hasNext() ? it.next() : null) {
                if (r.getFieldCount() != width)
                    throw fail(file + ", line " + r.getStartingLineNumber() + ": " + r.getFieldCount() + " cells, but the header has "
                            + width);
                for (int c = rowNames ? 1 : 0; c < width; c++) {
                    if (text[c]) continue;
                    String cell = r.getField(c);
                    if (Cells.number(cell) == null) {
                        text[c] = true;
                        example[c] = cell;
                        exampleLine[c] = r.getStartingLineNumber();
                    }
                }
                rows++;
            }
        }
        return new Shape(sep, header, rowNames, rows, text, example, exampleLine);
    }

    // ---------------------------------------------------------------- pass 2: the values

    private static FeatureData parse(Path file, Request request, Shape shape, PrintWriter err) throws IOException {
        List<String> names = shape.names();
        int from = shape.rowNames() ? 1 : 0;
        Map<String, Integer> index = new HashMap<>();
        for (int c = from; c < names.size(); c++) {
            String name = names.get(c);
            if (name.isEmpty()) throw fail(file + ": header cell " + (c + 1) + " is empty; every column needs a name");
            if (index.put(name, c) != null) throw fail(file + ": the header names column '" + name + "' twice");
        }
        Integer t = index.get(request.target());
        if (t == null)
            throw fail("no column '" + request.target() + "' in " + file + " (columns: " + String.join(", ", names.subList(from, names.size()))
                    + ")");
        for (String d : request.discrete())
            if (!index.containsKey(d)) throw fail("--discrete names '" + d + "', which is not a column of " + file);
        Set<String> excluded = new HashSet<>(request.exclude());
        for (String x : excluded)
            if (!index.containsKey(x)) throw fail("--exclude names '" + x + "', which is not a column of " + file);
        if (excluded.contains(request.target())) throw fail("--exclude names the target '" + request.target() + "'");
        if (shape.rows() < 3) throw fail(file + " has " + shape.rows() + " data rows; at least 3 are needed");

        if (shape.rowNames())
            err.println("memshare select: " + file + ": the first column holds row names (as R's write.csv and pandas' "
                    + "to_csv write them): observation IDs, not a feature");
        List<Integer> features = new ArrayList<>();
        for (int c = from; c < names.size(); c++) {
            String name = names.get(c);
            if (c == t || excluded.contains(name)) continue;
            if (shape.text()[c] && !request.discrete().contains(name)) {
                err.println("memshare select: " + file + ": leaving out column '" + name + "': it holds text ('"
                        + shape.example()[c] + "' on line " + shape.exampleLine()[c] + "); name it in --discrete to rank it "
                        + "as a category, or --exclude it to silence this");
                continue;
            }
            features.add(c);
        }
        if (features.isEmpty()) throw fail(file + " has no feature columns besides the target '" + request.target() + "'");

        int n = shape.rows(), p = features.size();
        long cells = (long) n * p;
        if (cells > Integer.MAX_VALUE - 8)
            throw fail(file + ": " + n + " rows x " + p + " features is more values than one Java array holds");
        double[] columns = new double[(int) cells];
        double[] y = new double[n];
        // Text columns that are read as categories: label -> code, in order of first appearance.
        Map<Integer, Map<String, Integer>> labels = new HashMap<>();
        for (int c : features) if (shape.text()[c]) labels.put(c, new HashMap<>());
        if (shape.text()[t]) labels.put(t, new HashMap<>());
        int[] slot = new int[names.size()];
        java.util.Arrays.fill(slot, -1);
        for (int f = 0; f < p; f++) slot[features.get(f)] = f;
        try (CsvReader<CsvRecord> csv = reader(file, shape.separator())) {
            var it = csv.iterator();
            it.next();  // the header
            for (int i = 0; it.hasNext(); ) {
                CsvRecord r = it.next();
                for (int c = from; c < names.size(); c++) {
                    if (c != t && slot[c] < 0) continue;
                    double v = value(r.getField(c), labels.get(c));
                    if (c == t) y[i] = v;
                    else columns[slot[c] * n + i] = v;
                }
                i++;
            }
        }
        List<String> featureNames = new ArrayList<>();
        boolean[] discrete = new boolean[p];
        for (int f = 0; f < p; f++) {
            String name = names.get(features.get(f));
            featureNames.add(name);
            discrete[f] = request.discrete().contains(name);
        }
        boolean targetDiscrete = request.discrete().contains(request.target()) || shape.text()[t];
        if (!request.allowMissing()) {
            for (int f = 0; f < p; f++)
                if (!discrete[f])
                    for (int i = 0; i < n; i++)
                        if (!Double.isFinite(columns[f * n + i])) throw missing(file, "column '" + featureNames.get(f) + "'", i);
            if (!targetDiscrete)
                for (int i = 0; i < n; i++) if (!Double.isFinite(y[i])) throw missing(file, "the target '" + request.target() + "'", i);
        }
        if (shape.text()[t])
            err.println("memshare select: " + file + ": the target '" + request.target() + "' holds text: "
                    + labels.get(t).size() + " classes, ranked as a discrete target");
        return new FeatureData(file.toString(), n, featureNames, (FeatureData.ColumnByColumn) (j, into) -> System.arraycopy(columns, j * n, into, 0, n), discrete, request.target(), y,
                targetDiscrete, List.of());
    }

    private static MemshareCli.CliException missing(Path file, String what, int row) {
        return fail(file + ": " + what + " has a missing or non-finite value in data row " + (row + 1)
                + "; use --na-rm to drop such rows, or --discrete if it is a category");
    }

    private static double value(String cell, Map<String, Integer> categories) {
        if (categories == null) return Cells.number(cell);
        String label = cell.strip();
        if (Cells.missing(label)) return Double.NaN;
        return categories.computeIfAbsent(label, k -> categories.size() + 1);
    }

    // ---------------------------------------------------------------- files and separators

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static CsvReader<CsvRecord> reader(Path file, char separator) throws IOException {
        // Ragged rows are this reader's to report (with its own message), and R's write.table
        // header is one cell short: FastCSV is told to pass both through.
        return CsvReader.builder().fieldSeparator(separator).detectBomHeader(true).skipEmptyLines(true).allowExtraFields(true)
                .allowMissingFields(true).ofCsvRecord(open(file), StandardCharsets.UTF_8);
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

    private static char separator(String option) {
        switch (option) {
            case "\\t", "tab", "\t": return '\t';
            case "space", " ": return ' ';
            default:
                if (option.length() == 1 && option.charAt(0) != '"' && option.charAt(0) != '\n' && option.charAt(0) != '\r')
                    return option.charAt(0);
                throw fail("--sep must be one character (or 'tab', '\\t', 'space'), not '" + option + "'");
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return MemshareCli.oneLine(m);
    }

    private static MemshareCli.CliException fail(String message) {
        return new MemshareCli.CliException(message);
    }
}
