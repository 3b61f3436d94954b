package org.memshare;

/**
 * The type of the values a shared variable holds. {@link #FLOAT64} is the only type R memshare
 * knows; segments of any other type are written so that R refuses them cleanly ("Unknown type")
 * instead of misreading them.
 */
public enum ElementType {
    // The codes are the segment format's; the native library owns them and the sizes
    // (native/jni/contract.hpp) and refuses to load if these differ.
    /** IEEE-754 double, 8 bytes; R compatible. */
    FLOAT64(0, 8),
    /** IEEE-754 float, 4 bytes. */
    FLOAT32(1, 4),
    /** Signed 64-bit integer. */
    INT64(2, 8),
    /** Signed 32-bit integer. */
    INT32(3, 4),
    /** Signed 8-bit integer. */
    INT8(4, 1);

    private final int code;
    private final int size;

    ElementType(int code, int size) {
        this.code = code;
        this.size = size;
    }

    /** The code stored in the segment format. */
    public int code() {
        return code;
    }

    /** Size of one value in bytes. */
    public int byteSize() {
        return size;
    }

    /** The element type with this format code. */
    public static ElementType fromCode(int code) {
        for (ElementType t : values()) if (t.code == code) return t;
        throw new IllegalArgumentException("unknown element type code " + code);
    }
}
