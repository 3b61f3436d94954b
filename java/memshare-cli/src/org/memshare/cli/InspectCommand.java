package org.memshare.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.memshare.SegmentInfo;
import org.memshare.Segments;
import org.memshare.Shape;
import org.memshare.VariableInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code memshare inspect <ns> <var>}: the metadata of one variable, validated as a view would. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show the metadata of one variable and validate its segments exactly as a view would "
                + "(records, trailer and checksum, data size, list offset table, owner).",
                "Exit status 0 when valid, 1 when not."})
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAMESPACE", description = "The namespace.")
    String namespace;

    @Parameters(index = "1", paramLabel = "VARIABLE", description = "The variable.")
    String variable;

    @Override
    public Integer call() {
        SegmentInfo s = Segments.inspect(namespace, variable);
        if (s.data() == null && s.metadata() == null)
            throw new MemshareCli.CliException("variable '" + variable + "' in namespace '" + namespace + "' not found");
        PrintWriter out = spec.commandLine().getOut();
        int me = Segments.currentUid();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"variable", s.qualifiedName()});
        rows.add(new String[] {"valid", s.valid() ? "yes" : "NO: " + MemshareCli.oneLine(s.problem())});
        if (s.publishState() != null)
            rows.add(new String[] {"state", s.publishState() == SegmentInfo.PublishState.PUBLISHED ? "published"
                    : "filling: created, its data not yet published; views refuse it"});
        VariableInfo info = s.info();
        if (info != null) {
            rows.add(new String[] {"kind", Format.kind(info)});
            rows.add(new String[] {"element type", Format.type(info)});
            if (info.shape() != null) {
                rows.add(new String[] {"dimensions", Format.dims(info)});
            } else {
                rows.add(new String[] {"elements", Integer.toString(info.elements().size())});
                for (int i = 0; i < info.elements().size(); i++) {
                    Shape e = info.elements().get(i);
                    rows.add(new String[] {"  [" + i + "]", e.toString()});
                }
            }
            rows.add(new String[] {"data size", info.sizeBytes() + " bytes expected by the metadata"});
        }
        rows.add(new String[] {"data segment", segment(s.data())});
        rows.add(new String[] {"metadata segment", segment(s.metadata())});
        if (info != null)
            rows.add(new String[] {"format", s.owner() != null ? "memshare for Java trailer, version " + s.formatVersion()
                    : "R memshare records, no trailer (double data)"});
        if (s.owner() != null) {
            rows.add(new String[] {"owner", "pid " + s.owner().pid() + " (" + s.ownerState().name().toLowerCase(java.util.Locale.ROOT)
                    + "), start time " + s.owner().startTime() + ", created by uid " + s.owner().uid() + " ("
                    + Format.user(s.owner().uid()) + ")"});
        } else if (info != null) {
            rows.add(new String[] {"owner", "unknown (no trailer)"});
        }
        if (s.published() != null) rows.add(new String[] {"published", s.published() + " (" + Format.age(s.age()) + " ago)"});
        int uid = s.fileUid();
        if (uid >= 0)
            rows.add(new String[] {"views", uid == me ? "allowed (your segment)"
                    : "refused by default: owned by uid " + uid + " (" + Format.user(uid)
                    + "), not you; NamespaceOptions.withForeignOwners(true) accepts it"});
        for (String line : Format.table(rows)) out.println(line);
        return s.valid() ? 0 : MemshareCli.FAILURE;
    }

    private static String segment(SegmentInfo.Segment seg) {
        if (seg == null) return "missing";
        if (!seg.readable()) return seg.name() + " (cannot be opened)";
        return seg.name() + ", " + seg.sizeBytes() + " bytes, uid " + seg.uid() + " (" + Format.user(seg.uid()) + "), mode "
                + Format.octal(seg.mode()) + " " + Format.mode(seg.mode());
    }
}
