package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.memshare.facade.Memshare;

/**
 * 8 threads race close() against reads through get() and through a raw column buffer taken
 * before the close. The JVM must never crash; reads give the data, zeros (the mapping was retired
 * mid-read) or HandleClosedException; after close every accessor throws and old buffers read the
 * data or zeros.
 */
class CloseRaceTest extends MemshareTestBase {
    private static final int THREADS = 8;
    private static final int CLOSERS = 2;
    private static final int NROW = 1024;
    private static final int NCOL = 4;

    /** One handle under test: reads through the accessor and the raw buffer, and close. */
    private interface Subject {
        double get(int i, int j);
        /** The column the raw buffer covers. */
        int column();
        /** A column buffer taken when the handle was opened. */
        DoubleBuffer raw();
        void close();
        void assertClosed();
    }

    private static double expected(int i, int j) {
        return i + (long) j * NROW + 1;                // never 0
    }

    private static double[] data() {
        double[] d = new double[NROW * NCOL];
        for (int j = 0; j < NCOL; j++) for (int i = 0; i < NROW; i++) d[i + j * NROW] = expected(i, j);
        return d;
    }

    private void race(int trials, Supplier<Subject> open) throws Exception {
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong dataReads = new AtomicLong(), zeroReads = new AtomicLong(), closedReads = new AtomicLong();
        Subject[] current = new Subject[1];
        // The last thread to arrive sets up the next trial / checks the finished one; the barrier
        // makes these writes visible to all threads.
        CyclicBarrier start = new CyclicBarrier(THREADS, () -> current[0] = open.get());
        CyclicBarrier end = new CyclicBarrier(THREADS, () -> {
            Subject s = current[0];
            try {
                s.assertClosed();
                DoubleBuffer raw = s.raw();
                for (int i = 0; i < NROW; i += 97) {
                    double x = raw.get(i);
                    if (x != 0.0 && x != expected(i, s.column())) failures.add("raw buffer after close read " + x + " at " + i);
                }
            } catch (Throwable t) {
                failures.add("after close: " + t);
            }
        });
        List<Thread> threads = new ArrayList<>();
        for (int id = 0; id < THREADS; id++) {
            final int me = id;
            Thread t = new Thread(() -> {
                try {
                    for (int trial = 0; trial < trials; trial++) {
                        start.await(60, TimeUnit.SECONDS);
                        Subject s = current[0];
                        int j = s.column();
                        DoubleBuffer raw = s.raw();
                        ThreadLocalRandom rnd = ThreadLocalRandom.current();
                        if ((trial + me) % THREADS < CLOSERS) {
                            for (int spin = rnd.nextInt(200); spin > 0; spin--) Thread.onSpinWait();
                            s.close();
                        } else {
                            boolean closed = false;
                            for (int k = 0; k < 300; k++) {
                                int i = rnd.nextInt(NROW);
                                if (!closed) {
                                    try {
                                        double x = s.get(i, j);
                                        if (x == expected(i, j)) dataReads.incrementAndGet();
                                        else if (x == 0.0) zeroReads.incrementAndGet();
                                        else failures.add("get(" + i + ", " + j + ") read " + x);
                                    } catch (HandleClosedException e) {
                                        closed = true;
                                        closedReads.incrementAndGet();
                                    }
                                }
                                double y = raw.get(i);
                                if (y != 0.0 && y != expected(i, j)) failures.add("raw.get(" + i + ") read " + y);
                            }
                        }
                        end.await(60, TimeUnit.SECONDS);
                    }
                } catch (Throwable e) {
                    failures.add("thread " + me + ": " + e);
                    start.reset();
                    end.reset();
                }
            }, "close-race-" + id);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join(TimeUnit.MINUTES.toMillis(10));
        for (Thread t : threads) assertTrue(!t.isAlive(), t.getName() + " finished");
        System.out.printf("CloseRaceTest: %d trials; reads: %d data, %d zeros, %d HandleClosedException%n", trials,
                dataReads.get(), zeroReads.get(), closedReads.get());
        assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.peek());
        assertTrue(dataReads.get() > 0, "some reads happened before the close");
    }

    @Test
    void viewsClosedWhileBeingRead() throws Exception {
        Namespace space = Namespace.of(ns);
        hold(space.register("m", Matrix.of(NROW, NCOL, data())));
        race(10_000, () -> {
            MatrixView v = space.matrix("m");
            return new Subject() {
                final int j = ThreadLocalRandom.current().nextInt(NCOL);
                final DoubleBuffer raw = v.column(j);

                public double get(int i, int jj) { return v.get(i, jj); }
                public int column() { return j; }
                public DoubleBuffer raw() { return raw; }
                public void close() { v.close(); }
                public void assertClosed() {
                    assertTrue(v.isClosed());
                    assertThrows(HandleClosedException.class, () -> v.get(0));
                    assertThrows(HandleClosedException.class, () -> v.get(0, 0));
                    assertThrows(HandleClosedException.class, () -> v.column(0));
                    assertThrows(HandleClosedException.class, () -> v.columnBytes(0));
                    assertThrows(HandleClosedException.class, () -> v.copyTo(new double[NROW * NCOL]));
                    assertThrows(HandleClosedException.class, () -> v.row(0));
                }
            };
        });
        assertEquals(List.of(), Memshare.viewList());
    }

    @Test
    void pagesReleasedWhileBeingRead() throws Exception {
        Namespace space = Namespace.of(ns);
        double[] d = data();
        int[] counter = new int[1];
        race(1_000, () -> {
            ArrayPage p = hold(space.allocateMatrix("p" + (counter[0]++), ElementType.FLOAT64, NROW, NCOL));
            p.copyFrom(0, d, 0, d.length);
            p.publish();
            return new Subject() {
                final int j = ThreadLocalRandom.current().nextInt(NCOL);
                final DoubleBuffer raw = p.column(j).asReadOnlyBuffer();

                public double get(int i, int jj) { return p.get(i, jj); }
                public int column() { return j; }
                public DoubleBuffer raw() { return raw; }
                public void close() { p.close(); }
                public void assertClosed() {
                    assertTrue(p.isClosed());
                    assertThrows(HandleClosedException.class, () -> p.get(0));
                    assertThrows(HandleClosedException.class, () -> p.column(0));
                }
            };
        });
        assertEquals(List.of(), Memshare.pageList());
        assertEquals(List.of(), Fixtures.shmEntries(ns));
    }
}
