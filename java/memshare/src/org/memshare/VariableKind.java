package org.memshare;

/** What a shared variable is: R memshare's three container types. */
public enum VariableKind {
    // The codes are R's type codes; the native library owns them (native/jni/contract.hpp) and
    // refuses to load if these differ.
    /** A column-major matrix (R type code 0). */
    MATRIX(0),
    /** A vector (R type code 1). */
    VECTOR(1),
    /** A list of vectors and matrices (R type code 2). */
    LIST(2);

    private final int code;

    VariableKind(int code) {
        this.code = code;
    }

    /** R's type code, as stored in the metadata segment. */
    public int code() {
        return code;
    }

    static VariableKind fromCode(int code) {
        for (VariableKind k : values()) if (k.code == code) return k;
        throw new IllegalArgumentException("unknown variable kind code " + code);
    }
}
