package org.memshare;

import java.util.List;

/**
 * What a sweep did with one variable.
 *
 * @param segment what was found
 * @param action  removed, would be removed (dry run), or kept and why
 * @param reason  the reason in words, e.g. "owner process 4242 is no longer running"
 * @param removed the segment names actually removed (empty unless {@link Action#REMOVED})
 */
public record SweepEntry(SegmentInfo segment, Action action, String reason, List<String> removed) {
    /** Copies the list. */
    public SweepEntry {
        removed = List.copyOf(removed);
    }

    /** What a sweep does with a variable. */
    public enum Action {
        // Codes of memshare::SweepAction; the native library refuses to load if these differ
        // (native/jni/contract.hpp).
        /** Its owner is dead and it belonged to this user: both names removed. */
        REMOVED(0),
        /** Dry run: it would have been removed. */
        WOULD_REMOVE(1),
        /** Kept: its owner runs, or some process maps its data writable (e.g. a page not published yet). */
        KEPT_LIVE_OWNER(2),
        /** Kept: it belongs to another user. */
        KEPT_OTHER_USER(3),
        /** Kept: no owner recorded (R-written), metadata unreadable or corrupt, or no metadata segment. */
        KEPT_UNKNOWN_OWNER(4),
        /** Its owner is dead but removing it failed; the reason says why. */
        FAILED(5);

        private final int code;

        Action(int code) {
            this.code = code;
        }

        static Action fromCode(int code) {
            for (Action a : values()) if (a.code == code) return a;
            throw new IllegalArgumentException("unknown sweep action code " + code);
        }

        /** Whether the variable was (or, in a dry run, would be) left in place on purpose. */
        public boolean kept() {
            return this == KEPT_LIVE_OWNER || this == KEPT_OTHER_USER || this == KEPT_UNKNOWN_OWNER;
        }
    }

    /** {@code <namespace>.<variable>}. */
    public String qualifiedName() {
        return segment.qualifiedName();
    }
}
