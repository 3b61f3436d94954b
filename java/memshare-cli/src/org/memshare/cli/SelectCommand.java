package org.memshare.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.memshare.ArrayPage;
import org.memshare.ElementType;
import org.memshare.MatrixView;
import org.memshare.Namespace;
import org.memshare.apply.Apply;
import org.memshare.apply.ApplyOptions;
import org.memshare.apply.Margin;
import org.memshare.apply.WorkerCluster;
import org.memshare.mi.MutualInfo;
import org.memshare.mi.MutualInfoOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code memshare select}: ranks the features of a matrix by their mutual information with a
 * target. The matrix is registered once; workers (threads, or worker processes) read it through
 * views. Progress and reports go to stderr; stdout carries only the table or the TSV.
 */
@Command(name = "select", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Rank features by mutual information with a target (nats), every worker reading one shared copy.",
                "Without --csv: an embedded synthetic data set of 10,446 x 2,000 with a 32-class target and 20 planted "
                        + "informative features."})
final class SelectCommand implements Callable<Integer> {
    enum OutputFormat { table, tsv, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--csv", paramLabel = "FILE", description = {"A table with a header row, as R's write.csv/write.table or "
            + "pandas' to_csv write it: .csv, .tsv, .txt, also gzipped (.gz). Row names or an index column are observation IDs; "
            + "missing values empty, NA or NaN; infinities Inf, inf or Infinity. Text columns: see --discrete."})
    Path csv;

    @Option(names = "--shared", paramLabel = "NS:VAR", description = "Rank the columns of a matrix another process already "
            + "shares (R's registerVariables, another JVM), zero-copy; needs --target-shared. Features are V1..Vp unless --names.")
    String shared;

    @Option(names = "--target-shared", paramLabel = "NS:VAR", description = "The shared target vector, in the namespace of --shared.")
    String targetShared;

    @Option(names = "--npy", paramLabel = "X.npy", description = "Rank the columns of a matrix numpy saved (numpy.save: float64, "
            + "float32, int64, int32, ...; C or Fortran order), copied into shared memory, not parsed; needs --target-npy. Features "
            + "are V1..Vp unless --names.")
    Path npy;

    @Option(names = "--target-npy", paramLabel = "y.npy", description = "The target for --npy: one value per row; its name is the "
            + "file's (y for y.npy).")
    Path targetNpy;

    @Option(names = "--names", paramLabel = "FILE", description = "With --shared or --npy: the feature names, one per line.")
    Path namesFile;

    @Option(names = "--sep", paramLabel = "CHAR", description = "Field separator (default: the one of comma, semicolon and tab the "
            + "header holds most of; else by extension: .csv comma, .tsv and .txt tab, a .txt without tabs space); 'tab' or '\\t' for a tab.")
    String sep;

    @Option(names = "--decimal", paramLabel = "CHAR", description = "The decimal mark of the numbers: '.' (default) or ',' "
            + "(decimal commas, as write.csv2 and Excel in many locales write them; the separator must then not be a comma).")
    String decimal;

    @Option(names = "--exclude", paramLabel = "COL", split = ",", description = "Columns to leave out of the ranking (e.g. an ID).")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--target", paramLabel = "COL", description = "The target column of the CSV.")
    String target;

    @Option(names = "--discrete", paramLabel = "COL", split = ",", description = "Discrete columns (the target included). A text "
            + "target is discrete by itself, its labels encoded as categories; a text column named here is encoded too; other text "
            + "columns are left out, each named on stderr.")
    List<String> discrete = new ArrayList<>();

    @Option(names = "--continuous", paramLabel = "COL", description = "Rank the target as continuous even when it holds class labels "
            + "by the rule (integers with at most 50 distinct values and at least 5 rows per value); see docs/CLI.md.")
    String continuous;

    @Option(names = "--discrete-features", description = "Rank every feature that holds class labels by the same rule as "
            + "discrete (a table estimate), the others as continuous. Off by default: features are continuous unless --discrete names them.")
    boolean discreteFeatures;

    @Option(names = "--rank-row-numbers", description = "Rank a first column that holds the row numbers (0..n-1 or 1..n, as pandas "
            + "writes a named index) as a feature; by default it is taken as observation IDs.")
    boolean rankRowNumbers;

    @Option(names = "--quiet", description = "Leave out the progress lines (reading, ranking); notes, warnings and the summary stay.")
    boolean quiet;

    @Option(names = "--na-rm", description = "Drop positions where a feature or the target is missing (else missing values fail).")
    boolean naRm;

    @Option(names = "--mpmi", description = "Use the kernel estimate of mpmi instead of Pareto density estimation.")
    boolean mpmi;

    @Option(names = "--top", paramLabel = "K", defaultValue = "20", description = "Rows of the table (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (top K), tsv (all features: feature<TAB>mi, full precision) or json (all features, ranked, "
                    + "with nats and bits). Default: ${DEFAULT-VALUE}.")
    OutputFormat format;

    @Option(names = "--plot", paramLabel = "FILE.png|svg", description = "Also draw the ranking (PNG or SVG): the top K as bars, and the sorted "
            + "curve of all features (where the elbow is).")
    Path plot;

    @Option(names = "--workers", paramLabel = "N", description = "Workers (default: available processors).")
    Integer workers;

    @Option(names = "--processes", description = "Run the workers as JVM processes instead of threads.")
    boolean processes;

    @Option(names = "--spark", paramLabel = "MASTER", description = {"Rank on a Spark cluster instead: local-cluster[N,cores,MiB] "
            + "or spark://host:port. Each host holds one copy of the matrix for all its executors. Needs Spark on the class path "
            + "(scripts/memshare puts it there); see docs/SPARK.md."})
    String spark;

    @Option(names = "--spark-dir", paramLabel = "DIR", description = "With --spark: where the matrix is written for the executors "
            + "to read, at the same path on every host (default: the temporary directory, enough on one machine).")
    Path sparkDir;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "20251125", hidden = true)
    long seed;

    // The synthetic data set's shape: scripts/bench select uses the paper's 10,446 x 19,637.
    @Option(names = "--synthetic-rows", defaultValue = "10446", hidden = true)
    int syntheticRows;

    @Option(names = "--synthetic-features", defaultValue = "2000", hidden = true)
    int syntheticFeatures;

    // The size of the chunks a table is cut into for parallel parsing (0: by file size); tests use
    // tiny chunks, so that small files take the paths of big ones.
    @Option(names = "--csv-chunk-bytes", defaultValue = "0", hidden = true)
    long csvChunkBytes;

    @Override
    public Integer call() throws IOException {
        SelectOptions.check(this);
        if (spark != null) requireSpark();
        int n = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();

        if (npy == null && targetNpy == null && (shared != null || targetShared != null || namesFile != null))
            return rankShared(out, err, n);
        long t0 = System.nanoTime();
        String ns = "sel" + Long.toString(ProcessHandle.current().pid(), 36);
        // Worker processes start while the data is read (see EarlyWorkers), warmed up with the
        // estimator's function; closed however reading ends.
        try (EarlyWorkers early = processes && spark == null
                ? EarlyWorkers.start(n, miFunction(new MutualInfoOptions(false, true, naRm, mpmi), discreteFeatures)) : null;
             Namespace space = Namespace.of(ns)) {
            FeatureData data = csv != null
                    ? CsvFeatures.read(csv, new CsvFeatures.Request(target, discrete, exclude, sep, naRm || mpmi, csvChunkBytes,
                            ",".equals(decimal), rankRowNumbers, quiet), space, n, err)
                    : npy != null ? readNpy()
                    : SyntheticFeatures.generate(syntheticRows, syntheticFeatures, SyntheticFeatures.PLANTED, seed);
            data = Decisions.target(data, discrete.contains(data.targetName()), data.targetName().equals(continuous), naRm || mpmi, err);
            rank(space, data, n, t0, early, out, err);
        }
        return 0;
    }

    /**
     * Registers what is not yet in {@code space}, ranks every feature on {@code n} workers (the
     * worker processes of {@code early}, if not null), prints.
     */
    private void rank(Namespace space, FeatureData data, int n, long t0, EarlyWorkers early, PrintWriter out, PrintWriter err)
            throws IOException {
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        double[] mi = new double[data.features()];
        long registerNs = 0, rankNs = 0;
        try (SparkRanking onSpark = spark != null ? SparkRanking.start(spark, sparkDirectory(), data.target()) : null;
             PssSampler memory = new PssSampler(List.of())) {
            space.register("y", data.target());
            Progress progress = new Progress(quiet ? null : err, data.features(), System.console() != null);
            ApplyOptions options = ApplyOptions.defaults().withNamespace(space.name()).withWorkers(n).withProgress(progress);
            // First every page and what its columns hold (the decisions are reported before the
            // ranking), then the ranking, group by group.
            Decisions.Facts facts = new Decisions.Facts(new boolean[data.features()], new int[data.features()]);
            long r0 = System.nanoTime();
            for (boolean discreteGroup : new boolean[] {false, true}) {
                int[] members = indices(data.discrete(), discreteGroup);
                if (members.length == 0) continue;
                String name = discreteGroup ? "Xd" : "Xc";
                data.columns().put(space, name, data.rows(), members);
                try (MatrixView x = space.matrix(name)) {
                    Decisions.scan(x, members, data.target(), naRm || mpmi, facts);
                }
            }
            registerNs = System.nanoTime() - r0;
            Decisions.report(data, facts, naRm || mpmi, discreteFeatures, j -> column(space, data, j), err);
            if (early != null) {  // the data is ready: from here on the ranking needs the workers
                WorkerCluster cluster = early.await();
                memory.watch(cluster.pids());
                options = options.withCluster(cluster);
            }
            for (boolean discreteGroup : new boolean[] {false, true}) {
                int[] members = indices(data.discrete(), discreteGroup);
                if (members.length == 0) continue;
                String name = discreteGroup ? "Xd" : "Xc";
                long r1 = System.nanoTime();
                MutualInfoOptions o = new MutualInfoOptions(discreteGroup, data.targetDiscrete(), naRm, mpmi);
                double[] part;
                if (onSpark != null) {
                    part = onSpark.rank(space, name, o, progress);  // releases the page once the executors can read it
                } else {
                    part = Apply.memApplyDouble(name, Margin.COLUMNS, miFunction(o, !discreteGroup && discreteFeatures),
                            options.withVarNames("y"));
                    space.release(name);
                }
                rankNs += System.nanoTime() - r1;
                for (int k = 0; k < members.length; k++) mi[members[k]] = part[k];
            }
            progress.done();
            Decisions.negatives(data, mi, facts.classes(), discreteFeatures, err);
            print(out, data, mi);
            double seconds = (System.nanoTime() - t0) / 1e9;
            err.printf(Locale.ROOT, "memshare select: %d features in %.2f s wall time on %s (reading %.2f s, registering "
                    + "%.2f s, %sranking %.2f s); peak memory %.0f MiB (summed PSS of %s; the matrix is %s), "
                    + "peak heap %.0f MiB (used, uncollected garbage included)%n", data.features(), seconds, onSpark != null ? onSpark.describe()
                    : n + (processes ? " worker processes" : " threads"), loadSeconds, registerNs / 1e9,
                    early != null ? String.format(Locale.ROOT, "waiting for the workers %.2f s, ", early.waitedNanos() / 1e9) : "",
                    rankNs / 1e9, memory.peakPssKiB() / 1024.0,
                    onSpark != null ? "this driver; executors not counted" : "all processes", Format.size(8L * data.rows() * data.features()),
                    peakHeapBytes() / 1048576.0);
            if (!data.planted().isEmpty()) {
                List<String> topK = ranking(data, mi).subList(0, Math.min(top, data.features()));
                long found = data.planted().stream().filter(topK::contains).count();
                err.printf(Locale.ROOT, "memshare select: %d of the %d planted features are in the top %d%n", found,
                        data.planted().size(), topK.size());
            }
        }
    }

    /**
     * The function every worker runs on a column: the estimate with the flags {@code o}; with
     * {@code byRule} (--discrete-features), a column of class labels by {@link ClassRule} is
     * estimated as discrete (the same rule the CLI reported with, so the two agree).
     */
    static org.memshare.apply.DoubleApplyFunction miFunction(MutualInfoOptions o, boolean byRule) {
        MutualInfoOptions asDiscrete = o.withXDiscrete(true);
        return (col, vars) -> MutualInfo.mutualinfo(col, vars.vector("y").column(0), byRule && ClassRule.isClasses(col) ? asDiscrete : o);
    }

    /** Feature {@code j}'s column, read from its page (for the few columns --discrete names). */
    private static java.nio.DoubleBuffer column(Namespace space, FeatureData data, int j) {
        boolean d = data.discrete()[j];
        int k = 0;
        for (int i = 0; i < j; i++) if (data.discrete()[i] == d) k++;
        try (MatrixView x = space.matrix(d ? "Xd" : "Xc")) {
            java.nio.DoubleBuffer c = x.column(k);
            double[] copy = new double[c.limit()];
            c.get(0, copy);
            return java.nio.DoubleBuffer.wrap(copy);
        }
    }

    /** The JAR does not bundle Spark: without it on the class path, say how to get it there. */
    private static void requireSpark() {
        try {
            Class.forName("org.apache.spark.SparkConf", false, SelectCommand.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new MemshareCli.CliException("--spark needs Spark on the class path: run scripts/memshare (it adds it), or java -cp "
                    + "\"memshare-cli.jar:$SPARK_HOME/jars/*\" org.memshare.cli.MemshareCli ... (docs/SPARK.md)");
        }
    }

    private Path sparkDirectory() {
        return sparkDir != null ? sparkDir : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** --npy: all features are continuous; --discrete may name only the target (the y file's name). */
    private FeatureData readNpy() {
        String y = NpyFeatures.targetName(targetNpy);
        for (String d : discrete)
            if (!d.equals(y))
                throw new MemshareCli.UsageException("with --npy, --discrete may name only the target '" + y + "', not '" + d + "'");
        return NpyFeatures.read(npy, targetNpy, namesFile, discrete.contains(y), naRm || mpmi);
    }

    /** --shared: the matrix and target are someone else's pages; nothing is registered here. */
    private int rankShared(PrintWriter out, PrintWriter err, int n) throws IOException {
        SharedSelection.Name x = SharedSelection.Name.parse("--shared", shared), y = SharedSelection.Name.parse("--target-shared", targetShared);
        for (String d : discrete)
            if (!d.equals(y.var()))
                throw new MemshareCli.UsageException("with --shared, --discrete may name only the target '" + y.var() + "', not '" + d + "'");
        long t0 = System.nanoTime();
        SharedSelection.Shared s = SharedSelection.check(x, y, namesFile);
        err.printf(Locale.ROOT, "memshare select: %s (shared): %d observations, %d features, target %s (%s)%n", x, s.rows(),
                s.names().size(), y, discrete.contains(y.var()) ? "discrete" : "continuous");
        FeatureData data = new FeatureData(x + " (shared)", (int) Math.min(s.rows(), Integer.MAX_VALUE), s.names(), null,
                new boolean[s.names().size()], y.toString(), null, discrete.contains(y.var()), List.of());
        try (WorkerCluster cluster = processes ? WorkerCluster.start(n) : null) {
            Progress progress = new Progress(quiet ? null : err, s.names().size(), System.console() != null);
            ApplyOptions options = ApplyOptions.defaults().withWorkers(n).withProgress(progress);
            if (cluster != null) options = options.withCluster(cluster);
            double[] mi = SharedSelection.rank(s, new MutualInfoOptions(false, data.targetDiscrete(), naRm, mpmi), options);
            progress.done();
            Decisions.negatives(data, mi, null, false, err);
            print(out, data, mi);
        }
        err.printf(Locale.ROOT, "memshare select: %d features in %.2f s wall time on %d %s, reading the owner's pages (no copy)%n",
                s.names().size(), (System.nanoTime() - t0) / 1e9, n, processes ? "worker processes" : "threads");
        return 0;
    }

    private static int[] indices(boolean[] discrete, boolean wanted) {
        return java.util.stream.IntStream.range(0, discrete.length).filter(j -> discrete[j] == wanted).toArray();
    }

    /** The summed peak use of the heap's pools: what reading and ranking cost the Java heap. */
    private static long peakHeapBytes() {
        long sum = 0;
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans())
            if (pool.getType() == java.lang.management.MemoryType.HEAP) sum += pool.getPeakUsage().getUsed();
        return sum;
    }

    private static List<String> ranking(FeatureData data, double[] mi) {
        Integer[] order = new Integer[mi.length];
        for (int j = 0; j < order.length; j++) order[j] = j;
        Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -mi[j]).thenComparing(j -> j));
        List<String> names = new ArrayList<>();
        for (int j : order) names.add(data.names().get(j));
        return names;
    }

    private void print(PrintWriter out, FeatureData data, double[] mi) {
        List<String> ranked = ranking(data, mi);
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int j = 0; j < data.features(); j++) index.put(data.names().get(j), j);
        if (plot != null) {
            double[] sorted = new double[ranked.size()];
            for (int r = 0; r < sorted.length; r++) sorted[r] = mi[index.get(ranked.get(r))];
            Plot.write(plot, "mutual information with " + data.targetName(), ranked, sorted, top);
            spec.commandLine().getErr().println("memshare select: plot written to " + plot);
        }
        if (format == OutputFormat.tsv) {
            out.println("feature\tmi");
            for (String f : ranked) out.println(f + "\t" + mi[index.get(f)]);  // Double.toString round-trips exactly
            return;
        }
        if (format == OutputFormat.json) {
            out.println(Json.ranking(data, ranked, index, mi));
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RANK", "FEATURE", "MI (nats)", "MI (bits)"});
        for (int r = 0; r < Math.min(top, ranked.size()); r++) {
            double v = mi[index.get(ranked.get(r))];
            rows.add(new String[] {Integer.toString(r + 1), ranked.get(r), String.format(Locale.ROOT, "%.6f", v),
                    String.format(Locale.ROOT, "%.6f", MutualInfo.toBits(v))});
        }
        Format.table(rows).forEach(out::println);
    }

    /**
     * Progress on stderr over several calls: on a terminal a bar redrawn in place when the
     * percentage changes; otherwise (a log file, a pipe, CI) one plain line per 10 %, so that logs
     * get no carriage returns.
     */
    static final class Progress implements org.memshare.apply.ProgressListener {
        private final PrintWriter err;
        private final long total;
        private final boolean terminal;
        private long finishedCalls;  // items of the calls already complete
        private int shown = -1;

        Progress(PrintWriter err, long total, boolean terminal) {
            this.err = err;
            this.total = total;
            this.terminal = terminal;
        }

        @Override
        public synchronized void progress(long done, long callTotal) {
            if (err == null) return;  // --quiet
            long all = finishedCalls + done;
            if (done == callTotal) finishedCalls += callTotal;
            int pct = (int) (100 * all / Math.max(1, total));
            if (pct == shown || (!terminal && pct / 10 == shown / 10 && shown >= 0)) return;
            shown = pct;
            if (!terminal) {
                err.printf(Locale.ROOT, "memshare select: ranking features: %d%% (%d/%d)%n", pct, all, total);
                err.flush();
                return;
            }
            int width = 30, filled = pct * width / 100;
            err.printf(Locale.ROOT, "\rranking features [%s%s] %3d%% (%d/%d)", "#".repeat(filled), "-".repeat(width - filled),
                    pct, all, total);
            err.flush();
        }

        void done() {
            if (terminal && err != null) err.println();
        }
    }
}
