package org.memshare.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.memshare.SegmentInfo;
import org.memshare.Segments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code memshare ls [namespace]}: one line per variable found in the shared-memory directory. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"List shared variables: kind, element type, dimensions, size, owner pid, owner liveness, "
                + "user, permissions, age, and what is wrong with invalid ones.",
                "Metadata is read and validated as a view would; nothing is mapped writable or changed."})
final class LsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAMESPACE",
            description = "Only this namespace (then lone data segments <ns>.<var> without metadata are shown too).")
    String namespace;

    @Option(names = "--bytes", description = "Print sizes in bytes.")
    boolean bytes;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<SegmentInfo> found = namespace == null ? Segments.list() : Segments.list(namespace);
        if (found.isEmpty()) {
            out.println(namespace == null ? "no memshare variables" : "no memshare variables in namespace '" + namespace + "'");
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAMESPACE", "VARIABLE", "KIND", "TYPE", "DIMENSIONS", "SIZE", "OWNER", "LIVENESS", "USER", "MODE",
                "AGE", "PROBLEM"});
        for (SegmentInfo s : found) {
            long size = s.data() != null ? s.data().sizeBytes() : -1;
            rows.add(new String[] {s.namespace(), s.variable(), Format.kind(s.info()), Format.type(s.info()), Format.dims(s.info()),
                    bytes ? (size < 0 ? "-" : Long.toString(size)) : Format.size(size), Format.ownerPid(s), Format.liveness(s),
                    Format.user(s.fileUid()), Format.mode(s.mode()), Format.age(s.age()), s.valid() ? "" : MemshareCli.oneLine(s.problem())});
        }
        Format.table(rows).forEach(out::println);
        return 0;
    }
}
