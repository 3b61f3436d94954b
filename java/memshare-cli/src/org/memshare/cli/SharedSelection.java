package org.memshare.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.memshare.MatrixView;
import org.memshare.MemshareException;
import org.memshare.Namespace;
import org.memshare.VectorView;

/**
 * {@code memshare select --shared NS:VAR --target-shared NS:VAR}: ranks the columns of a matrix
 * that another process (an R session that called {@code registerVariables}, another JVM) already
 * shares, against a shared vector, with no copy: the workers read the owner's pages. Every
 * decision about the data (the class rule, row numbers, degenerate targets, --na-rm's rows) is
 * the one every other source gets (SelectCommand, Decisions).
 */
final class SharedSelection {
    private SharedSelection() {}

    /** A shared variable named on the command line as {@code NS:VAR}. */
    record Name(String ns, String var) {
        static Name parse(String option, String value) {
            int colon = value.indexOf(':');
            if (colon <= 0 || colon == value.length() - 1)
                throw new MemshareCli.UsageException(option + " wants NAMESPACE:VARIABLE, not '" + value + "'");
            return new Name(value.substring(0, colon), value.substring(colon + 1));
        }

        @Override
        public String toString() {
            return ns + ":" + var;
        }
    }

    /**
     * The pages a shared source's features are in: ranked where they are, never copied. The
     * features are {@code x}'s columns in order; {@code y}, the target, is in the same namespace.
     */
    record InPlace(Name x, Name y) implements FeatureData.Columns {
        @Override
        public void put(Namespace space, String name, int rows, int[] members) {
            throw new IllegalStateException(x + " is ranked where it is, not copied");
        }
    }

    /**
     * The shared matrix as {@code select} ranks it: its names, a copy of the target (n values, for
     * the decisions every source goes through), and its columns left in place. Checked before any work.
     */
    static FeatureData read(Name x, Name y, Path namesFile) {
        if (!x.ns().equals(y.ns()))
            throw new MemshareCli.UsageException("--shared and --target-shared must be in one namespace (the workers resolve "
                    + "the target there), not '" + x.ns() + "' and '" + y.ns() + "'");
        long rows, cols;
        double[] target;
        try (Namespace space = Namespace.of(x.ns()); MatrixView m = space.matrix(x.var()); VectorView v = space.vector(y.var())) {
            rows = m.nrow();
            cols = m.ncol();
            if (v.length() != rows)
                throw new MemshareCli.CliException(y + " holds " + v.length() + " values, but " + x + " has " + rows + " rows");
            if (rows < 3) throw new MemshareCli.CliException(x + " has " + rows + " rows; at least 3 are needed");
            if (rows > Integer.MAX_VALUE - 8 || cols > Integer.MAX_VALUE - 8)
                throw new MemshareCli.CliException(x + " has more rows or columns than select ranks");
            target = new double[(int) rows];
            v.copyTo(target);
        } catch (MemshareException e) {
            throw new MemshareCli.CliException(e.getMessage());
        } catch (ClassCastException | IllegalStateException e) {
            throw new MemshareCli.CliException(x + " must be a matrix and " + y + " a vector: " + e.getMessage());
        }
        List<String> names = names(namesFile, cols, x.toString());
        return new FeatureData(x + " (shared)", (int) rows, names, new InPlace(x, y), new boolean[names.size()], y.var(), target, false,
                List.of());
    }

    /** V1..Vp, as R names the columns of an unnamed matrix, or one name per line of a file. */
    static List<String> names(Path file, long cols, String x) {
        List<String> names = new ArrayList<>();
        if (file == null) {
            for (long j = 1; j <= cols; j++) names.add("V" + j);
            return names;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) if (!line.isBlank()) names.add(line.strip());
        } catch (IOException e) {
            throw new MemshareCli.CliException("cannot read " + file + ": " + MemshareCli.oneLine(String.valueOf(e.getMessage())));
        }
        if (names.size() != cols)
            throw new MemshareCli.CliException(file + " names " + names.size() + " features, but " + x + " has " + cols + " columns");
        return names;
    }
}
