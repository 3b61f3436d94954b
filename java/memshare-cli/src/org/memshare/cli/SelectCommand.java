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
import picocli.CommandLine.ArgGroup;
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
                "Without --csv, --npy or --shared: an embedded synthetic data set of 10,446 x 2,000 with a 32-class target and 20 planted "
                        + "informative features."})
final class SelectCommand implements Callable<Integer> {
    enum OutputFormat { table, tsv, json }

    @Spec
    CommandSpec spec;

    /** --csv, --npy or --shared, at most one (null: none, the embedded data set); see {@link #table()} and friends. */
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    SelectInput input;

    @Option(names = "--names", paramLabel = "FILE", description = "With --shared or --npy: the feature names, one per line.")
    Path namesFile;

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

    @Option(names = "--rank-row-numbers", description = "Rank a first feature that holds the row numbers (0..n-1 or 1..n, as pandas "
            + "writes a named index; shuffled too under an ID's name such as sample_id) as a feature; by default it is taken as "
            + "observation IDs.")
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

    SelectInput.Table table() {
        return input != null && input.table != null ? input.table : SelectInput.Table.NONE;
    }

    SelectInput.Npy npyInput() {
        return input != null && input.npy != null ? input.npy : SelectInput.Npy.NONE;
    }

    SelectInput.Shared sharedInput() {
        return input != null && input.shared != null ? input.shared : SelectInput.Shared.NONE;
    }

    @Override
    public Integer call() throws IOException {
        SelectOptions.check(this);
        if (spark != null) requireSpark();
        int n = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        String ns = "sel" + Long.toString(ProcessHandle.current().pid(), 36);
        // Worker processes start while the data is read (see EarlyWorkers), warmed up with the
        // estimator's function; closed however reading ends.
        try (EarlyWorkers early = processes && spark == null
                ? EarlyWorkers.start(n, miFunction(new MutualInfoOptions(false, true, naRm, mpmi), discreteFeatures, "y")) : null;
             Namespace space = Namespace.of(ns)) {
            // Each source only reads; what its values are (classes, row numbers, degenerate data)
            // is decided below and in rank(), the same code for every source.
            SelectInput.Table t = table();
            SelectInput.Npy np = npyInput();
            SelectInput.Shared sh = sharedInput();
            FeatureData data = t.csv != null
                    ? CsvFeatures.read(t.csv, new CsvFeatures.Request(t.target, discrete, t.exclude, t.sep, naRm || mpmi, csvChunkBytes,
                            ",".equals(t.decimal), quiet), space, n, err)
                    : np.npy != null ? NpyFeatures.read(np.npy, np.targetNpy, namesFile, discrete.contains(NpyFeatures.targetName(np.targetNpy)),
                            naRm || mpmi)
                    : sh.shared != null ? SharedSelection.read(SharedSelection.Name.parse("--shared", sh.shared),
                            SharedSelection.Name.parse("--target-shared", sh.targetShared), namesFile)
                    : SyntheticFeatures.generate(syntheticRows, syntheticFeatures, SyntheticFeatures.PLANTED, seed);
            data = Decisions.target(data, discrete.contains(data.targetName()), data.targetName().equals(continuous), naRm || mpmi, err);
            rank(space, data, n, t0, early, out, err);
        }
        return 0;
    }

    /**
     * One page of features ranked together: the namespace it is in, the matrix and the target
     * variable there, the features it holds (its columns, in order), and whether they are discrete.
     * {@code ours}: a page this command made (and releases), not someone else's (--shared).
     */
    private record Group(Namespace space, String matrix, String target, int[] members, boolean discrete, boolean ours) {}

    /**
     * Registers what is not yet shared, decides what the data are, ranks every feature on {@code n}
     * workers (the worker processes of {@code early}, if not null), prints.
     */
    private void rank(Namespace space, FeatureData data, int n, long t0, EarlyWorkers early, PrintWriter out, PrintWriter err)
            throws IOException {
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        SharedSelection.InPlace inPlace = data.columns() instanceof SharedSelection.InPlace s ? s : null;
        double[] mi = new double[data.features()];
        long registerNs = 0, rankNs = 0;
        try (Namespace owner = inPlace != null ? Namespace.of(inPlace.x().ns()) : null;
             SparkRanking onSpark = spark != null ? SparkRanking.start(spark, sparkDirectory(), data.target()) : null;
             PssSampler memory = new PssSampler(List.of())) {
            Progress progress = new Progress(quiet ? null : err, data.features(), System.console() != null);
            ApplyOptions options = ApplyOptions.defaults().withWorkers(n).withProgress(progress);
            // First every page and what its columns hold (the decisions are reported before the
            // ranking), then the ranking, group by group.
            long r0 = System.nanoTime();
            List<Group> groups = new ArrayList<>();
            if (inPlace != null) {
                groups.add(new Group(owner, inPlace.x().var(), inPlace.y().var(), indices(data.discrete(), false), false, false));
            } else {
                space.register("y", data.target());
                for (boolean discreteGroup : new boolean[] {false, true}) {
                    int[] members = indices(data.discrete(), discreteGroup);
                    if (members.length == 0) continue;
                    String name = discreteGroup ? "Xd" : "Xc";
                    data.columns().put(space, name, data.rows(), members);
                    groups.add(new Group(space, name, "y", members, discreteGroup, true));
                }
            }
            Decisions.Facts facts = new Decisions.Facts(new boolean[data.features()], new int[data.features()]);
            Decisions.RowIds rowIds = null;
            for (Group g : groups) {
                try (MatrixView x = g.space().matrix(g.matrix())) {
                    if (!g.ours() && !(naRm || mpmi)) Decisions.requireFinite(data.source(), x, g.members(), data.names());
                    Decisions.scan(x, g.members(), data.target(), naRm || mpmi, facts);
                    if (!rankRowNumbers && !g.discrete() && g.members()[0] == 0 && data.features() > 1)
                        rowIds = Decisions.rowIds(x.column(0), data.names().get(0));
                }
            }
            registerNs = System.nanoTime() - r0;
            // A first feature that holds the row numbers is an ID: ranked with its page (one column),
            // but neither reported nor printed; an only feature is ranked (leaving it out leaves nothing).
            FeatureData shown = rowIds == null ? data : Decisions.rowNumbers(data, rowIds, err);
            Decisions.Facts shownFacts = rowIds == null ? facts : facts.withoutFirst();
            int skip = rowIds == null ? 0 : 1;
            Decisions.report(shown, shownFacts, naRm || mpmi, discreteFeatures, j -> column(groups, j + skip), err);
            if (early != null) {  // the data is ready: from here on the ranking needs the workers
                WorkerCluster cluster = early.await();
                memory.watch(cluster.pids());
                options = options.withCluster(cluster);
            }
            for (Group g : groups) {
                long r1 = System.nanoTime();
                MutualInfoOptions o = new MutualInfoOptions(g.discrete(), data.targetDiscrete(), naRm, mpmi);
                boolean byRule = !g.discrete() && discreteFeatures;
                double[] part;
                if (onSpark != null) {
                    part = onSpark.rank(space, g.matrix(), o, byRule, progress);  // releases the page once the executors can read it
                } else {
                    part = Apply.memApplyDouble(g.matrix(), Margin.COLUMNS, miFunction(o, byRule, g.target()),
                            options.withNamespace(g.space().name()).withVarNames(g.target()));
                    if (g.ours()) space.release(g.matrix());
                }
                rankNs += System.nanoTime() - r1;
                for (int k = 0; k < g.members().length; k++) mi[g.members()[k]] = part[k];
            }
            progress.done();
            mi = Arrays.copyOfRange(mi, skip, mi.length);
            Decisions.negatives(shown, mi, shownFacts.classes(), discreteFeatures, data.targetName().equals(continuous), err);
            print(out, shown, mi);
            double seconds = (System.nanoTime() - t0) / 1e9;
            err.printf(Locale.ROOT, "memshare select: %d features in %.2f s wall time on %s (reading %.2f s, registering "
                    + "%.2f s, %sranking %.2f s); peak memory %.0f MiB (summed PSS of %s; the matrix is %s), "
                    + "peak heap %.0f MiB (used, uncollected garbage included)%s%n", shown.features(), seconds, onSpark != null ? onSpark.describe()
                    : n + (processes ? " worker processes" : " threads"), loadSeconds, registerNs / 1e9,
                    early != null ? String.format(Locale.ROOT, "waiting for the workers %.2f s, ", early.waitedNanos() / 1e9) : "",
                    rankNs / 1e9, memory.peakPssKiB() / 1024.0,
                    onSpark != null ? "this driver; executors not counted" : "all processes", Format.size(8L * data.rows() * data.features()),
                    peakHeapBytes() / 1048576.0, inPlace != null ? "; reading the owner's pages (no copy)" : "");
            if (!shown.planted().isEmpty()) {
                List<String> topK = ranking(shown, mi).subList(0, Math.min(top, shown.features()));
                long found = shown.planted().stream().filter(topK::contains).count();
                err.printf(Locale.ROOT, "memshare select: %d of the %d planted features are in the top %d%n", found,
                        shown.planted().size(), topK.size());
            }
        }
    }

    /**
     * The function every worker runs on a column: the estimate with the flags {@code o} against
     * the target variable {@code y}; with {@code byRule} (--discrete-features), a column of class
     * labels by {@link ClassRule} is estimated as discrete ({@link #flags}).
     */
    static org.memshare.apply.DoubleApplyFunction miFunction(MutualInfoOptions o, boolean byRule, String y) {
        return (col, vars) -> MutualInfo.mutualinfo(col, vars.vector(y).column(0), flags(col, o, byRule));
    }

    /**
     * The flags a worker estimates column {@code col} with, on threads, worker processes and Spark
     * executors alike: {@code o}, or with {@code byRule} and a column of class labels by
     * {@link ClassRule}, {@code o} with x discrete. The rule is the one the report used, so the two agree.
     */
    static MutualInfoOptions flags(java.nio.DoubleBuffer col, MutualInfoOptions o, boolean byRule) {
        return byRule && ClassRule.isClasses(col) ? o.withXDiscrete(true) : o;
    }

    /** Feature {@code j}'s column, copied from its page (for the few columns --discrete names). */
    private static java.nio.DoubleBuffer column(List<Group> groups, int j) {
        for (Group g : groups) {
            int k = Arrays.binarySearch(g.members(), j);
            if (k < 0) continue;
            try (MatrixView x = g.space().matrix(g.matrix())) {
                java.nio.DoubleBuffer c = x.column(k);
                double[] copy = new double[c.limit()];
                c.get(0, copy);
                return java.nio.DoubleBuffer.wrap(copy);
            }
        }
        throw new IllegalArgumentException("no page holds feature " + j);
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
