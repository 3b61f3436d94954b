package org.memshare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The .npy header reader on files numpy wrote (tests/data/npy/make_npy.py, numpy.lib.format.write_array
 * with each format version): every type read, both orders, both byte orders; and one-line errors.
 */
class NpyHeaderTest {
    private static final Path FORMAT = Path.of("tests/data/npy/format");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {1, 2, 3})
    void everyTypeInBothOrdersReadsAsNumpyWroteIt(int version) throws IOException {
        String[] types = {"f8", "f4", "i8", "i4", "i2", "i1", "u1", "u2", "be_f8", "be_i4", "be_u2"};
        for (String type : types) {
            for (String order : new String[] {"C", "F"}) {
                Path file = FORMAT.resolve("v" + version + "_" + type + "_" + order + ".npy");
                NpyHeader h = NpyHeader.read(file);
                String dtype = type.replace("be_", "");
                ByteOrder bytes = type.startsWith("be_") ? ByteOrder.BIG_ENDIAN : dtype.endsWith("1") ? ByteOrder.nativeOrder()
                        : ByteOrder.LITTLE_ENDIAN;
                assertEquals(version, h.version(), file.toString());
                assertEquals(dtype.charAt(0), h.kind(), file.toString());
                assertEquals(dtype.charAt(1) - '0', h.itemSize(), file.toString());
                assertEquals(bytes, h.order(), file.toString());
                assertEquals(order.equals("F"), h.fortranOrder(), file.toString());
                assertArrayEquals(new long[] {4, 3}, h.shape(), file.toString());
                assertEquals("(4, 3)", h.shapeText());
                // The data start where the header ends: the file holds exactly 12 elements after it.
                assertEquals(Files.size(file), h.dataOffset() + 12L * h.itemSize(), file.toString());
                ByteBuffer data = ByteBuffer.wrap(Arrays.copyOfRange(Files.readAllBytes(file), (int) h.dataOffset(),
                        (int) Files.size(file))).order(h.order());
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 3; j++) {
                        int k = h.fortranOrder() ? j * 4 + i : i * 3 + j;
                        double expected = 10 * (i + 1) + j + (dtype.charAt(0) == 'f' ? 0.5 : 0);
                        assertEquals(expected, h.get(data, k), file + " element (" + i + ", " + j + ")");
                    }
                }
            }
        }
    }

    @Test
    void aVectorAndVersion3sUtf8Header() throws IOException {
        NpyHeader v = NpyHeader.read(FORMAT.resolve("v1_f8_vector.npy"));
        assertArrayEquals(new long[] {5}, v.shape());
        assertEquals("(5,)", v.shapeText());
        assertEquals("<f8", v.dtype());
        // Version 3 headers are UTF-8: the field name "αé" must come out as written, not as Latin-1 mojibake.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NpyHeader.read(FORMAT.resolve("v3_structured_utf8.npy")));
        assertTrue(e.getMessage().endsWith("v3_structured_utf8.npy holds dtype [('\u03b1\u00e9', '<f8')]; memshare reads " + NpyHeader.SUPPORTED),
                e.getMessage());
    }

    @Test
    void badFilesAreOneLineErrorsNamingTheFile() throws IOException {
        byte[] good = Files.readAllBytes(FORMAT.resolve("v1_f8_C.npy"));
        fails(Arrays.copyOf(good, good.length - 8), "is truncated: shape (4, 3) of <f8 needs 224 bytes, the file has 216");
        fails(Arrays.copyOf(good, 40), "is truncated: it ends inside its .npy header of 118 bytes");
        fails(Arrays.copyOf(good, 9), "is truncated: it ends inside its .npy preamble");
        fails("a,b\n1,2\n".getBytes(StandardCharsets.US_ASCII), "is not a numpy .npy file (it does not start with \\x93NUMPY)");
        byte[] v4 = good.clone();
        v4[6] = 4;
        fails(v4, "is a .npy file of format version 4.0; memshare reads versions 1.0, 2.0 and 3.0");
        byte[] minor = good.clone();
        minor[7] = 1;
        fails(minor, "is a .npy file of format version 1.1; memshare reads versions 1.0, 2.0 and 3.0");
        fails(v1("{'descr': '<c16', 'fortran_order': False, 'shape': (0,), }"), "holds dtype '<c16'; memshare reads float64");
        fails(v1("{'descr': '<f8', 'fortran_order': False, 'shape': (0,), 'x': 1}"),
                "its .npy header has the keys [descr, fortran_order, shape, x], not exactly descr, fortran_order and shape");
        fails(v1("{'descr': '<f8', 'shape': (0,)}"), "has the keys [descr, shape]");
        fails(v1("{'descr': '<f8', 'fortran_order': 1, 'shape': (0,)}"), "its .npy header's fortran_order is 1, not True or False");
        fails(v1("{'descr': '<f8', 'fortran_order': False, 'shape': [2]}"), "its .npy header's shape is [2], not a tuple");
        fails(v1("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,)}"), "its .npy header's shape (-1,) is not of sizes");
        fails(v1("{'descr': '|f8', 'fortran_order': False, 'shape': (0,)}"), "holds dtype '|f8', which has no byte order");
        fails(v1("{'descr': '<f8', 'fortran_order': False, 'shape': (0,)"), "its .npy header is not a Python dict literal");
        fails(v1("{'descr': '<f8', 'fortran_order': False, 'shape': (9223372036854775807, 2)}"), "its shape is too large");
        // A hostile header nested deep enough to overflow the stack of a recursive reader.
        fails(v2("{'descr': '<f8', 'fortran_order': False, 'shape': " + "[".repeat(200_000) + "}"),
                "brackets nested more than 32 deep", "... (200051 characters)");
        // numpy's own headers: old Python 2 "L" suffixes, and no trailing comma, are read.
        Path ok = write(v1("{'descr': '<f8', 'fortran_order': True, 'shape': (0L, 2L)}"));
        assertArrayEquals(new long[] {0, 2}, NpyHeader.read(ok).shape());
    }

    /** A version 1.0 file with header {@code dict} and no data. */
    private static byte[] v1(String dict) {
        byte[] text = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) text.length).put(text);
        return b.array();
    }

    /** A version 2.0 file (4-byte header length) with header {@code dict} and no data. */
    private static byte[] v2(String dict) {
        byte[] text = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(12 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(text.length).put(text);
        return b.array();
    }

    private Path write(byte[] bytes) throws IOException {
        return Files.write(Files.createTempFile(dir, "bad", ".npy"), bytes);
    }

    private void fails(byte[] bytes, String... expected) throws IOException {
        Path file = write(bytes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NpyHeader.read(file));
        assertTrue(e.getMessage().startsWith(file + " "), e.getMessage());
        for (String words : expected) assertTrue(e.getMessage().contains(words), e.getMessage());
        assertTrue(e.getMessage().length() < 1000, "a message of " + e.getMessage().length() + " characters");
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
