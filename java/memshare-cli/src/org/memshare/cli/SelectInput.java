package org.memshare.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * {@code memshare select}'s input, as picocli argument groups: a table, numpy files or a shared
 * matrix, at most one of them (picocli refuses two; the message is SelectOptions.inputs'); none is
 * the embedded data set. Which options of a group need which others (--csv and --target, --npy
 * and --target-npy) stays in SelectOptions: picocli's "Missing required argument(s)" would name
 * the option but not say which one asked for it.
 */
final class SelectInput {
    @ArgGroup(exclusive = false, order = 1, heading = "%nA table:%n")
    Table table;

    @ArgGroup(exclusive = false, order = 2, heading = "%nnumpy files:%n")
    Npy npy;

    @ArgGroup(exclusive = false, order = 3, heading = "%nA matrix already in shared memory:%n")
    Shared shared;

    /** The table's options; {@link #NONE} when none is given. */
    static final class Table {
        static final Table NONE = new Table();

        @Option(names = "--csv", paramLabel = "FILE", description = {"A table with a header row, as R's write.csv/write.table or "
                + "pandas' to_csv write it: .csv, .tsv, .txt, also gzipped (.gz). Row names or an index column are observation IDs; "
                + "missing values empty, NA or NaN; infinities Inf, inf or Infinity. Text columns: see --discrete."})
        Path csv;

        @Option(names = "--target", paramLabel = "COL", description = "The target column of the CSV.")
        String target;

        @Option(names = "--sep", paramLabel = "CHAR", description = "Field separator (default: the one of comma, semicolon and tab the "
                + "header holds most of; else by extension: .csv comma, .tsv and .txt tab, a .txt without tabs space); 'tab' or '\\t' for a tab.")
        String sep;

        @Option(names = "--decimal", paramLabel = "CHAR", description = "The decimal mark of the numbers: '.' (default) or ',' "
                + "(decimal commas, as write.csv2 and Excel in many locales write them; the separator must then not be a comma).")
        String decimal;

        @Option(names = "--exclude", paramLabel = "COL", split = ",", description = "Columns to leave out of the ranking (e.g. an ID).")
        List<String> exclude = new ArrayList<>();
    }

    /** The numpy files; {@link #NONE} when none is given. */
    static final class Npy {
        static final Npy NONE = new Npy();

        @Option(names = "--npy", paramLabel = "X.npy", description = "Rank the columns of a matrix numpy saved (numpy.save: float64, "
                + "float32, int64, int32, ...; C or Fortran order), copied into shared memory, not parsed; needs --target-npy. Features "
                + "are V1..Vp unless --names.")
        Path npy;

        @Option(names = "--target-npy", paramLabel = "y.npy", description = "The target for --npy: one value per row; its name is the "
                + "file's (y for y.npy).")
        Path targetNpy;
    }

    /** The shared matrix and target; {@link #NONE} when none is given. */
    static final class Shared {
        static final Shared NONE = new Shared();

        @Option(names = "--shared", paramLabel = "NS:VAR", description = "Rank the columns of a matrix another process already "
                + "shares (R's registerVariables, another JVM), zero-copy; needs --target-shared. Features are V1..Vp unless --names.")
        String shared;

        @Option(names = "--target-shared", paramLabel = "NS:VAR", description = "The shared target vector, in the namespace of --shared.")
        String targetShared;
    }
}
