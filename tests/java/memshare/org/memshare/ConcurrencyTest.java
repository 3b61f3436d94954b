package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.memshare.facade.Memshare;

/** Many threads registering and viewing at once: one winner per name, consistent reference counts. */
class ConcurrencyTest extends MemshareTestBase {
    private static final int THREADS = 8;

    private static void runAll(Queue<Throwable> failures, Runnable... tasks) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (Runnable r : tasks) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    r.run();
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        go.countDown();
        for (Thread t : threads) t.join(120_000);
    }

    @Test
    void oneWinnerWhenThreadsRegisterTheSameName() throws Exception {
        Namespace space = Namespace.of(ns);
        for (int round = 0; round < 20; round++) {
            String var = "v" + round;
            AtomicInteger won = new AtomicInteger(), lost = new AtomicInteger();
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            Queue<Page> winners = new ConcurrentLinkedQueue<>();
            Runnable[] tasks = new Runnable[THREADS];
            for (int t = 0; t < THREADS; t++) {
                final double value = t;
                tasks[t] = () -> {
                    try {
                        winners.add(space.register(var, new double[] {value}));
                        won.incrementAndGet();
                    } catch (AlreadyRegisteredException e) {
                        lost.incrementAndGet();
                    }
                };
            }
            runAll(failures, tasks);
            assertTrue(failures.isEmpty(), failures.toString());
            assertEquals(1, won.get());
            assertEquals(THREADS - 1, lost.get());
            hold(winners.peek());
            try (VectorView v = space.vector(var)) {
                assertEquals(1, v.length());
            }
        }
    }

    @Test
    void threadsOpeningAndClosingViewsOfOneVariableKeepCountsRight() throws Exception {
        double[] data = Fixtures.seq(1000);
        Memshare.registerVariables(ns, java.util.Map.of("v", data));
        Namespace space = Namespace.of(ns);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Runnable[] tasks = new Runnable[THREADS];
        for (int t = 0; t < THREADS; t++) {
            tasks[t] = () -> {
                for (int k = 0; k < 300; k++) {
                    try (VectorView v = space.vector("v")) {
                        if (v.get(k) != k + 1) throw new AssertionError("read " + v.get(k) + " at " + k);
                        if (v.column(0).get(999) != 1000) throw new AssertionError("column read");
                    }
                }
            };
        }
        runAll(failures, tasks);
        assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.peek());
        assertEquals(List.of(), Memshare.viewList());
    }

    @Test
    @SuppressWarnings("try")
    void threadsRegisteringDistinctNames() throws Exception {
        Namespace space = Namespace.of(ns);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Runnable[] tasks = new Runnable[THREADS];
        for (int t = 0; t < THREADS; t++) {
            final int me = t;
            tasks[t] = () -> {
                for (int k = 0; k < 50; k++) {
                    String var = "t" + me + "_" + k;
                    try (Page p = space.register(var, new long[] {me, k}); VectorView v = space.vector(var)) {
                        if (v.getLong(0) != me || v.getLong(1) != k) throw new AssertionError(var + " read back wrong");
                    }
                }
            };
        }
        runAll(failures, tasks);
        assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.peek());
        assertEquals(List.of(), Memshare.pageList());
        assertEquals(List.of(), Fixtures.shmEntries(ns));
    }
}
