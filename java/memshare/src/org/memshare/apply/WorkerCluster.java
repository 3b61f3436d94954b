package org.memshare.apply;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Worker JVM processes for {@code memApply}/{@code memLapply} (R's {@code CLUSTER}): started once
 * with this JVM's {@code java} binary, class path and module path (see WorkerCommand), reused
 * by many calls, closed when done.
 * Workers receive names and the function, attach views of the shared data, and send results back;
 * they never receive the data itself. One call runs on a cluster at a time.
 */
public final class WorkerCluster implements AutoCloseable {
    private static final long START_TIMEOUT_MS = 60_000;

    private final Path dir;
    private final ServerSocketChannel server;
    private final List<Worker> workers = new ArrayList<>();
    private final Semaphore busy = new Semaphore(1);
    private final AtomicLong callIds = new AtomicLong();
    // The threads that drive the workers through a call, kept across calls: starting two threads
    // per call was a fifth of a small call's cost. Daemons, so a forgotten cluster never holds
    // the JVM open.
    private final ExecutorService dispatchers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "memshare-dispatch");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    /** The result filter of a worker's stream: whatever the call in progress accepts. */
    static final class CurrentFilter implements ObjectInputFilter {
        volatile ObjectInputFilter delegate = Protocol.resultFilter(List.of());

        @Override
        public Status checkInput(FilterInfo info) {
            return delegate.checkInput(info);
        }
    }

    /** One worker process and its connection. */
    static final class Worker {
        final int id;
        final Process process;
        ObjectOutputStream out;
        ObjectInputStream in;
        CurrentFilter filter;
        volatile boolean dead;
        // Null while this worker's stream is in step; else what put it out of step.
        volatile String outOfStep;
        // The digest of the function this worker holds (see Protocol.StartJob); only the
        // worker's dispatcher reads and writes it, one call at a time.
        byte[] function;

        Worker(int id, Process process) {
            this.id = id;
            this.process = process;
        }

        Object request(Object msg) throws IOException, ClassNotFoundException {
            send(msg);
            return receive();
        }

        /**
         * Sends a message. One that breaks off part-way by anything but the connection's own
         * failure (an Error such as StackOverflowError in a function's writeObject, an
         * OutOfMemoryError) leaves part of it in the stream, so that the worker would read the
         * next messages as the rest of this one: the worker is marked {@link #outOfStep}, and
         * must be given up, never sent to again (it used to be, and the next call waited for a
         * reply for ever).
         */
        void send(Object msg) throws IOException {
            send(msg, null);
        }

        /** Sends {@code msg} and, unless null, {@code next} with it in one write; see {@link #send(Object)}. */
        void send(Object msg, Object next) throws IOException {
            try {
                Protocol.append(out, msg);
                if (next != null) Protocol.append(out, next);
                out.flush();
            } catch (IOException broken) {
                throw broken;  // the connection failed: the worker is given up as dead
            } catch (Throwable t) {
                outOfStep = "a message to it broke off part-way";  // a constant: nothing to allocate, even out of memory
                throw t;
            }
        }

        /**
         * Reads the next message; as {@link #send}, one that breaks off part-way marks the worker
         * {@link #outOfStep}. (A class not found is read past: the stream stays in step.)
         */
        Object receive() throws IOException, ClassNotFoundException {
            try {
                return Protocol.read(in);
            } catch (IOException | ClassNotFoundException e) {
                throw e;
            } catch (Throwable t) {
                outOfStep = "a reply from it broke off part-way";
                throw t;
            }
        }

        /** Ends the process and leaves this worker out of every later call. */
        void giveUp() {
            dead = true;
            process.destroyForcibly();
        }

        /** "worker 2 (pid 1234)". */
        String name() {
            return "worker " + id + " (pid " + process.pid() + ")";
        }

        /** How the process ended, waiting briefly for the OS to report it. */
        String exitStatus() {
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) return "its connection broke but the process is still running";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "status unknown (interrupted)";
            }
            int code = process.exitValue();
            return code > 128 ? "killed by signal " + (code - 128) + " (exit code " + code + ")" : "exited with code " + code;
        }
    }

    private WorkerCluster(int size, List<String> jvmArgs) throws IOException {
        if (size < 1) throw new IllegalArgumentException("a cluster needs at least one worker, not " + size);
        dir = Files.createTempDirectory("memshare-cluster-");  // owner-only on POSIX
        Path socket = dir.resolve("s");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        try {
            for (int i = 0; i < size; i++) {
                List<String> cmd = WorkerCommand.of(jvmArgs, socket);
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                        .redirectError(ProcessBuilder.Redirect.INHERIT);
                pb.environment().put(WorkerMain.TOKEN_ENV, token);
                workers.add(new Worker(i + 1, pb.start()));
            }
            accept(token);
        } catch (IOException | RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** Starts {@code size} worker processes. */
    public static WorkerCluster start(int size) throws IOException {
        return new WorkerCluster(size, List.of());
    }

    /** Starts {@code size} worker processes with extra JVM arguments (e.g. {@code -Xmx512m}). */
    public static WorkerCluster start(int size, List<String> jvmArgs) throws IOException {
        return new WorkerCluster(size, List.copyOf(jvmArgs));
    }

    private void accept(String token) throws IOException {
        server.configureBlocking(false);
        long deadline = System.nanoTime() + START_TIMEOUT_MS * 1_000_000L;
        int connected = 0;
        while (connected < workers.size()) {
            SocketChannel ch = server.accept();
            if (ch == null) {
                for (Worker w : workers)
                    if (!w.process.isAlive())
                        throw new IOException("memshare cluster: " + w.name() + " " + w.exitStatus() + " before connecting");
                if (System.nanoTime() > deadline) throw new IOException("memshare cluster: workers did not connect within "
                        + START_TIMEOUT_MS / 1000 + " s");
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while starting workers", e);
                }
                continue;
            }
            ch.configureBlocking(true);
            ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(Channels.newInputStream(ch), 1 << 16));
            // One filter for the life of the stream (it can be set only once), delegating to the
            // filter of the call in progress; until the worker is known, the default one.
            CurrentFilter current = new CurrentFilter();
            in.setObjectInputFilter(current);
            Worker w = null;
            try {
                Protocol.Hello hello = (Protocol.Hello) in.readObject();
                if (hello.token() == null || !MessageDigest.isEqual(hello.token().getBytes(), token.getBytes()))
                    throw new IOException("a process without the cluster's token connected");
                for (Worker c : workers) if (c.process.pid() == hello.pid()) w = c;
                if (w == null || w.in != null) throw new IOException("unexpected worker pid " + hello.pid());
            } catch (ClassNotFoundException | ClassCastException e) {
                ch.close();
                throw new IOException("bad hello from a worker", e);
            }
            w.filter = current;
            w.in = in;
            w.out = new ObjectOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16));
            w.out.flush();
            connected++;
        }
    }

    /** Number of workers started. */
    public int size() {
        return workers.size();
    }

    /** Workers still alive and connected. */
    public int liveWorkers() {
        return (int) workers.stream().filter(w -> !w.dead && w.process.isAlive()).count();
    }

    /**
     * How each worker that is no longer alive or connected ended, in worker order: e.g.
     * "worker 1 (pid 4242) killed by signal 9 (exit code 137)". Empty while all are well.
     */
    public List<String> lostWorkers() {
        List<String> lost = new ArrayList<>();
        for (Worker w : workers) if (w.dead || !w.process.isAlive()) lost.add(w.name() + " " + w.exitStatus());
        return lost;
    }

    /** Pids of the worker processes, in worker order. */
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        for (Worker w : workers) pids.add(w.process.pid());
        return pids;
    }

    /** Live workers, for a call; waits for the previous call on this cluster to finish. */
    List<Worker> acquire(List<String> resultPatterns) throws InterruptedException {
        if (closed) throw new IllegalStateException("the cluster is closed");
        busy.acquire();
        List<Worker> live = new ArrayList<>();
        ObjectInputFilter filter = Protocol.resultFilter(resultPatterns);
        for (Worker w : workers) {
            if (w.dead || !w.process.isAlive()) continue;
            w.filter.delegate = filter;
            live.add(w);
        }
        if (live.isEmpty()) {
            busy.release();
            throw new IllegalStateException("no live worker left in the cluster (all " + workers.size() + " died)");
        }
        return live;
    }

    /** Ends a call: the next may start. */
    void release() {
        busy.release();
    }

    long nextCallId() {
        return callIds.incrementAndGet();
    }

    /** Runs a worker's share of a call on a pooled thread. */
    void dispatch(Runnable task) {
        dispatchers.execute(task);
    }

    /** Asks the workers to exit, waits briefly, then kills what is left; removes the socket. */
    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            try {
                if (w.out != null && !w.dead) {
                    w.send(new Protocol.Shutdown());
                } else {
                    // Not connected (the start failed or was stopped): nobody can tell it to exit.
                    w.process.destroyForcibly();
                }
            } catch (IOException ignored) {
                // already gone
            }
        }
        // Waits even when interrupted (a start stopped by an interrupt closes the cluster with the
        // flag set): an interrupt only skips the polite wait, so that no worker outlives close().
        boolean interrupted = Thread.interrupted();
        for (Worker w : workers) {
            boolean killed = false;
            for (int wait = 0; wait < 3 && w.process.isAlive(); wait++) {  // at most 15 s
                if (interrupted && !killed) killed = w.process.destroyForcibly() != null;
                try {
                    if (w.process.waitFor(5, TimeUnit.SECONDS)) break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                if (!killed) killed = w.process.destroyForcibly() != null;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        dispatchers.shutdown();  // idle threads end; a call still in flight finishes first
        try {
            server.close();
            Files.deleteIfExists(dir.resolve("s"));
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
