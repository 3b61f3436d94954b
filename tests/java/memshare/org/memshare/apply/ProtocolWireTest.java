package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The messages of a call through a pair of object streams, as between a cluster and a worker. */
class ProtocolWireTest {
    /** Writes the messages into one stream and returns a stream that reads them back. */
    private static ObjectInputStream wire(Object... messages) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ObjectOutputStream out = new ObjectOutputStream(bytes);
        for (Object m : messages) Protocol.write(out, m);
        return new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    }

    /** A function the reader can load, with state to compare. */
    record Scale(double by) implements DoubleApplyFunction {
        @Override
        public double apply(java.nio.DoubleBuffer v, SharedVars vars) {
            return by * v.get(0);
        }
    }

    @Test
    void everyMessageComesBackAsSent() throws Exception {
        byte[] digest = new byte[32];
        for (int i = 0; i < digest.length; i++) digest[i] = (byte) (i * 7);
        Job withOutput = new Job("ns1", "X", Job.Mode.ROWS, new Scale(2.5), List.of("a", "bb"), new Job.Output("ns2", "Out"));
        Job header = new Job("ns1", "X", Job.Mode.ELEMENTS, null, List.of(), null);
        ObjectInputStream in = wire(new Protocol.StartJob(7, withOutput, digest, 3, 9), new Protocol.StartJob(8, header, digest, 0, 1),
                new Protocol.RunChunk(7, 9, 12), new Protocol.EndJob(7, true), new Protocol.EndJob(8, false), new Protocol.Shutdown(),
                new Protocol.ChunkDone(7, 3, null, new double[] {1.5, -0.0, Double.NaN}),
                new Protocol.ChunkDone(7, 4, Protocol.encodeResults(new Object[] {"s", 42L, null}, new Protocol.Bytes(8)), null), new Protocol.ChunkDone(7, 5, null, null),
                new Protocol.Detached(7), new Protocol.Failed(7, 4, "java.lang.IllegalStateException", "bad", "trace"),
                new Protocol.Lost(new Protocol.Failed(-1, -1, "java.io.InvalidObjectException", "half-way", "t")));

        Protocol.StartJob s = (Protocol.StartJob) Protocol.read(in);
        assertEquals(7, s.callId());
        assertEquals(new Job("ns1", "X", Job.Mode.ROWS, new Scale(2.5), List.of("a", "bb"), new Job.Output("ns2", "Out")), s.job());
        assertArrayEquals(digest, s.digest());
        assertEquals(3, s.from());
        assertEquals(9, s.to());
        Protocol.StartJob h = (Protocol.StartJob) Protocol.read(in);
        assertEquals(new Job("ns1", "X", Job.Mode.ELEMENTS, null, List.of(), null), h.job());
        assertEquals(new Protocol.RunChunk(7, 9, 12), Protocol.read(in));
        assertEquals(new Protocol.EndJob(7, true), Protocol.read(in));
        assertEquals(new Protocol.EndJob(8, false), Protocol.read(in));
        assertEquals(new Protocol.Shutdown(), Protocol.read(in));
        Protocol.ChunkDone d = (Protocol.ChunkDone) Protocol.read(in);
        assertEquals(3, d.from());
        assertNull(d.objects());
        assertArrayEquals(new double[] {1.5, -0.0, Double.NaN}, d.doubles());  // bit for bit, -0.0 and NaN included
        Protocol.ChunkDone o = (Protocol.ChunkDone) Protocol.read(in);
        Object[] back = new Object[4];
        Protocol.decodeResults(o.objects(), Protocol.resultFilter(List.of()), back, 1, 3);
        assertArrayEquals(new Object[] {null, "s", 42L, null}, back);
        Protocol.ChunkDone none = (Protocol.ChunkDone) Protocol.read(in);
        assertNull(none.objects());
        assertNull(none.doubles());
        assertEquals(new Protocol.Detached(7), Protocol.read(in));
        assertEquals(new Protocol.Failed(7, 4, "java.lang.IllegalStateException", "bad", "trace"), Protocol.read(in));
        Protocol.Lost lost = assertInstanceOf(Protocol.Lost.class, Protocol.read(in));
        assertEquals("half-way", lost.why().message());
        assertThrows(java.io.EOFException.class, () -> Protocol.read(in));
    }

    /** The result that cannot be serialized is named by its position in the chunk. */
    @Test
    void anUnserializableResultIsNamedByItsPosition() {
        Protocol.ResultFailure f = assertThrows(Protocol.ResultFailure.class,
                () -> Protocol.encodeResults(new Object[] {1.0, "two", new Object(), 4.0}, new Protocol.Bytes(8)));
        assertEquals(2, f.position);
        assertInstanceOf(java.io.NotSerializableException.class, f.getCause());
    }

    /** Serializable, but not a function: stands for a class the reader cannot load (see below). */
    record Missing(String payload) implements Serializable {}

    @Test
    void aFunctionWhoseClassCannotBeLoadedIsReadPastAndTheNextMessageIsIntact() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ObjectOutputStream out = new ObjectOutputStream(bytes);
        Protocol.write(out, new Protocol.StartJob(1, new Job("ns", "X", Job.Mode.COLUMNS, new Missing("x".repeat(5000)),
                List.of(), null), new byte[32], 0, 1));
        Protocol.write(out, new Protocol.RunChunk(1, 1, 2));
        // A reader that refuses to load Missing, as a worker without the class would.
        ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())) {
            @Override
            protected Class<?> resolveClass(java.io.ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                if (desc.getName().equals(Missing.class.getName())) throw new ClassNotFoundException(desc.getName());
                return super.resolveClass(desc);
            }
        };
        ClassNotFoundException e = assertThrows(ClassNotFoundException.class, () -> Protocol.read(in));
        assertEquals(Missing.class.getName(), e.getMessage());
        assertEquals(new Protocol.RunChunk(1, 1, 2), Protocol.read(in));
    }
}
