package org.memshare.apply;

import java.io.ObjectInputFilter;
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

    /** Parent → worker: attach the views of a call. Answered by {@link Ready} or {@link Failed}. */
    record StartJob(long callId, Job job) implements Serializable {}

    /** Parent → worker: evaluate items [from, to). Answered by {@link ChunkDone} or {@link Failed}. */
    record RunChunk(long callId, long from, long to) implements Serializable {}

    /** Parent → worker: release the call's views. Answered by {@link Ready}. */
    record EndJob(long callId) implements Serializable {}

    /** Parent → worker: exit. */
    record Shutdown() implements Serializable {}

    /** Worker → parent: the step asked for is done. */
    record Ready(long callId) implements Serializable {}

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
