package org.memshare.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The checks of {@code memshare select}'s options that need no data, run before any work (so that
 * a bad {@code --plot} name no longer throws a finished ranking away): each failure is a
 * {@link MemshareCli.UsageException}, exit status 2. What needs the header (the columns named)
 * is checked as soon as the header is read (CsvFeatures).
 */
final class SelectOptions {
    private SelectOptions() {}

    static void check(SelectCommand c) {
        SelectInput.Table t = c.table();
        SelectInput.Npy np = c.npyInput();
        SelectInput.Shared sh = c.sharedInput();
        // That at most one input is given, picocli's argument group checked (inputs() words it).
        boolean npy = np.npy != null || np.targetNpy != null, shared = sh.shared != null || sh.targetShared != null;
        boolean table = c.input != null && c.input.table != null;
        if ((table || npy || shared) && SYNTHETIC.stream().anyMatch(c.spec.commandLine().getParseResult()::hasMatchedOption))
            usage(String.join(", ", SYNTHETIC) + " shape the embedded data set: leave them out with --csv, --npy or --shared");
        if (npy && (np.npy == null || np.targetNpy == null)) usage("--npy and --target-npy go together");
        if (shared && (sh.shared == null || sh.targetShared == null)) usage("--shared and --target-shared go together");
        if (c.namesFile != null && !npy && !shared) usage("--names goes with --npy or --shared (a table's header names its columns)");
        if (t.csv != null && t.target == null) usage("--csv needs --target COL");
        if (t.csv == null && t.target != null) usage("--target needs --csv FILE");
        if (t.csv == null && (t.sep != null || !t.exclude.isEmpty() || t.decimal != null))
            usage("--sep, --decimal and --exclude need --csv FILE");
        if (t.decimal != null && !t.decimal.equals(".") && !t.decimal.equals(","))
            usage("--decimal is '.' or ',', not '" + t.decimal + "'");
        if (t.sep != null) separator(t.sep, ",".equals(t.decimal) ? ',' : '.');
        if (t.csv == null && !npy && !shared && (!c.discrete.isEmpty() || c.continuous != null || c.discreteFeatures))
            usage("--discrete, --continuous and --discrete-features name columns of --csv, --npy or --shared");
        if (c.continuous != null && c.discrete.contains(c.continuous))
            usage("--discrete and --continuous both name '" + c.continuous + "'");
        String target = t.csv != null ? t.target : npy ? NpyFeatures.targetName(np.targetNpy)
                : shared ? SharedSelection.Name.parse("--target-shared", sh.targetShared).var() : null;
        if (c.continuous != null && !c.continuous.equals(target))
            usage("--continuous names the target '" + target + "' only (features are continuous unless --discrete names them), not '"
                    + c.continuous + "'");
        // numpy's and shared matrices are one page of continuous features: only the target can be discrete.
        for (String d : c.discrete)
            if (t.csv == null && !d.equals(target))
                usage("with " + (npy ? "--npy" : "--shared") + ", --discrete may name only the target '" + target + "', not '" + d
                        + "' (--discrete-features ranks the features of few integer values as discrete)");
        if (c.top < 1) usage("--top must be at least 1, not " + c.top);
        if (c.workers != null && c.workers < 1) usage("--workers must be at least 1, not " + c.workers);
        if (c.spark != null && (c.processes || c.workers != null || shared))
            usage("--spark runs on the cluster's executors: leave out --processes, --workers and --shared");
        if (c.spark == null && c.sparkDir != null) usage("--spark-dir needs --spark MASTER");
        if (c.plot != null) plot(c.plot);
    }

    /**
     * The character {@code --sep} names, or a usage error naming the fix: one character (or tab,
     * space), and none that is part of a number, since a number would then be cut in two cells:
     * a digit, a sign, {@code e}/{@code E} (1e-5), the decimal mark {@code decimal} in use, or the
     * quote, which opens a quoted cell.
     */
    static char separator(String option, char decimal) {
        char sep = switch (option) {
            case "\\t", "tab", "\t" -> '\t';
            case "space", " " -> ' ';
            default -> option.length() == 1 ? option.charAt(0) : 0;
        };
        String fix = "; name the character between the cells, e.g. --sep ';' or --sep tab, or leave --sep out (the separator is "
                + "found from the header)";
        if (sep == 0 || sep == '\n' || sep == '\r')
            usage("--sep is one character (or 'tab', '\\t', 'space'), not '" + MemshareCli.oneLine(option) + "'" + fix);
        String why = Character.isDigit(sep) ? "a digit" : sep == '+' || sep == '-' ? "a sign (-1.5)"
                : sep == 'e' || sep == 'E' ? "the exponent mark (1e-5)" : sep == '"' ? "the quote that opens a quoted cell"
                : sep == decimal ? (decimal == '.' ? "the decimal point (1.5)" : "the decimal comma (1,5) that --decimal , reads") : null;
        if (why != null) usage("--sep '" + sep + "' cannot separate cells: it is " + why + ", part of the cells themselves" + fix);
        return sep;
    }

    /** The hidden options of the embedded data set (scripts/bench select sets its shape). */
    static final java.util.List<String> SYNTHETIC = java.util.List.of("--synthetic-rows", "--synthetic-features", "--seed");

    /**
     * The message for two inputs at once, in place of picocli's, which lists every input group
     * with all its options (and the hidden ones as "[]") rather than the two given.
     */
    static String inputs(CommandLine.ParseResult given) {
        // The first option given of each input group: "--csv, --npy".
        java.util.Map<CommandLine.Model.ArgGroupSpec, String> named = new java.util.LinkedHashMap<>();
        for (CommandLine.Model.OptionSpec o : given.matchedOptions())
            if (o.group() != null && o.group().parentGroup() != null) named.putIfAbsent(o.group(), o.longestName());
        return "--csv, --npy and --shared are three different inputs: name one (given: " + String.join(", ", named.values()) + ")";
    }

    /** The plot's name and directory, before anything is read or ranked. */
    static void plot(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".png") && !name.endsWith(".svg"))
            usage("--plot writes PNG or SVG: name the file *.png or *.svg, not '" + file + "'");
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) usage("--plot " + file + ": the directory " + dir + " does not exist");
        if (!Files.isWritable(dir) || Files.isDirectory(file) || Files.exists(file) && !Files.isWritable(file))
            usage("--plot " + file + ": cannot write there (" + (Files.isDirectory(file) ? "a directory" : "no write permission") + ")");
    }

    private static void usage(String message) {
        throw new MemshareCli.UsageException(message);
    }
}
