package org.memshare.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The checks of {@code memshare select}'s options that need no data, run before any work (so that
 * a bad {@code --plot} name no longer throws a finished ranking away): each failure is a
 * {@link MemshareCli.UsageException}, exit status 2. What needs the header (the columns named)
 * is checked as soon as the header is read (CsvFeatures).
 */
final class SelectOptions {
    private SelectOptions() {}

    static void check(SelectCommand c) {
        boolean npy = c.npy != null || c.targetNpy != null, shared = c.shared != null || c.targetShared != null;
        int sources = (c.csv != null ? 1 : 0) + (npy ? 1 : 0) + (shared ? 1 : 0);
        if (sources > 1) usage("--csv, --npy and --shared are three different inputs: name one");
        if (npy && (c.npy == null || c.targetNpy == null)) usage("--npy and --target-npy go together");
        if (shared && (c.shared == null || c.targetShared == null)) usage("--shared and --target-shared go together");
        if (c.namesFile != null && !npy && !shared) usage("--names goes with --npy or --shared (a table's header names its columns)");
        if (c.csv != null && c.target == null) usage("--csv needs --target COL");
        if (c.csv == null && c.target != null) usage("--target needs --csv FILE");
        if (c.csv == null && (c.sep != null || !c.exclude.isEmpty() || c.decimal != null))
            usage("--sep, --decimal and --exclude need --csv FILE");
        if (c.decimal != null && !c.decimal.equals(".") && !c.decimal.equals(","))
            usage("--decimal is '.' or ',', not '" + c.decimal + "'");
        if (c.csv == null && !npy && !shared && (!c.discrete.isEmpty() || c.continuous != null || c.discreteFeatures))
            usage("--discrete, --continuous and --discrete-features name columns of --csv, --npy or --shared");
        if (c.continuous != null && c.discrete.contains(c.continuous))
            usage("--discrete and --continuous both name '" + c.continuous + "'");
        String target = c.csv != null ? c.target : npy ? NpyFeatures.targetName(c.targetNpy)
                : shared ? SharedSelection.Name.parse("--target-shared", c.targetShared).var() : null;
        if (c.continuous != null && !c.continuous.equals(target))
            usage("--continuous names the target '" + target + "' only (features are continuous unless --discrete names them), not '"
                    + c.continuous + "'");
        // numpy's and shared matrices are one page of continuous features: only the target can be discrete.
        for (String d : c.discrete)
            if (c.csv == null && !d.equals(target))
                usage("with " + (npy ? "--npy" : "--shared") + ", --discrete may name only the target '" + target + "', not '" + d
                        + "' (--discrete-features ranks the features of few integer values as discrete)");
        if (c.top < 1) usage("--top must be at least 1, not " + c.top);
        if (c.workers != null && c.workers < 1) usage("--workers must be at least 1, not " + c.workers);
        if (c.spark != null && (c.processes || c.workers != null || shared))
            usage("--spark runs on the cluster's executors: leave out --processes, --workers and --shared");
        if (c.spark == null && c.sparkDir != null) usage("--spark-dir needs --spark MASTER");
        if (c.plot != null) plot(c.plot);
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
