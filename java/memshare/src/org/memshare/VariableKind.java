package org.memshare;

/** What a shared variable is: R memshare's three container types. */
public enum VariableKind {
    /** A column-major matrix (R type code 0). */
    MATRIX,
    /** A vector (R type code 1). */
    VECTOR,
    /** A list of vectors and matrices (R type code 2). */
    LIST;

    static VariableKind fromCode(int code) {
        return values()[code];
    }
}
