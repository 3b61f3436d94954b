package org.memshare.apply;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import org.memshare.Namespace;
import org.memshare.internal.NativeLoader;

/**
 * Entry point of a worker process of a {@link WorkerCluster}:
 * {@code java -cp <same class path> org.memshare.apply.WorkerMain <socket path>}, with the
 * cluster's token in the environment variable {@value #TOKEN_ENV}. It attaches views by name for
 * each call and releases them at its end; it never receives the data itself.
 * <p>Not public: it is the library's own entry point for the JVMs it starts, not a program for
 * users (the launcher runs the public {@code main} of a package-private class).
 */
final class WorkerMain {
    /** Environment variable carrying the cluster's token (not visible to other users, unlike argv). */
    static final String TOKEN_ENV = "MEMSHARE_WORKER_TOKEN";

    private WorkerMain() {}

    /**
     * Loads the native library and the classes every call needs before saying hello, so that
     * this cost is part of starting the cluster, not of the first call: there, both workers
     * paying it at once left about 0.2 s of the first call without work (issue 12's efficiency).
     * A failure here is left to the first call, which reports it to the caller.
     */
    private static void warmUp() {
        try {
            NativeLoader.load();
            Class.forName(JobRunner.class.getName());
            Class.forName(org.memshare.MatrixView.class.getName());
            // The messages of a call through a stream, as the protocol writes and reads them, with
            // a serializable lambda (its first deserialization spins method handles).
            DoubleApplyFunction fun = (column, vars) -> column.get(0);
            Job job = new Job("w", "w", Job.Mode.COLUMNS, fun, java.util.List.of("y"), new Job.Output("w", "z"));
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
                Protocol.write(o, new Protocol.StartJob(0, job, new byte[32], 0, 1));
                Protocol.write(o, new Protocol.ChunkDone(0, 0, null, new double[1]));
            }
            try (ObjectInputStream i = new ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
                Job back = ((Protocol.StartJob) Protocol.read(i)).job();
                ((DoubleApplyFunction) back.fun()).apply(java.nio.DoubleBuffer.wrap(new double[1]), null);
                Protocol.read(i);
            }
            // The attach path's classes: a view of a variable that does not exist fails at once.
            try (Namespace ns = Namespace.of("memshare-warmup")) {
                ns.view("none");
            } catch (org.memshare.VariableNotFoundException expected) {
                // as intended
            }
        } catch (Throwable e) {
            // reported by the first StartJob, with the caller's context
        }
    }

    /** Runs the worker loop until told to shut down or the parent goes away. */
    public static void main(String[] args) throws Exception {
        warmUp();
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(args[0]));
        ObjectOutputStream out = new ObjectOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
        out.writeObject(new Protocol.Hello(System.getenv(TOKEN_ENV), ProcessHandle.current().pid()));
        out.flush();
        ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
        in.setObjectInputFilter(ObjectInputFilter.Config.createFilter(Protocol.WORKER_FILTER));
        JobRunner runner = null;
        Serializable function = null;  // the last function received, and the digest of its serialized form
        byte[] digest = null;
        double[] buffer = null;
        Protocol.Bytes results = new Protocol.Bytes(1 << 12);  // serialized results, reused from chunk to chunk
        try {
            while (true) {
                Object msg;
                try {
                    msg = Protocol.read(in);
                } catch (EOFException parentGone) {
                    return;
                } catch (ClassNotFoundException e) {
                    // ObjectInputStream reads past an object whose class it cannot load, so the
                    // stream is still in step: the call fails and this worker serves the next one.
                    Protocol.write(out, unreadable(e));
                    continue;
                } catch (IOException | RuntimeException | Error e) {
                    // Failed half-way through a message (a readObject method that throws, a
                    // rejected graph): what follows in the stream cannot be found, so this worker
                    // says why and exits; the caller gives it up and the others go on.
                    try {
                        Protocol.write(out, new Protocol.Lost(unreadable(e)));
                    } catch (IOException parentGone) {
                        // nobody left to tell
                    }
                    return;
                }
                Object reply;
                if (msg instanceof Protocol.StartJob) {
                    Protocol.StartJob m = (Protocol.StartJob) msg;
                    if (runner != null) runner.close();
                    runner = null;
                    try {
                        if (m.job().fun() != null) {
                            function = m.job().fun();
                            digest = m.digest();
                        } else if (!Arrays.equals(digest, m.digest())) {
                            throw new IllegalStateException("the function was not sent and this worker holds another");
                        }
                        runner = new JobRunner(m.job().withFunction(function), null);
                        buffer = runner.newRowBuffer();
                        reply = runChunk(runner, buffer, results, m.callId(), m.from(), m.to());
                    } catch (Exception | Error e) {
                        reply = Protocol.Failed.of(m.callId(), -1, e);
                    }
                } else if (msg instanceof Protocol.RunChunk) {
                    Protocol.RunChunk m = (Protocol.RunChunk) msg;
                    reply = runner == null ? Protocol.Failed.of(m.callId(), -1, new IllegalStateException("no job started"))
                            : runChunk(runner, buffer, results, m.callId(), m.from(), m.to());
                } else if (msg instanceof Protocol.EndJob) {
                    Protocol.EndJob m = (Protocol.EndJob) msg;
                    if (runner != null) runner.close();
                    runner = null;
                    if (results.capacity() > 1 << 20) results = new Protocol.Bytes(1 << 12);  // a large call's buffer goes with it
                    if (!m.answer()) continue;  // see Protocol.EndJob
                    reply = new Protocol.Detached(m.callId());
                } else if (msg instanceof Protocol.Shutdown) {
                    return;
                } else {
                    reply = Protocol.Failed.of(-1, -1, new IllegalArgumentException("unknown message " + msg));
                }
                Protocol.write(out, reply);
            }
        } finally {
            if (runner != null) runner.close();
            Namespace.releaseAll();
        }
    }

    /** Why a message from the parent (in practice the function of a call) could not be read. */
    private static Protocol.Failed unreadable(Throwable cause) {
        Protocol.Failed f = Protocol.Failed.of(-1, -1, cause);
        String hint = cause instanceof ClassNotFoundException
                ? " (a worker loads classes from the caller's java.class.path; a class defined otherwise cannot be sent)" : "";
        return new Protocol.Failed(-1, -1, f.exceptionClass(),
                "cannot read the call's function or what it captures: " + cause.getMessage() + hint, f.stackTrace());
    }

    /** Evaluates items [from, to): their results, or the failure. */
    private static Object runChunk(JobRunner runner, double[] buffer, Protocol.Bytes results, long callId, long from, long to) {
        int n = Math.toIntExact(to - from);
        boolean doubles = runner.returnsDoubles();
        Object[] objects = doubles || runner.writesOutput() ? null : new Object[n];
        double[] values = doubles ? new double[n] : null;
        try {
            runner.run(from, to, objects, values, 0, buffer);
        } catch (JobRunner.ItemFailure f) {
            return Protocol.Failed.of(callId, f.index, f.getCause());
        } catch (Exception | Error e) {
            return Protocol.Failed.of(callId, -1, e);
        }
        if (objects == null) return new Protocol.ChunkDone(callId, from, null, values);
        try {
            return new Protocol.ChunkDone(callId, from, Protocol.encodeResults(objects, results), null);
        } catch (Protocol.ResultFailure f) {
            // Serialized apart from the socket's stream, so this worker's connection stays usable.
            return Protocol.Failed.of(callId, from + f.position, new Protocol.UnsendableResult(objects[f.position], f.getCause()));
        }
    }
}
