package org.memshare.internal;

/**
 * What the native registry reports about a page, a view or a listed variable. Built by the JNI
 * layer (see native/jni); plain data, no behaviour.
 */
public final class NativeAttachment {
    /** The namespace. */
    public final String namespace;
    /** The variable. */
    public final String variable;
    /** Identifies the page or view reference for release; 0 for listings and metadata reads. */
    public final long lease;
    /** Native pin keeping the mapping alive (a heap shared_ptr), to be unpinned once; 0 if none. */
    public final long pin;
    /** Size of the data segment in bytes. */
    public final long sizeBytes;
    /** {@link org.memshare.VariableKind} ordinal (0 matrix, 1 vector, 2 list). */
    public final int kind;
    /** {@link org.memshare.ElementType} code. */
    public final int elementType;
    /** Rows (vector: length); 0 for a list. */
    public final long nrow;
    /** Columns (vector: 1); 0 for a list. */
    public final long ncol;
    /** List elements as (kind, nrow, ncol) triples. */
    public final long[] elementShapes;
    /** Creator's pid from the trailer; 0 when unknown (R-written segments, listings of pages). */
    public final long ownerPid;
    /** Open references (view listings); 1 otherwise. */
    public final long references;

    NativeAttachment(String namespace, String variable, long lease, long pin, long sizeBytes, int kind,
                     int elementType, long nrow, long ncol, long[] elementShapes, long ownerPid, long references) {
        this.namespace = namespace;
        this.variable = variable;
        this.lease = lease;
        this.pin = pin;
        this.sizeBytes = sizeBytes;
        this.kind = kind;
        this.elementType = elementType;
        this.nrow = nrow;
        this.ncol = ncol;
        this.elementShapes = elementShapes;
        this.ownerPid = ownerPid;
        this.references = references;
    }
}
