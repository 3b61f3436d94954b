package org.memshare.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.memshare.SegmentInfo;
import org.memshare.Segments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code memshare ls [namespace]}: one line per variable found in the shared-memory directory,
 * lone data segments and unpublished pages included, then the total those names hold, so that no
 * leak is invisible.
 */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"List shared variables: state, kind, element type, dimensions, size, owner pid, owner liveness, "
                + "user, permissions, age, and what is wrong with invalid ones; then the bytes they hold in all.",
                "Lone data segments (no metadata) and pages still being filled are listed too.",
                "Metadata is read and validated as a view would; nothing is mapped writable or changed."})
final class LsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAMESPACE", description = "Only this namespace.")
    String namespace;

    @Option(names = "--bytes", description = "Print sizes in bytes.")
    boolean bytes;

    /**
     * Whether this OS can list segments (Segments.listingSupported: false on Windows); a field so
     * that a test on Linux can take the Windows path.
     */
    static BooleanSupplier listingSupported = Segments::listingSupported;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        // An empty list there says nothing about what exists: say so, and what does work.
        if (!listingSupported.getAsBoolean())
            throw new MemshareCli.CliException("cannot list shared variables on " + System.getProperty("os.name")
                    + ": its named objects cannot be enumerated; `memshare inspect NAMESPACE VARIABLE` shows one variable by name");
        List<SegmentInfo> found = namespace == null ? Segments.list() : Segments.list(namespace);
        if (found.isEmpty()) {
            out.println(namespace == null ? "no memshare variables" : "no memshare variables in namespace '" + namespace + "'");
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAMESPACE", "VARIABLE", "STATE", "KIND", "TYPE", "DIMENSIONS", "SIZE", "OWNER", "LIVENESS", "USER",
                "MODE", "AGE", "PROBLEM"});
        long total = 0;
        int orphans = 0;
        for (SegmentInfo s : found) {
            long size = s.data() != null ? s.data().sizeBytes() : -1;
            total += held(s.data()) + held(s.metadata());
            if (s.owner() != null && s.ownerState() == SegmentInfo.OwnerState.DEAD && s.lock() == null) orphans++;
            rows.add(new String[] {s.namespace(), s.variable(), state(s), s.lock() != null ? "lock" : Format.kind(s.info()), Format.type(s.info()),
                    Format.dims(s.info()), sized(size), Format.ownerPid(s), Format.liveness(s), Format.user(s.fileUid()),
                    Format.mode(s.mode()), Format.age(s.age()), s.valid() ? "" : MemshareCli.oneLine(s.problem())});
        }
        Format.table(rows).forEach(out::println);
        out.println(found.size() + (found.size() == 1 ? " variable holds " : " variables hold ") + sized(total)
                + " in the shared-memory directory" + (orphans == 0 ? ""
                        : "; " + orphans + " of them left by dead owners: `memshare sweep" + (namespace == null ? "" : " " + namespace)
                                + "` removes them"));
        return 0;
    }

    /** Published, still being filled, or a lone data segment (nobody's record says what it is). */
    private static String state(SegmentInfo s) {
        if (s.lock() != null)  // docs/LOCKS.md
            return !s.lock().ready() ? "initialising" : s.lock().holderPid() != 0 ? "held by " + s.lock().holderPid() : "free";
        if (s.metadata() == null) return "no metadata";
        if (s.publishState() == null) return "?";
        return s.publishState() == SegmentInfo.PublishState.PUBLISHED ? "published" : "filling";
    }

    private static long held(SegmentInfo.Segment segment) {
        return segment == null || !segment.readable() ? 0 : segment.sizeBytes();
    }

    private String sized(long size) {
        return bytes ? (size < 0 ? "-" : Long.toString(size)) : Format.size(size);
    }
}
