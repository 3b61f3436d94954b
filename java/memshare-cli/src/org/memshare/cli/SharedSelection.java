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
import org.memshare.apply.Apply;
import org.memshare.apply.ApplyOptions;
import org.memshare.apply.Margin;
import org.memshare.mi.MutualInfo;
import org.memshare.mi.MutualInfoOptions;

/**
 * {@code memshare select --shared NS:VAR --target-shared NS:VAR}: ranks the columns of a matrix
 * that another process (an R session that called {@code registerVariables}, another JVM) already
 * shares, against a shared vector, with no copy: the workers read the owner's pages.
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

    /** What the ranking needs to know of the two variables, checked before any work. */
    record Shared(Name x, Name y, long rows, List<String> names) {}

    static Shared check(Name x, Name y, Path namesFile) {
        if (!x.ns().equals(y.ns()))
            throw new MemshareCli.UsageException("--shared and --target-shared must be in one namespace (the workers resolve "
                    + "the target there), not '" + x.ns() + "' and '" + y.ns() + "'");
        long rows, cols;
        try (Namespace space = Namespace.of(x.ns()); MatrixView m = space.matrix(x.var()); VectorView v = space.vector(y.var())) {
            rows = m.nrow();
            cols = m.ncol();
            if (v.length() != rows)
                throw new MemshareCli.CliException(y + " holds " + v.length() + " values, but " + x + " has " + rows + " rows");
        } catch (MemshareException e) {
            throw new MemshareCli.CliException(e.getMessage());
        } catch (ClassCastException | IllegalStateException e) {
            throw new MemshareCli.CliException(x + " must be a matrix and " + y + " a vector: " + e.getMessage());
        }
        if (rows < 3) throw new MemshareCli.CliException(x + " has " + rows + " rows; at least 3 are needed");
        return new Shared(x, y, rows, names(namesFile, cols, x.toString()));
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

    /** The mutual information of every column of x with y, in column order. */
    static double[] rank(Shared s, MutualInfoOptions o, ApplyOptions options) {
        String y = s.y().var();
        return Apply.memApplyDouble(s.x().var(), Margin.COLUMNS,
                (col, vars) -> MutualInfo.mutualinfo(col, vars.vector(y).column(0), o),
                options.withNamespace(s.x().ns()).withVarNames(y));
    }
}
