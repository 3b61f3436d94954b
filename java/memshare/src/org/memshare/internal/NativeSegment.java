package org.memshare.internal;

/**
 * What the native scan reports about the segments of one variable (native/shm/include/memshare/inspect.hpp,
 * {@code SegmentScan}), and for a sweep what was done with them. Filled field by field by the JNI
 * layer, whose field list (native/jni/java_classes.hpp) is checked against this class when the
 * library loads; plain data, no behaviour.
 */
public final class NativeSegment {
    public String namespace;
    public String variable;
    public String dataName;
    public String metadataName;
    public boolean hasData;
    public boolean hasMetadata;
    /** Whether the data segment could be opened and stat'ed (then the data* fields hold). */
    public boolean dataStatKnown;
    public long dataSize;
    public int dataUid;
    public int dataMode;
    public long dataMtimeNanos;
    public boolean metadataStatKnown;
    public long metadataSize;
    public int metadataUid;
    public int metadataMode;
    public long metadataMtimeNanos;
    /** Whether the metadata decoded and validated (then the layout and owner fields hold). */
    public boolean decoded;
    /** {@link org.memshare.VariableKind} code. */
    public int kind;
    /** {@link org.memshare.ElementType} code. */
    public int elementType;
    public long nrow;
    public long ncol;
    /** List elements as (kind, nrow, ncol) triples. */
    public long[] elementShapes;
    public long layoutBytes;
    public boolean hasTrailer;
    public int formatVersion;
    /** {@link org.memshare.SegmentInfo.PublishState} code (when decoded). */
    public int publishState;
    public long ownerPid;
    public long ownerStartTime;
    public long ownerUid;
    /** {@link org.memshare.SegmentInfo.OwnerState} code. */
    public int ownerState;
    /** Why the variable is not valid; null when it is. */
    public String problem;
    /** memshare::ErrorCode of the problem (native/common/include/memshare/error.hpp). */
    public int problemCode;
    /** Sweep only: {@link org.memshare.SweepEntry.Action} code; -1 for listings. */
    public int action = -1;
    public String reason;
    public String[] removed;
    /** Whether this is an interprocess lock (then the owner fields name its creator). */
    public boolean isLock;
    public boolean lockReady;
    public long lockHolderPid;

    NativeSegment() {}
}
