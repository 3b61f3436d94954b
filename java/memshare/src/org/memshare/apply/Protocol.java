package org.memshare.apply;

import java.io.IOException;
import java.io.ObjectInputFilter;
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
 * Messages between a {@link WorkerCluster} and its worker processes, sent with Java
 * serialization over a Unix-domain socket in a private (0700) directory, after the worker proves
 * it was started by this cluster with a random token.
 */
final class Protocol {
    private Protocol() {}

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
    record StartJob(long callId, Job job, byte[] digest, long from, long to) implements Serializable {}

    /** Parent → worker: evaluate items [from, to). Answered by {@link ChunkDone} or {@link Failed}. */
    record RunChunk(long callId, long from, long to) implements Serializable {}

    /**
     * Parent → worker: release the call's views. Answered by {@link Detached} only if
     * {@code answer}: a call with a shared output waits until every worker has dropped its
     * writable mapping before the page is published. Otherwise not answered: the stream is
     * ordered, so the worker has released them before it reads the next call's first message, and
     * the caller need not wait a round trip for it.
     */
    record EndJob(long callId, boolean answer) implements Serializable {}

    /** Worker → parent: the call's views and writable mappings are released. */
    record Detached(long callId) implements Serializable {}

    /**
     * Worker → parent, instead of an answer: the last message could not be read half-way through
     * (a function whose readObject throws, a graph the filter rejects), so the stream is out of
     * step; the worker exits after sending this. (A class it cannot load is answered by a
     * {@link Failed}: the stream skips such an object and stays usable.)
     */
    record Lost(Failed why) implements Serializable {}

    /** Parent → worker: exit. */
    record Shutdown() implements Serializable {}

    /** Worker → parent: results of a chunk (one of the arrays is null). */
    record ChunkDone(long callId, long from, Object[] objects, double[] doubles) implements Serializable {}

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
