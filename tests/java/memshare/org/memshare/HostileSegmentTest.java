package org.memshare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.memshare.facade.Memshare;

/**
 * Corrupt or hostile segments (absurd dimensions, truncated data, bad list offsets, garbage, a
 * tampered checksum) give CorruptSegmentException, naming the variable; nothing is mapped past
 * an end, so the JVM survives and keeps working.
 */
class HostileSegmentTest extends MemshareTestBase {
    private static final String VAR = "bad";

    @AfterEach
    void removeHostileSegments() throws IOException {
        Fixtures.deleteSegments(ns, VAR);
    }

    private static byte[] zeros(int n) {
        return new byte[n];
    }

    private static byte[] withRecordType(byte[] record, int type) {
        byte[] out = record.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(0, type);
        return out;
    }

    private static byte[] listDataWithOffsets(long... offsetsThenDoubles) {
        ByteBuffer bb = ByteBuffer.allocate(8 * offsetsThenDoubles.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : offsetsThenDoubles) bb.putLong(v);
        return bb.array();
    }

    /** name, metadata bytes, data bytes, whether the metadata alone is already refused. */
    static Stream<Arguments> hostileMetadata() {
        long huge = 1L << 62;
        return Stream.of(
                Arguments.of("vector of 2^62 doubles", Fixtures.vectorRecord(huge), zeros(16), true),
                Arguments.of("matrix 2^62 x 2^62", Fixtures.matrixRecord(huge, huge), zeros(16), true),
                Arguments.of("vector of 2^64-1 (negative as int64)", Fixtures.vectorRecord(-1L), zeros(16), true),
                Arguments.of("matrix 2^40 x 1 over 16 bytes", Fixtures.matrixRecord(1L << 40, 1), zeros(16), false),
                Arguments.of("truncated data: 10x10 over 400 bytes", Fixtures.matrixRecord(10, 10), zeros(400), false),
                Arguments.of("truncated data: vector of 3 over 23 bytes", Fixtures.vectorRecord(3), zeros(23), false),
                Arguments.of("metadata of 10 bytes", zeros(10), zeros(8), true),
                Arguments.of("empty metadata", new byte[0], zeros(8), true),
                Arguments.of("unknown type code 7", withRecordType(Fixtures.vectorRecord(1), 7), zeros(8), true),
                Arguments.of("negative type code", withRecordType(Fixtures.vectorRecord(1), -1), zeros(8), true),
                Arguments.of("garbage after the records",
                        Fixtures.concat(Fixtures.vectorRecord(1), new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), zeros(8), true),
                Arguments.of("list claiming 2^62 elements", Fixtures.record(Fixtures.R_LIST, huge, 1),
                        zeros(16), true),
                Arguments.of("list claiming 2 elements with records for 1",
                        Fixtures.concat(Fixtures.record(Fixtures.R_LIST, 2, 2), Fixtures.vectorRecord(1)), zeros(32), true),
                Arguments.of("list total disagreeing with its elements",
                        Fixtures.concat(Fixtures.record(Fixtures.R_LIST, 1, 5), Fixtures.vectorRecord(2)),
                        listDataWithOffsets(0, 0, 0), true),
                Arguments.of("list nested in a list",
                        Fixtures.concat(Fixtures.record(Fixtures.R_LIST, 1, 0), Fixtures.record(Fixtures.R_LIST, 0, 0)),
                        listDataWithOffsets(0), true),
                Arguments.of("list with an element of 2^62 values",
                        Fixtures.concat(Fixtures.record(Fixtures.R_LIST, 1, huge), Fixtures.vectorRecord(huge)),
                        listDataWithOffsets(0, 0), true),
                Arguments.of("list with a wrong offset table",
                        Fixtures.concat(Fixtures.record(Fixtures.R_LIST, 2, 3), Fixtures.vectorRecord(1), Fixtures.vectorRecord(2)),
                        listDataWithOffsets(0, 5, 0, 0, 0), false),
                Arguments.of("list with a huge offset",
                        Fixtures.concat(Fixtures.record(Fixtures.R_LIST, 2, 3), Fixtures.vectorRecord(1), Fixtures.vectorRecord(2)),
                        listDataWithOffsets(0, 1L << 61, 0, 0, 0), false),
                Arguments.of("list truncated inside its offset table",
                        Fixtures.concat(Fixtures.record(Fixtures.R_LIST, 2, 3), Fixtures.vectorRecord(1), Fixtures.vectorRecord(2)),
                        listDataWithOffsets(0), false));
    }

    private void assertCorrupt(MemshareException e) {
        assertTrue(e.getMessage().contains(ns) && e.getMessage().contains(VAR), e.getMessage());
    }

    @SuppressWarnings("try")
    private void assertStillWorking() {
        assertTrue(Memshare.viewList().isEmpty(), "no view entry left behind: " + Memshare.viewList());
        Namespace space = Namespace.of(ns);
        try (Page p = space.register("ok", new double[] {1, 2}); VectorView v = space.vector("ok")) {
            assertEquals(2.0, v.get(1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileMetadata")
    void refusedCleanly(String what, byte[] metadata, byte[] data, boolean metadataRefused) throws IOException {
        Fixtures.writeSegments(ns, VAR, metadata, data);
        Namespace space = Namespace.of(ns);
        assertCorrupt(assertThrows(CorruptSegmentException.class, () -> space.view(VAR), what));
        assertCorrupt(assertThrows(CorruptSegmentException.class, () -> Memshare.retrieveViews(ns, VAR), what));
        if (metadataRefused)
            assertCorrupt(assertThrows(CorruptSegmentException.class, () -> space.metadata(VAR), what));
        assertStillWorking();
        // Refusing never touches the segments.
        assertArrayEquals(metadata, Files.readAllBytes(Fixtures.metaPath(ns, VAR)));
    }

    @Test
    void metadataSegmentOfTwoGiBIsRefusedWithoutReadingIt() throws IOException {
        Fixtures.writeSegments(ns, VAR, Fixtures.vectorRecord(1), zeros(8));
        try (RandomAccessFile f = new RandomAccessFile(Fixtures.metaPath(ns, VAR).toFile(), "rw")) {
            f.setLength(2L << 30);                     // sparse on tmpfs: no memory used
        }
        assertThrows(CorruptSegmentException.class, () -> Namespace.of(ns).view(VAR));
        assertThrows(CorruptSegmentException.class, () -> Namespace.of(ns).metadata(VAR));
        assertStillWorking();
    }

    @Test
    void dataSegmentMissingIsAnErrorNotACrash() throws IOException {
        Files.write(Fixtures.metaPath(ns, VAR), Fixtures.vectorRecord(4));
        MemshareException e = assertThrows(MemshareException.class, () -> Namespace.of(ns).view(VAR));
        assertTrue(e instanceof VariableNotFoundException || e instanceof CorruptSegmentException, e.toString());
        assertStillWorking();
    }

    @Test
    void tamperedMetadataOfALivePageFailsItsChecksum() throws IOException {
        Page page = hold(Namespace.of(ns).register(VAR, new double[] {1, 2, 3, 4}));
        byte[] md = Files.readAllBytes(Fixtures.metaPath(ns, VAR));
        ByteBuffer.wrap(md).order(ByteOrder.LITTLE_ENDIAN).putLong(8, 2);   // claim a vector of 2
        Files.write(Fixtures.metaPath(ns, VAR), md);
        assertCorrupt(assertThrows(CorruptSegmentException.class, () -> Namespace.of(ns).view(VAR)));
        assertStillWorking();
        page.close();
        assertEquals(List.of(), Fixtures.shmEntries(ns));
    }

    @Test
    void livePageTruncatedByAnotherProcessIsRefused() throws IOException {
        Page page = hold(Namespace.of(ns).register(VAR, Fixtures.seq(1024)));
        try (FileChannel ch = FileChannel.open(Fixtures.dataPath(ns, VAR), StandardOpenOption.WRITE)) {
            ch.truncate(100);
        }
        assertCorrupt(assertThrows(CorruptSegmentException.class, () -> Namespace.of(ns).view(VAR)));
        assertStillWorking();
        page.close();                                  // never touched the truncated pages
        assertEquals(List.of(), Fixtures.shmEntries(ns));
    }
}
