package org.memshare;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.memshare.internal.NativeInspect;
import org.memshare.internal.NativeSegment;

/**
 * What is in the system's shared-memory directory, whoever put it there: list variables, inspect
 * one, sweep away crash orphans. The engine of the {@code memshare ls|inspect|sweep} commands.
 *
 * <p>Every metadata segment is read through the same validated path as a view; nothing here maps
 * a segment writable. Listing needs a directory of shared-memory objects: Linux's {@code /dev/shm},
 * or the index directory memshare keeps on macOS; on Windows the lists are empty
 * ({@link #listingSupported()} says so).
 */
public final class Segments {
    private Segments() {}

    /**
     * Every variable in the shared-memory directory, all namespaces, sorted; also every lone
     * data segment (a dotted name {@code a.b} without metadata, taken as namespace {@code a};
     * glibc's named semaphores {@code sem.*} aside), so that nothing left behind is invisible.
     */
    public static List<SegmentInfo> list() {
        return convert(NativeInspect.scan(null));
    }

    /**
     * The variables of namespace {@code ns}, sorted, lone data segments {@code <ns>.<var>} without
     * metadata included (R memshare between writing its data and its metadata, or leftovers).
     *
     * @throws InvalidNameException for a namespace that breaks the naming rules
     */
    public static List<SegmentInfo> list(String ns) {
        return convert(NativeInspect.scan(Objects.requireNonNull(ns, "namespace")));
    }

    /**
     * One variable, validated exactly as a view would validate it (metadata, data size, a list's
     * offset table). What is wrong is reported in {@link SegmentInfo#problem()}, not thrown; a
     * variable that does not exist has a problem and no segments.
     *
     * @throws InvalidNameException for a name that breaks the naming rules
     */
    public static SegmentInfo inspect(String ns, String var) {
        return convert(NativeInspect.inspect(Objects.requireNonNull(ns, "namespace"), Objects.requireNonNull(var, "variable")));
    }

    /**
     * Removes crash orphans: variables of this user whose recorded owner process (pid and start
     * time) no longer runs, published or still being filled. Never removes a live owner's
     * variable, another user's, one without our trailer (R-written), or a name that is not a
     * regular file; those are reported as kept, with the reason. Views still open elsewhere keep
     * reading.
     *
     * @param ns     the namespace, or {@code null} for all
     * @param dryRun report only, remove nothing
     */
    public static SweepReport sweep(String ns, boolean dryRun) {
        NativeSegment[] raw = NativeInspect.sweep(ns, dryRun);
        List<SweepEntry> entries = new ArrayList<>(raw.length);
        for (NativeSegment s : raw)
            entries.add(new SweepEntry(convert(s), SweepEntry.Action.fromCode(s.action), s.reason,
                    s.removed == null ? List.of() : Arrays.asList(s.removed)));
        return new SweepReport(ns, dryRun, entries);
    }

    /**
     * Whether {@link #list()} can see every variable on this OS. False on Windows, whose named
     * objects cannot be enumerated: there the lists are always empty, whatever exists, while
     * {@link #inspect} (which opens a name) still works.
     */
    public static boolean listingSupported() {
        return NativeInspect.listingSupported();
    }

    /** The effective user id of this process, as segment owners are compared against. */
    public static int currentUid() {
        return NativeInspect.currentUid();
    }

    private static List<SegmentInfo> convert(NativeSegment[] raw) {
        List<SegmentInfo> out = new ArrayList<>(raw.length);
        for (NativeSegment s : raw) out.add(convert(s));
        return out;
    }

    private static Instant instant(long nanos) {
        return nanos == 0 ? null : Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    private static SegmentInfo convert(NativeSegment s) {
        SegmentInfo.Segment data = !s.hasData ? null
                : s.dataStatKnown ? new SegmentInfo.Segment(s.dataName, s.dataSize, s.dataUid, s.dataMode, instant(s.dataMtimeNanos))
                : new SegmentInfo.Segment(s.dataName, -1, -1, -1, null);
        SegmentInfo.Segment metadata = !s.hasMetadata ? null
                : s.metadataStatKnown ? new SegmentInfo.Segment(s.metadataName, s.metadataSize, s.metadataUid, s.metadataMode,
                        instant(s.metadataMtimeNanos))
                : new SegmentInfo.Segment(s.metadataName, -1, -1, -1, null);
        VariableInfo info = null;
        SegmentInfo.Owner owner = null;
        if (s.decoded) {
            VariableKind kind = VariableKind.fromCode(s.kind);
            List<Shape> elements = new ArrayList<>();
            Shape shape = null;
            if (kind == VariableKind.LIST) {
                for (int i = 0; i + 2 < s.elementShapes.length; i += 3)
                    elements.add(new Shape(VariableKind.fromCode((int) s.elementShapes[i]), s.elementShapes[i + 1], s.elementShapes[i + 2]));
            } else {
                shape = new Shape(kind, s.nrow, s.ncol);
            }
            info = new VariableInfo(s.namespace, s.variable, kind, ElementType.fromCode(s.elementType), shape, elements,
                    s.layoutBytes, s.hasTrailer ? s.ownerPid : 0, 0);
            if (s.hasTrailer) owner = new SegmentInfo.Owner(s.ownerPid, s.ownerStartTime, (int) s.ownerUid);
        }
        SegmentInfo.Lock lock = null;
        if (s.isLock) {
            owner = new SegmentInfo.Owner(s.ownerPid, s.ownerStartTime, (int) s.ownerUid);
            lock = new SegmentInfo.Lock(s.lockReady, s.lockHolderPid);
        }
        return new SegmentInfo(s.namespace, s.variable, data, metadata, info, owner, SegmentInfo.OwnerState.fromCode(s.ownerState),
                s.decoded ? SegmentInfo.PublishState.fromCode(s.publishState) : null, s.formatVersion, s.problem, lock);
    }
}
