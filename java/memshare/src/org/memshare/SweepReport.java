package org.memshare;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of {@link Segments#sweep}: one entry per variable found, in (namespace, variable)
 * order, saying what was removed and what was kept and why.
 *
 * @param namespace the namespace swept, or {@code null} for all
 * @param dryRun    whether nothing was removed on purpose
 * @param entries   one per variable found
 */
public record SweepReport(String namespace, boolean dryRun, List<SweepEntry> entries) {
    /** Copies the list. */
    public SweepReport {
        entries = List.copyOf(entries);
    }

    /** Entries with the given action. */
    public List<SweepEntry> with(SweepEntry.Action action) {
        return entries.stream().filter(e -> e.action() == action).collect(Collectors.toUnmodifiableList());
    }

    /** Variables whose segments were removed. */
    public List<SweepEntry> removed() {
        return with(SweepEntry.Action.REMOVED);
    }

    /** Variables kept on purpose (live owner, other user, unknown owner). */
    public List<SweepEntry> kept() {
        return entries.stream().filter(e -> e.action().kept()).collect(Collectors.toUnmodifiableList());
    }

    /** Variables kept because no owner is known: R-written, unreadable, corrupt, or unpublished. */
    public List<SweepEntry> unknownOwner() {
        return with(SweepEntry.Action.KEPT_UNKNOWN_OWNER);
    }

    /** Variables whose removal failed. */
    public List<SweepEntry> failed() {
        return with(SweepEntry.Action.FAILED);
    }

    @Override
    public String toString() {
        return "SweepReport[" + (namespace == null ? "all namespaces" : namespace) + (dryRun ? ", dry run" : "") + ": "
                + (dryRun ? with(SweepEntry.Action.WOULD_REMOVE).size() + " would be removed, " : removed().size() + " removed, ")
                + kept().size() + " kept, " + failed().size() + " failed]";
    }
}
