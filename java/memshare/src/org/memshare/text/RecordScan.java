package org.memshare.text;

import java.nio.ByteBuffer;
import org.memshare.internal.NativeText;

/**
 * The first pass over a delimited text file, in native code at memory speed: where its records
 * end, so that its rows can be counted and the file cut into chunks at record ends before any value
 * is parsed. A record ends at a line feed outside double quotes (RFC 4180: a quoted cell may hold
 * line feeds; a doubled quote toggles the state twice, which leaves it unchanged); a record of
 * nothing but carriage returns is empty.
 *
 * <p>One scan covers one stretch of the file, fed in pieces in file order ({@link #feed}); a
 * stretch may start inside quotes. Several stretches can be scanned at once, each by its own
 * object, and combined afterwards: a stretch's quote count tells whether the next one starts
 * inside quotes.
 */
public final class RecordScan {
    // The native state, in NativeText.scanRecords' order.
    private static final int QUOTED = 0, QUOTES = 1, NEWLINES = 2, FIRST_END = 3, LINES_TO_FIRST_END = 4, CONTENT_BEFORE = 5,
            RECORDS_AFTER = 6, CONTENT = 7;
    private final long[] state = new long[8];

    /** A scan of a stretch that starts inside quotes when {@code startQuoted}. */
    public RecordScan(boolean startQuoted) {
        state[QUOTED] = startQuoted ? 1 : 0;
        state[FIRST_END] = -1;
    }

    /** Feeds the stretch's next bytes, {@code bytes} from its position to its limit (a direct buffer), which begin at file offset {@code at}. */
    public void feed(ByteBuffer bytes, long at) {
        if (!bytes.isDirect()) throw new IllegalArgumentException("the bytes must be in a direct buffer");
        if (at < 0) throw new IllegalArgumentException("at < 0");
        NativeText.scanRecords(bytes, bytes.position(), bytes.remaining(), at, state);
    }

    /** Whether the bytes fed so far end inside quotes. */
    public boolean quoted() {
        return state[QUOTED] != 0;
    }

    /** The quote characters fed. */
    public long quotes() {
        return state[QUOTES];
    }

    /** The line feeds fed, quoted ones too. */
    public long newlines() {
        return state[NEWLINES];
    }

    /** The file offset just after the first record-ending line feed, or -1 if none was fed. */
    public long firstEnd() {
        return state[FIRST_END];
    }

    /** The line feeds up to and including the first record-ending one. */
    public long linesToFirstEnd() {
        return state[LINES_TO_FIRST_END];
    }

    /** Whether the bytes before the first record end held anything besides carriage returns. */
    public boolean contentBefore() {
        return state[CONTENT_BEFORE] != 0;
    }

    /** The records with content that ended after the first record end. */
    public long recordsAfter() {
        return state[RECORDS_AFTER];
    }

    /** Whether the bytes since the last record end (a record without its line feed yet) hold anything. */
    public boolean content() {
        return state[CONTENT] != 0;
    }
}
