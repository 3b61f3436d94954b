package org.memshare;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The other JVM of {@link InterprocessLockTest}. Talks in lines on stdout.
 *
 * <ul>
 *   <li>{@code count <ns> <lock> <threads> <each>}: prints {@code READY}, waits for {@code GO} on
 *       stdin, then each of {@code threads} threads does {@code each} times: acquire, read the
 *       lock's value, write it plus one, release (a plain read-modify-write, exact only if the lock
 *       excludes). Prints {@code DONE <holds that reported a dead owner>}.</li>
 *   <li>{@code hold <ns> <lock> <value>}: acquires, sets the value, prints {@code HELD}, and waits
 *       to be killed.</li>
 *   <li>{@code exit-open <ns> <lock>}: opens the lock, takes and releases it, prints {@code OPEN} and
 *       exits with status 0 without closing it (the shutdown hook must).</li>
 * </ul>
 * Any failure prints {@code ERROR <exception class> <message>} and exits with status 2.
 */
public final class LockChild {
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    private LockChild() {}

    public static void main(String[] args) {
        if (args[0].equals("exit-open")) {
            Namespace.of(args[1]).lock(args[2]).acquire().close();
            OUT.println("OPEN");
            System.exit(0);
        }
        try (Namespace space = Namespace.of(args[1]); InterprocessLock lock = space.lock(args[2])) {
            switch (args[0]) {
                case "count": count(lock, Integer.parseInt(args[3]), Integer.parseInt(args[4])); break;
                case "hold": hold(lock, Long.parseLong(args[3])); break;
                default: throw new IllegalArgumentException("unknown command " + args[0]);
            }
        } catch (Throwable t) {
            OUT.println("ERROR " + t.getClass().getSimpleName() + " " + t.getMessage());
            t.printStackTrace();
            System.exit(2);
        }
    }

    private static void count(InterprocessLock lock, int threads, int each) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        OUT.println("READY");
        if (!"GO".equals(in.readLine())) throw new IllegalStateException("no GO");
        java.util.concurrent.atomic.AtomicInteger deadOwners = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < each; i++) {
                        try (InterprocessLock.Held held = lock.acquire()) {
                            if (held.previousOwnerDied()) deadOwners.incrementAndGet();
                            long v = held.value();
                            held.setValue(v + 1);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            workers[t].start();
        }
        for (Thread w : workers) w.join();
        if (failure.get() != null) throw new IllegalStateException("a counting thread failed", failure.get());
        OUT.println("DONE " + deadOwners.get());
    }

    private static void hold(InterprocessLock lock, long value) throws Exception {
        InterprocessLock.Held held = lock.acquire();
        held.setValue(value);
        OUT.println("HELD");
        Thread.sleep(Long.MAX_VALUE);
    }
}
