package org.memshare.internal;

import java.nio.Buffer;
import java.nio.ByteBuffer;

/** JNI entry points of the CSV number reader (native/jni/org_memshare_internal_NativeText.cpp). */
public final class NativeText {
    static {
        NativeLoader.load();
    }

    private NativeText() {}

    /** The address of a direct buffer's first element (its position not counted). */
    public static native long address(Buffer buffer);

    /**
     * Parses bytes {@code [offset, offset + length)} of direct buffer {@code text} into rows
     * {@code firstRow, ...} of the outputs (per column a cell kind code and the address of row 0;
     * each holds {@code rows} rows). {@code result}: outcome code, bytes consumed, rows read, offset
     * of the record that declined.
     */
    public static native void parse(ByteBuffer text, int offset, int length, boolean last, boolean skipFirstRecord, char separator,
                                    char decimalPoint, byte[] kinds, long[] outputs, int rows, int firstRow, int[] result);

    /**
     * Scans bytes {@code [offset, offset + length)} of direct buffer {@code bytes}, which begin at
     * file offset {@code at}, carrying {@code state} (RecordScan's eight longs) on.
     */
    public static native void scanRecords(ByteBuffer bytes, int offset, int length, long at, long[] state);
}
