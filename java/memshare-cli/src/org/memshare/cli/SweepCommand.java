package org.memshare.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.memshare.facade.Memshare;
import org.memshare.SweepEntry;
import org.memshare.SweepReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code memshare sweep [namespace] [--dry-run]}: removes crash orphans. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Remove the segments of variables whose owner process (pid and start time from the metadata "
                + "trailer) is no longer running, e.g. after kill -9.",
                "Never removes a live owner's variable, another user's, or one without our trailer (R's): "
                        + "those are listed as kept, with the reason. Exit status 1 if a removal failed."})
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAMESPACE", description = "Only this namespace (default: all).")
    String namespace;

    @Option(names = {"-n", "--dry-run"}, description = "Report what would be removed; remove nothing.")
    boolean dryRun;

    @Option(names = {"-q", "--quiet"}, description = "Print only the removed variables and the summary.")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SweepReport report = Memshare.sweep(namespace, dryRun);
        List<String[]> rows = new ArrayList<>();
        for (SweepEntry e : report.entries()) {
            if (quiet && e.action().kept()) continue;
            String what;
            switch (e.action()) {
                case REMOVED: what = "removed"; break;
                case WOULD_REMOVE: what = "would remove"; break;
                case KEPT_LIVE_OWNER: what = "kept (live owner)"; break;
                case KEPT_OTHER_USER: what = "kept (other user)"; break;
                case KEPT_UNKNOWN_OWNER: what = "kept (unknown owner)"; break;
                default: what = "FAILED"; break;
            }
            String detail = MemshareCli.oneLine(e.reason());
            if (!e.removed().isEmpty()) detail += " [" + String.join(", ", e.removed()) + "]";
            rows.add(new String[] {what, e.qualifiedName(), detail});
        }
        Format.table(rows).forEach(out::println);
        int unknown = report.unknownOwner().size();
        out.println((dryRun ? report.with(SweepEntry.Action.WOULD_REMOVE).size() + " would be removed" : report.removed().size() + " removed")
                + ", " + report.kept().size() + " kept" + (unknown > 0 ? " (" + unknown + " unknown owner)" : "") + ", "
                + report.failed().size() + " failed" + (namespace != null ? " in namespace '" + namespace + "'" : "")
                + (dryRun ? " (dry run)" : ""));
        return report.failed().isEmpty() ? 0 : MemshareCli.FAILURE;
    }
}
