package org.memshare.internal;

/**
 * What the native registry reports about a page, a view or a listed variable. Filled field by
 * field by the JNI layer, whose field list (native/jni/java_classes.hpp) is checked against this
 * class when the library loads; plain data, no behaviour.
 */
public final class NativeAttachment {
    /** The namespace. */
    public String namespace;
    /** The variable. */
    public String variable;
    /** Identifies the page or view reference for release; 0 for listings and metadata reads. */
    public long lease;
    /** Native pin keeping the mapping alive (a heap shared_ptr), to be unpinned once; 0 if none. */
    public long pin;
    /** Size of the data segment in bytes. */
    public long sizeBytes;
    /** {@link org.memshare.VariableKind} code. */
    public int kind;
    /** {@link org.memshare.ElementType} code. */
    public int elementType;
    /** Rows (vector: length); 0 for a list. */
    public long nrow;
    /** Columns (vector: 1); 0 for a list. */
    public long ncol;
    /** List elements as (kind code, nrow, ncol) triples. */
    public long[] elementShapes;
    /**
     * List only: byte offset of each element's first value from the start of the data segment,
     * as the core lays the list out (native/shm/include/memshare/layout.hpp); Java never computes it.
     */
    public long[] elementOffsets;
    /** Creator's pid from the trailer; 0 when unknown (R-written segments, listings of pages). */
    public long ownerPid;
    /** Open references (view listings); 1 otherwise. */
    public long references;

    NativeAttachment() {}
}
