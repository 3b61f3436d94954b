package org.memshare.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.memshare.StartsProcesses;
import org.memshare.interop.Interop.Run;

/**
 * What docs/interop/read_memshare.py refuses, each with its own message and never a misread:
 * segments damaged one way at a time (written here by hand, valid but for that one thing, checksum
 * computed here), another user's segments, and names that would leave /dev/shm.
 */
@StartsProcesses
class PythonRefusalTest extends PythonTestBase {
    private static final int MATRIX = 0, VECTOR = 1, LIST = 2;
    private static final int NOBODY = 65534;
    private static final byte[] DATA_3X4 = Interop.littleEndian(new double[12]);

    /** FNV-1a 64, as the trailer's checksum (written again here so the test does not trust the reader's). */
    private static long fnv1a64(byte[] bytes, int length) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < length; i++) h = (h ^ (bytes[i] & 0xff)) * 0x100000001b3L;
        return h;
    }

    /** Records, then memshare for Java's 48-byte trailer with these fields and a correct checksum. */
    private static byte[] withTrailer(byte[] records, int version, int size, int type, int kind) {
        ByteBuffer b = ByteBuffer.allocate(records.length + 48).order(ByteOrder.LITTLE_ENDIAN);
        b.put(records).put("MEMSHRJ1".getBytes(StandardCharsets.US_ASCII)).putShort((short) version).putShort((short) size)
                .put((byte) type).put((byte) kind).putShort((short) 0)
                .putLong(Interop.PID).putLong(123456789L).putInt(0).putInt(0x5eed);  // owner pid, start time, uid, nonce
        return b.putLong(fnv1a64(b.array(), records.length + 40)).array();
    }

    /** A float64 3 x 4 matrix's metadata as memshare for Java writes it. */
    private static byte[] valid3x4() {
        return withTrailer(Interop.record(MATRIX, 3, 4), 1, 48, 0, MATRIX);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** A float64 list of a 2-vector and a 3-vector: metadata, and data with this offset table. */
    private void writeList(String var, long secondOffset) throws Exception {
        byte[] records = concat(Interop.record(LIST, 2, 5), Interop.record(VECTOR, 2, 0), Interop.record(VECTOR, 3, 0));
        byte[] offsets = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(secondOffset).array();
        writeSegments(var, withTrailer(records, 1, 48, 0, LIST), concat(offsets, Interop.littleEndian(new double[5])));
    }

    private static void assertRefused(String message, String... args) throws Exception {
        Run r = read(args);
        assertEquals(List.of("error: " + message), r.lines(), () -> String.join(" ", args) + ": " + r);
        assertEquals(1, r.status(), () -> String.join(" ", args) + ": " + r);
    }

    /** macOS's page on Apple silicon: what a segment's size is rounded up to there. */
    private static final int PAGE = 16384;

    @Test
    void refusesDamagedSegments() throws Exception {
        byte[] checksumFlipped = valid3x4();
        checksumFlipped[checksumFlipped.length - 1] ^= 1;
        writeSegments("valid", valid3x4(), DATA_3X4);
        writeList("validList", 2);
        writeSegments("version", withTrailer(Interop.record(MATRIX, 3, 4), 2, 48, 0, MATRIX), DATA_3X4);
        writeSegments("size", withTrailer(Interop.record(MATRIX, 3, 4), 1, 40, 0, MATRIX), DATA_3X4);
        writeSegments("type", withTrailer(Interop.record(MATRIX, 3, 4), 1, 48, 3, MATRIX), DATA_3X4);
        writeSegments("code", Interop.record(7, 1, 1), Interop.littleEndian(new double[1]));
        writeSegments("element", Interop.record(MATRIX | 5 << 8, 3, 4), DATA_3X4);  // element type 5 does not exist
        writeSegments("checksum", checksumFlipped, DATA_3X4);
        writeSegments("stray", concat(valid3x4(), new byte[] {0, 0, 0, 1}), DATA_3X4);
        writeSegments("rStray", concat(Interop.record(MATRIX, 3, 4), new byte[] {1}), DATA_3X4);
        writeList("offsets", 3);
        writeSegments("short", valid3x4(), Interop.littleEndian(new double[11]));
        // Longer is what macOS makes of a segment (rounded up to its 16 KiB page, §8): read when
        // the extra bytes are zeros ("padded" below), refused when they are not.
        writeSegments("long", valid3x4(), Interop.littleEndian(new double[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
        writeSegments("padded", concat(valid3x4(), new byte[PAGE - valid3x4().length]), concat(DATA_3X4, new byte[PAGE - DATA_3X4.length]));

        // The controls: built the same way, valid, and read.
        Run r = read(ns, "valid", "validList", "padded");
        assertEquals(0, r.status(), r::toString);
        assertEquals(List.of("VAR valid matrix float64 " + javaWriter(), "VAR validList list float64 " + javaWriter(),
                        "VAR padded matrix float64 " + javaWriter()),
                r.starting("VAR"), r::toString);

        String data = "/dev/shm/" + ns + ".";
        assertRefused("trailer version 2, size 48, reserved 0: not format 1", ns, "version");
        assertRefused("trailer version 1, size 40, reserved 0: not format 1", ns, "size");
        assertRefused("trailer says type 3, kind 0; the records say 0, 0", ns, "type");
        assertRefused("record 0 has unknown type code 7", ns, "code");
        assertRefused("record 0 has unknown type code 1280", ns, "element");
        assertRefused("metadata checksum mismatch", ns, "checksum");
        assertRefused("unrecognised bytes after the trailer", ns, "stray");
        assertRefused("no memshare for Java trailer, yet not what R writes", ns, "rStray");
        assertRefused(data + "offsets: the list's offset table disagrees with its metadata", ns, "offsets");
        assertRefused(data + "short holds 88 bytes but its metadata needs 96", ns, "short");
        assertRefused(data + "long holds 104 bytes but its metadata needs 96, the rest not zeros", ns, "long");
        assertRefused("no variable 'absent' in namespace '" + ns + "' (" + data + "md.absent does not exist)", ns, "absent");
    }

    @Test
    void refusesAnotherUsersSegmentsUnlessAllowed() throws Exception {
        writeSegments("M", valid3x4(), DATA_3X4);
        writeSegments("D", valid3x4(), DATA_3X4);
        int me = (Integer) Files.getAttribute(Interop.SHM.resolve(ns + ".M"), "unix:uid");
        if (me != 0) {
            String why = "giving segments to uid " + NOBODY + " needs root; this test runs as uid " + me;
            System.out.println("PythonRefusalTest.refusesAnotherUsersSegmentsUnlessAllowed skipped: " + why);
            Assumptions.abort(why);
        }
        // Another user plants a segment in /dev/shm (world-writable): its metadata, or its data alone.
        Files.setAttribute(Interop.SHM.resolve(ns + ".md.M"), "unix:uid", NOBODY);
        Files.setAttribute(Interop.SHM.resolve(ns + ".D"), "unix:uid", NOBODY);
        String rest = " is owned by uid " + NOBODY + ", not by this user (uid 0);"
                + " pass allow_foreign_owner=True (--allow-foreign-owner) to read it anyway";
        assertRefused("segment /dev/shm/" + ns + ".md.M" + rest, ns, "M");
        assertRefused("segment /dev/shm/" + ns + ".D" + rest, ns, "D");

        Run r = read("--allow-foreign-owner", ns, "M", "D");
        assertEquals(0, r.status(), r::toString);
        assertEquals(List.of("VAR M matrix float64 " + javaWriter(), "VAR D matrix float64 " + javaWriter()),
                r.starting("VAR"), r::toString);
    }

    @Test
    void refusesNamesThatLeaveDevShm() throws Exception {
        // Each would name a file outside /dev/shm, or one Linux cannot have: refused before any is opened.
        assertRefused("namespace name '../etc/x' must not contain '/'", "../etc/x", "X");
        assertRefused("variable name '../../etc/passwd' must not contain '/'", ns, "../../etc/passwd");
        assertRefused("variable name 'a\\\\b' must not contain '\\'", ns, "a\\b");  // Python shows \ as \\
        assertRefused("namespace name must not be empty", "", "X");
        String longest = "v".repeat(255 - (ns + ".md.").length());
        assertRefused("segment name '" + ns + ".md." + longest + "v' is 256 bytes; Linux allows at most 255", ns, longest + "v");
        // At the limit the name is fine: the variable is merely absent.
        assertRefused("no variable '" + longest + "' in namespace '" + ns + "' (/dev/shm/" + ns + ".md." + longest
                + " does not exist)", ns, longest);
    }
}
