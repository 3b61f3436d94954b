package org.memshare;

import java.time.Duration;
import java.time.Instant;

/**
 * The shared-memory segments of one variable as found in the system's shared-memory directory,
 * whoever created them: the row of {@code memshare ls} and the subject of {@code memshare inspect}.
 * Built by {@link Segments}; metadata is read through the same validated path as a view.
 *
 * @param namespace     the namespace
 * @param variable      the variable name
 * @param data          the data segment, or {@code null} when there is none
 * @param metadata      the metadata segment, or {@code null} when there is none
 * @param info          what the metadata says (type, shape, size); {@code null} when it is
 *                      missing, unreadable or corrupt
 * @param owner         the creating process as our trailer records it; {@code null} without a
 *                      trailer (segments written by R memshare) or without readable metadata
 * @param ownerState    whether that process still runs
 * @param publishState  whether views may attach ({@link PublishState#PUBLISHED}) or the owner is
 *                      still writing the data; {@code null} without readable metadata
 * @param formatVersion our trailer's format version; 0 without a trailer
 * @param problem       why the variable is not valid (corrupt, unreadable, a part missing,
 *                      data size not matching the metadata); {@code null} when it is valid
 * @param lock          set when this is an {@link InterprocessLock} ({@code <namespace>.lock.<name>},
 *                      shown as variable {@code lock.<name>}), not a variable; {@code owner} is then
 *                      its creator, and {@code data} its one segment
 */
public record SegmentInfo(String namespace, String variable, Segment data, Segment metadata, VariableInfo info,
                          Owner owner, OwnerState ownerState, PublishState publishState, int formatVersion, String problem,
                          Lock lock) {

    /**
     * What a lock segment's header says (docs/FORMAT.md §7).
     *
     * @param ready     initialised by its creator (else it died creating it, or is doing so)
     * @param holderPid the process holding it, or that died holding it; 0 when free
     */
    public record Lock(boolean ready, long holderPid) {}

    /** Whether a variable's data is complete, as its metadata segment says (docs/FORMAT.md §2). */
    public enum PublishState {
        // Codes of memshare::PublishState, stored in segments; the native library refuses to load
        // if these differ (native/jni/contract.hpp).
        /** Complete: views attach. */
        PUBLISHED(0),
        /** Created, its data still being written (or its owner died doing so): views refuse it. */
        FILLING(1);

        private final int code;

        PublishState(int code) {
            this.code = code;
        }

        static PublishState fromCode(int code) {
            for (PublishState s : values()) if (s.code == code) return s;
            throw new IllegalArgumentException("unknown publish state code " + code);
        }
    }

    /** Whether the process that created a variable still runs. */
    public enum OwnerState {
        // Codes of memshare::OwnerState; the native library refuses to load if these differ
        // (native/jni/contract.hpp).
        /** The recorded pid runs and started at the recorded time. */
        ALIVE(0),
        /** No such process, a zombie, or another process under a reused pid. */
        DEAD(1),
        /** No owner is recorded (R-written segments, unreadable metadata, no metadata segment). */
        UNKNOWN(2);

        private final int code;

        OwnerState(int code) {
            this.code = code;
        }

        static OwnerState fromCode(int code) {
            for (OwnerState s : values()) if (s.code == code) return s;
            throw new IllegalArgumentException("unknown owner state code " + code);
        }
    }

    /**
     * One segment (one file in /dev/shm on Linux).
     *
     * @param name      the OS object name, e.g. {@code rns.md.X}
     * @param sizeBytes its real size; -1 when it could not be opened
     * @param uid       the user owning it; -1 when unknown
     * @param mode      its permission bits (e.g. 0600); -1 when unknown
     * @param modified  last modification; {@code null} when unknown
     */
    public record Segment(String name, long sizeBytes, int uid, int mode, Instant modified) {
        /** Whether it could be opened and examined. */
        public boolean readable() {
            return sizeBytes >= 0;
        }
    }

    /**
     * The creator recorded in our metadata trailer.
     *
     * @param pid       process id
     * @param startTime process start time in OS ticks (Linux: clock ticks after boot)
     * @param uid       the user that created it
     */
    public record Owner(long pid, long startTime, int uid) {}

    /** Whether the variable can be viewed: metadata valid, published and matching its data segment. */
    public boolean valid() {
        return problem == null;
    }

    /** The owner's pid, or 0 when none is recorded. */
    public long ownerPid() {
        return owner != null ? owner.pid() : 0;
    }

    /** When the variable was published (its metadata segment written), else when its data was last modified; {@code null} if unknown. */
    public Instant published() {
        if (metadata != null && metadata.modified() != null) return metadata.modified();
        return data != null ? data.modified() : null;
    }

    /** Time since {@link #published()}; {@code null} if unknown. */
    public Duration age() {
        Instant at = published();
        return at == null ? null : Duration.between(at, Instant.now());
    }

    /** Permission bits of the data segment (else of the metadata segment); -1 if unknown. */
    public int mode() {
        if (data != null && data.mode() >= 0) return data.mode();
        return metadata != null ? metadata.mode() : -1;
    }

    /** The user owning the segments (metadata's, else data's); -1 if unknown. */
    public int fileUid() {
        if (metadata != null && metadata.uid() >= 0) return metadata.uid();
        return data != null ? data.uid() : -1;
    }

    /** R's name of the data segment, {@code <namespace>.<variable>}. */
    public String qualifiedName() {
        return namespace + "." + variable;
    }
}
