package org.memshare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memshare.facade.Memshare;

/**
 * What the Java API writes for double data is what R memshare writes: the metadata segment starts
 * with R's records byte for byte (our trailer follows, which R ignores), the data segment is R's
 * layout exactly. Non-double data never carries an R type code, so R refuses it cleanly.
 */
class WritesRLayoutTest extends MemshareTestBase {

    private byte[] meta(String var) throws IOException {
        return Files.readAllBytes(Fixtures.metaPath(ns, var));
    }

    /** Asserts data segment {@code var} holds exactly {@code expected} (then the page rounding's zeros, if any). */
    private void assertData(byte[] expected, String var) throws IOException {
        assertArrayEquals(expected, Fixtures.segmentBytes(Fixtures.dataPath(ns, var), expected.length));
    }

    /** Asserts metadata segment {@code var} is exactly {@code records}, then our 48-byte trailer (then the page rounding's zeros, if any). */
    private void assertRecords(byte[] records, String var) throws IOException {
        byte[] metadata = Fixtures.segmentBytes(Fixtures.metaPath(ns, var), records.length + TRAILER);
        assertArrayEquals(records, Arrays.copyOf(metadata, records.length), "R records byte for byte");
        assertEquals("MEMSHRJ1", new String(metadata, records.length, 8, StandardCharsets.US_ASCII), "our trailer follows the R records");
    }

    private static final int TRAILER = 48;

    @Test
    void doubleMatrixVectorAndListMatchRsLayout() throws IOException {
        double[] x = Fixtures.seq(6);
        double[] y = {1.5, 2.5};
        Fixtures.RElement l0 = Fixtures.RElement.matrix(2, 2, new double[] {1, 2, 3, 4});
        Fixtures.RElement l1 = Fixtures.RElement.vector(new double[] {7.5, 8.5, 9.5});
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("X", Matrix.of(2, 3, x.clone()));
        vars.put("y", y.clone());
        vars.put("L", List.of(Matrix.of(2, 2, l0.values().clone()), l1.values().clone()));
        vars.put("z", new double[0]);
        Memshare.registerVariables(ns, vars);

        assertRecords(Fixtures.matrixRecord(2, 3), "X");
        assertData(Fixtures.doublesLE(x), "X");

        assertRecords(Fixtures.vectorRecord(2), "y");
        assertData(Fixtures.doublesLE(y), "y");

        assertRecords(Fixtures.listMetadata(List.of(l0, l1)), "L");
        assertData(Fixtures.listData(List.of(l0, l1)), "L");

        assertRecords(Fixtures.vectorRecord(0), "z");
        assertData(new byte[0], "z");
    }

    @Test
    void allocatedAndFilledMatrixMatchesToo() throws IOException {
        ArrayPage p = hold(Namespace.of(ns).allocateMatrix("M", ElementType.FLOAT64, 3, 2));
        double[] values = {-1, 0.5, 1e100, Double.NaN, -0.0, 42};
        p.copyFrom(0, values, 0, 6);
        p.publish();
        assertRecords(Fixtures.matrixRecord(3, 2), "M");
        assertData(Fixtures.doublesLE(values), "M");
    }

    @Test
    void trailerAfterTheRecordsNamesUsAsOwner() throws IOException {
        hold(Namespace.of(ns).register("v", new double[] {1}));
        byte[] md = meta("v");
        assertEquals("MEMSHRJ1", new String(md, 24, 8, StandardCharsets.US_ASCII));
        assertEquals(Fixtures.PID, ByteBuffer.wrap(md, 24 + 16, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
        try (VectorView v = Namespace.of(ns).vector("v")) {
            assertEquals(Fixtures.PID, v.info().ownerPid());
        }
    }

    @Test
    void nonDoubleDataNeverCarriesAnRTypeCode() throws IOException {
        Namespace space = Namespace.of(ns);
        hold(space.register("i", new int[] {1, 2, 3}));
        hold(space.register("f", Matrix.of(1, 2, new float[] {1, 2})));
        hold(space.register("b", new byte[] {1}));
        hold(space.register("l", new long[] {1}));
        hold(space.register("L", List.of(new int[] {1}, Matrix.of(1, 1, new int[] {2}))));
        for (String var : List.of("i", "f", "b", "l")) {
            int type = ByteBuffer.wrap(meta(var)).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            assertFalse(type == 0 || type == 1 || type == 2, var + ": type code " + type + " would be read by R");
        }
        byte[] lmd = meta("L");
        for (int r = 0; r < 3; r++) {
            int type = ByteBuffer.wrap(lmd).order(ByteOrder.LITTLE_ENDIAN).getInt(24 * r);
            assertFalse(type == 0 || type == 1 || type == 2, "L record " + r + ": type code " + type);
        }
        // The values themselves: little-endian int32, as written.
        ByteBuffer expected = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(1).putInt(2).putInt(3);
        assertData(expected.array(), "i");
        // A list keeps R's offset table (in values), then the packed int32s.
        ByteBuffer list = ByteBuffer.allocate(16 + 8).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(1).putInt(1).putInt(2);
        assertData(list.array(), "L");
    }
}
