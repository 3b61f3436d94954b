package org.memshare.apply;

import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.util.List;

/**
 * Messages between a {@link WorkerCluster} and its worker processes over a Unix-domain socket in
 * a private (0700) directory, after the worker proves it was started by this cluster with a
 * random token. Each side has one {@link ObjectOutputStream} and one {@link ObjectInputStream} for
 * the life of the connection. The messages of every call are written field by field with the
 * streams' primitive writes ({@link #write}, {@link #read}); only what has no fixed form goes
 * through Java serialization: the function, results that are objects (in bytes of their own, see
 * {@link ResultFailure}), and failures. (Serializing the records themselves re-sent and
 * re-resolved their class descriptors in every message, as the stream is reset after each: in a
 * one-off measurement in one JVM, 60-75 µs per call at the 300th call, against 3 µs field by
 * field, and much more code for the JIT to compile.)
 */
final class Protocol {
    private Protocol() {}

    // Message tags on the wire.
    private static final byte START = 1, RUN = 2, END = 3, SHUTDOWN = 4, DONE = 5, DETACHED = 6, FAILED = 7, LOST = 8;
    // What a ChunkDone carries.
    private static final byte NOTHING = 0, DOUBLES = 1, OBJECTS = 2;

    /** Worker → parent, first message. */
    record Hello(String token, long pid) implements Serializable {}

    /**
     * Parent → worker: attach the views of a call and evaluate its first chunk, items [from, to)
     * (one message instead of two: a round trip is most of a small call's cost). Answered by
     * {@link ChunkDone} or {@link Failed}. {@code digest} is the SHA-256 of the function's
     * serialized form; {@code job.fun()} is null when that is the digest of the function this
     * worker received last: then it reuses the copy it deserialized, which spares a warm call the
     * deserialization of a lambda (reflection and method handles), while a function whose
     * captured state changed is sent again. (A digest, not the bytes: a function that captures
     * a large array is then serialized straight into the socket, never into a byte array.)
     */
    record StartJob(long callId, Job job, byte[] digest, long from, long to) {}

    /** Parent → worker: evaluate items [from, to). Answered by {@link ChunkDone} or {@link Failed}. */
    record RunChunk(long callId, long from, long to) {}

    /**
     * Parent → worker: release the call's views. Answered by {@link Detached} only if
     * {@code answer}: a call with a shared output waits until every worker has dropped its
     * writable mapping before the page is published. Otherwise not answered: the stream is
     * ordered, so the worker has released them before it reads the next call's first message, and
     * the caller need not wait a round trip for it.
     */
    record EndJob(long callId, boolean answer) {}

    /** Worker → parent: the call's views and writable mappings are released. */
    record Detached(long callId) {}

    /**
     * Worker → parent, instead of an answer: the last message could not be read half-way through
     * (a function whose readObject throws, a graph the filter rejects), so the stream is out of
     * step; the worker exits after sending this. (A class it cannot load is answered by a
     * {@link Failed}: the stream skips such an object and stays usable.)
     */
    record Lost(Failed why) {}

    /** Parent → worker: exit. */
    record Shutdown() {}

    /**
     * Worker → parent: results of a chunk (one of the arrays is null): doubles, or results that
     * are objects, serialized by {@link #encodeResults} into bytes of their own.
     */
    record ChunkDone(long callId, long from, Bytes objects, double[] doubles) {}

    /**
     * Serialized results: a byte buffer whose array is used in place (a worker reuses one for
     * every chunk, so that large results are not copied again as the buffer grows).
     */
    static final class Bytes extends java.io.ByteArrayOutputStream {
        Bytes(int size) {
            super(size);
        }

        /** Bytes read whole, to decode. */
        static Bytes wrap(byte[] bytes) {
            Bytes b = new Bytes(0);
            b.buf = bytes;
            b.count = bytes.length;
            return b;
        }

        int capacity() {
            return buf.length;
        }

        java.io.ByteArrayInputStream reader() {
            return new java.io.ByteArrayInputStream(buf, 0, count);
        }

        void writeTo(ObjectOutputStream out) throws IOException {
            out.writeInt(count);
            out.write(buf, 0, count);
        }
    }

    /**
     * The result at {@code position} of a chunk could not be serialized (worker) or read
     * (parent). Results travel as bytes of their own so that this fails one call, not the
     * connection: the socket's stream never holds half an object.
     */
    static final class ResultFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final int position;

        ResultFailure(int position, Throwable cause) {
            super(cause);
            this.position = position;
        }
    }

    /**
     * What a worker sends, as the failure of an item, when its result cannot be serialized; the
     * message says what the result is ("a com.example.Stats (java.io.NotSerializableException: ...)").
     */
    static final class UnsendableResult extends Exception {
        private static final long serialVersionUID = 1L;

        UnsendableResult(Object result, Throwable cause) {
            super("a " + result.getClass().getName() + " (" + cause + ")", cause);
        }
    }

    /** Worker → parent: a failure, as text; {@code index} is -1 when it is not an item's. */
    record Failed(long callId, long index, String exceptionClass, String message, String stackTrace) implements Serializable {
        static Failed of(long callId, long index, Throwable t) {
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            return new Failed(callId, index, t.getClass().getName(), t.getMessage(), trace.toString());
        }

        RemoteException toException() {
            return new RemoteException(exceptionClass, message, stackTrace);
        }
    }

    /** Writes a message and flushes it. */
    static void write(ObjectOutputStream out, Object msg) throws IOException {
        append(out, msg);
        out.flush();
    }

    /**
     * Writes a message without flushing it, so that two go in one write (a chunk sent ahead with
     * the job's start). The stream is reset after an object was serialized, so that its handle
     * table does not keep every function and result alive; messages without objects leave the
     * table as it is.
     */
    static void append(ObjectOutputStream out, Object msg) throws IOException {
        boolean objects = false;
        if (msg instanceof StartJob) {
            StartJob m = (StartJob) msg;
            Job job = m.job();
            out.writeByte(START);
            out.writeLong(m.callId());
            out.writeUTF(job.namespace());
            out.writeUTF(job.target());
            out.writeByte(job.mode().ordinal());
            out.writeInt(job.varNames().size());
            for (String v : job.varNames()) out.writeUTF(v);
            out.writeBoolean(job.output() != null);
            if (job.output() != null) {
                out.writeUTF(job.output().namespace());
                out.writeUTF(job.output().name());
            }
            out.writeInt(m.digest().length);
            out.write(m.digest());
            out.writeLong(m.from());
            out.writeLong(m.to());
            out.writeBoolean(job.fun() != null);
            if (job.fun() != null) {
                out.writeObject(job.fun());  // last: a worker that cannot read it has the rest already
                objects = true;
            }
        } else if (msg instanceof RunChunk) {
            RunChunk m = (RunChunk) msg;
            out.writeByte(RUN);
            out.writeLong(m.callId());
            out.writeLong(m.from());
            out.writeLong(m.to());
        } else if (msg instanceof EndJob) {
            out.writeByte(END);
            out.writeLong(((EndJob) msg).callId());
            out.writeBoolean(((EndJob) msg).answer());
        } else if (msg instanceof Shutdown) {
            out.writeByte(SHUTDOWN);
        } else if (msg instanceof ChunkDone) {
            ChunkDone m = (ChunkDone) msg;
            out.writeByte(DONE);
            out.writeLong(m.callId());
            out.writeLong(m.from());
            if (m.doubles() != null) {
                out.writeByte(DOUBLES);
                out.writeInt(m.doubles().length);
                for (double d : m.doubles()) out.writeDouble(d);
            } else if (m.objects() != null) {
                out.writeByte(OBJECTS);
                m.objects().writeTo(out);
            } else {
                out.writeByte(NOTHING);
            }
        } else if (msg instanceof Detached) {
            out.writeByte(DETACHED);
            out.writeLong(((Detached) msg).callId());
        } else if (msg instanceof Failed) {
            out.writeByte(FAILED);
            out.writeObject(msg);
            objects = true;
        } else if (msg instanceof Lost) {
            out.writeByte(LOST);
            out.writeObject(((Lost) msg).why());
            objects = true;
        } else {
            throw new IllegalArgumentException("not a message: " + msg);
        }
        if (objects) out.reset();
    }

    /**
     * Reads the next message. A function or result whose class cannot be loaded throws
     * {@link ClassNotFoundException} with the stream still in step (the object is read past).
     */
    static Object read(ObjectInputStream in) throws IOException, ClassNotFoundException {
        byte tag = in.readByte();
        switch (tag) {
            case START: {
                long callId = in.readLong();
                String namespace = in.readUTF();
                String target = in.readUTF();
                Job.Mode mode = Job.Mode.values()[in.readByte()];
                String[] vars = new String[in.readInt()];
                for (int i = 0; i < vars.length; i++) vars[i] = in.readUTF();
                Job.Output output = in.readBoolean() ? new Job.Output(in.readUTF(), in.readUTF()) : null;
                byte[] digest = new byte[in.readInt()];
                in.readFully(digest);
                long from = in.readLong();
                long to = in.readLong();
                Serializable fun = in.readBoolean() ? (Serializable) in.readObject() : null;
                return new StartJob(callId, new Job(namespace, target, mode, fun, List.of(vars), output), digest, from, to);
            }
            case RUN:
                return new RunChunk(in.readLong(), in.readLong(), in.readLong());
            case END:
                return new EndJob(in.readLong(), in.readBoolean());
            case SHUTDOWN:
                return new Shutdown();
            case DONE: {
                long callId = in.readLong();
                long from = in.readLong();
                byte kind = in.readByte();
                if (kind == DOUBLES) {
                    double[] values = new double[in.readInt()];
                    for (int i = 0; i < values.length; i++) values[i] = in.readDouble();
                    return new ChunkDone(callId, from, null, values);
                }
                Bytes objects = null;
                if (kind == OBJECTS) {
                    byte[] bytes = new byte[in.readInt()];
                    in.readFully(bytes);
                    objects = Bytes.wrap(bytes);
                }
                return new ChunkDone(callId, from, objects, null);
            }
            case DETACHED:
                return new Detached(in.readLong());
            case FAILED:
                return (Failed) in.readObject();
            case LOST:
                return new Lost((Failed) in.readObject());
            default:
                throw new java.io.StreamCorruptedException("unknown message tag " + tag);
        }
    }

    /**
     * Serializes a chunk's results, one object after the other, in a stream of their own
     * (references shared between them stay shared, as in one array), into {@code bytes}, emptied
     * first.
     *
     * @throws ResultFailure naming the position of the first result that cannot be serialized
     */
    static Bytes encodeResults(Object[] results, Bytes bytes) throws ResultFailure {
        bytes.reset();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            for (int k = 0; k < results.length; k++) {
                try {
                    out.writeObject(results[k]);
                } catch (Exception | Error e) {  // NotSerializableException, or a writeObject method that throws
                    throw new ResultFailure(k, e);
                }
            }
        } catch (IOException e) {  // the header or the final flush, into memory: not expected
            throw new ResultFailure(0, e);
        }
        return bytes;
    }

    /**
     * Reads the results {@link #encodeResults} wrote into {@code into[at..]}, through
     * {@code filter}.
     *
     * @throws ResultFailure naming the position of the first result that cannot be read
     *                       (refused by the filter, a class not found here, a readObject that throws)
     */
    static void decodeResults(Bytes bytes, ObjectInputFilter filter, Object[] into, int at, int n) throws ResultFailure {
        int k = 0;
        try (ObjectInputStream in = new ObjectInputStream(bytes.reader())) {
            in.setObjectInputFilter(filter);
            for (; k < n; k++) into[at + k] = in.readObject();
        } catch (Exception | Error e) {
            throw new ResultFailure(Math.min(k, n - 1), e);
        }
    }

    /** The SHA-256 of a function's serialized form, computed without keeping the bytes. */
    static byte[] digest(Serializable fun) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        try (ObjectOutputStream out = new ObjectOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(), sha))) {
            out.writeObject(fun);
        }
        return sha.digest();
    }

    /**
     * What a worker accepts from its parent. The parent is authenticated (it alone knows the
     * token and the socket is in a 0700 directory), and the functions it sends are the user's own
     * classes; bound the graph anyway.
     */
    static final String WORKER_FILTER = "maxdepth=256";

    /**
     * What the parent accepts from workers: the protocol's own records, java.lang/util/math/time
     * values, primitive arrays, and whatever the caller allowed; nothing else is deserialized.
     */
    static ObjectInputFilter resultFilter(List<String> extraPatterns) {
        StringBuilder p = new StringBuilder("maxdepth=64;");
        p.append(Protocol.class.getName()).append("$*;");
        p.append("java.lang.*;java.util.*;java.math.*;java.time.*;");
        for (String extra : extraPatterns) p.append(extra).append(';');
        p.append("!*");
        ObjectInputFilter patterns = ObjectInputFilter.Config.createFilter(p.toString());
        return info -> {
            Class<?> c = info.serialClass();
            // Arrays of primitives carry no code; everything else goes through the patterns.
            if (c != null && c.isArray() && c.getComponentType().isPrimitive()) return ObjectInputFilter.Status.ALLOWED;
            return patterns.checkInput(info);
        };
    }
}
