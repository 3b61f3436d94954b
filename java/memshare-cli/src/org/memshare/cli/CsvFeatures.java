package org.memshare.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a numeric CSV for {@code memshare select}: a header row, then one row per observation;
 * cells separated by commas; missing values written as an empty cell, {@code NA} or {@code NaN}.
 * Every failure is a {@link MemshareCli.CliException} with a one-line message naming the file,
 * the line and the column.
 */
final class CsvFeatures {
    private CsvFeatures() {}

    static FeatureData read(Path file, String target, List<String> discreteColumns) {
        List<String> header;
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            if (line == null) throw fail(file + " is empty; expected a header row and at least 3 data rows");
            header = split(stripBom(line));
            Set<String> seen = new HashSet<>();
            for (String h : header) {
                if (h.isEmpty()) throw fail(file + ": the header has an empty column name");
                if (!seen.add(h)) throw fail(file + ": the header names column '" + h + "' twice");
            }
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                List<String> cells = split(line);
                if (cells.size() != header.size())
                    throw fail(file + ", line " + lineNo + ": " + cells.size() + " cells, but the header has " + header.size());
                double[] row = new double[cells.size()];
                for (int c = 0; c < row.length; c++) row[c] = number(cells.get(c), file, lineNo, header.get(c));
                rows.add(row);
            }
        } catch (NoSuchFileException e) {
            throw fail("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw fail("cannot read " + file + ": " + e.getMessage());
        }
        int t = header.indexOf(target);
        if (t < 0) throw fail("no column '" + target + "' in " + file + " (columns: " + String.join(", ", header) + ")");
        for (String d : discreteColumns)
            if (!header.contains(d)) throw fail("--discrete names '" + d + "', which is not a column of " + file);
        if (rows.size() < 3) throw fail(file + " has " + rows.size() + " data rows; at least 3 are needed");
        if (header.size() < 2) throw fail(file + " has no feature columns besides the target '" + target + "'");

        int n = rows.size(), p = header.size() - 1;
        double[] columns = new double[Math.multiplyExact(n, p)];
        double[] y = new double[n];
        List<String> names = new ArrayList<>();
        boolean[] discrete = new boolean[p];
        int f = 0;
        for (int c = 0; c < header.size(); c++) {
            if (c == t) continue;
            names.add(header.get(c));
            discrete[f] = discreteColumns.contains(header.get(c));
            for (int i = 0; i < n; i++) columns[f * n + i] = rows.get(i)[c];
            f++;
        }
        for (int i = 0; i < n; i++) y[i] = rows.get(i)[t];
        return new FeatureData(file.toString(), n, names, new FeatureData.InMemory(columns, n), discrete, target, y,
                discreteColumns.contains(target), List.of());
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** Splits on commas; double quotes around a cell are removed (quoted commas are not supported). */
    private static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        for (String cell : line.split(",", -1)) {
            String c = cell.strip();
            if (c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")) c = c.substring(1, c.length() - 1).strip();
            out.add(c);
        }
        return out;
    }

    private static double number(String cell, Path file, int line, String column) {
        if (cell.isEmpty() || cell.equals("NA") || cell.equalsIgnoreCase("NaN")) return Double.NaN;
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw fail(file + ", line " + line + ", column '" + column + "': '" + cell + "' is not a number");
        }
    }

    private static MemshareCli.CliException fail(String message) {
        return new MemshareCli.CliException(message);
    }
}
