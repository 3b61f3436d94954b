package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.DoubleBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.memshare.Matrix;
import org.memshare.StartsProcesses;

/**
 * An Error thrown part-way through a message leaves that worker's stream out of step: the worker
 * must be given up, not reused. (It used to be reused: the next call waited for a reply that never
 * came, for ever.) The bounded waits only keep a regression from hanging the build; the assertions
 * are on what happens, not on how fast.
 */
@StartsProcesses
class ApplyOutOfStepTest {
    private static final Matrix X = Matrix.of(2, 4, new double[] {0, 1, 2, 3, 4, 5, 6, 7});
    private static final double[] SUMS = {1, 5, 9, 13};  // X's column sums, by hand
    private static final Duration GENEROUS = Duration.ofSeconds(120);  // a busy 2-core machine

    /**
     * A function whose serialization throws an Error after its fields are written, once: on its
     * second serialization, which is its first send to a worker (the first is the call's digest).
     * Worker-side it reads as a class with custom data, so the worker waits for that data's end,
     * consuming whatever follows.
     */
    static final class BreaksOnItsFirstSend implements DoubleApplyFunction {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger WRITES = new AtomicInteger();
        final double[] payload = {1, 2, 3};

        @Override
        public double apply(DoubleBuffer vector, SharedVars vars) {
            return vector.get(0);
        }

        private void writeObject(ObjectOutputStream out) throws IOException {
            out.defaultWriteObject();
            if (WRITES.incrementAndGet() == 2) throw new StackOverflowError("thrown half-way through the message");
        }
    }

    @Test
    void anErrorHalfWayThroughSendingGivesTheWorkerUpAndTheNextCallIsRight() {
        BreaksOnItsFirstSend.WRITES.set(0);
        // The whole test, the cluster's close included: a dispatcher stuck in a read holds the
        // channel, so close() could not write to that worker either.
        assertTimeoutPreemptively(GENEROUS, () -> {
            try (WorkerCluster cluster = WorkerCluster.start(2)) {
                ApplyOptions o = ApplyOptions.defaults().withCluster(cluster).withChunkSize(1);
                ApplyException e = assertThrows(ApplyException.class,
                        () -> Apply.memApplyDouble(X, Margin.COLUMNS, new BreaksOnItsFirstSend(), o));
                assertTrue(e.getMessage().matches("(?s)worker [12] \\(pid \\d+\\) .*out of step.*"), e.getMessage());
                assertTrue(e.getMessage().contains("StackOverflowError"), e.getMessage());
                // Only the first send broke: the worker it went to is given up, the other serves on.
                assertEquals(1, cluster.liveWorkers(), "live workers after the failed call");
                assertEquals(1, cluster.lostWorkers().size(), cluster.lostWorkers().toString());
                assertArrayEquals(SUMS, Apply.memApplyDouble(X, Margin.COLUMNS, (v, vars) -> v.get(0) + v.get(1), o));
                assertEquals(1, cluster.liveWorkers(), "live workers after the next call");
            }
        });
    }

    /**
     * The reading side: a reply that breaks off part-way marks its worker out of step too. Here
     * the stream's filter throws half-way through a Failed reply, as an OutOfMemoryError would
     * in its allocations (a worker's results travel in bytes of their own, so a result whose
     * readObject throws fails its call with the stream in step: ApplyClusterStaysWholeTest).
     */
    @Test
    void anErrorHalfWayThroughReadingAReplyMarksTheWorkerOutOfStep() throws Exception {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(reply)) {
            Protocol.write(o, Protocol.Failed.of(1, 0, new IllegalStateException("an item failed")));
        }
        ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(reply.toByteArray()));
        in.setObjectInputFilter(info -> {
            throw new StackOverflowError("thrown half-way through the reply");
        });
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();  // any process: the worker's is not used
        try {
            WorkerCluster.Worker w = new WorkerCluster.Worker(1, process);
            w.in = in;
            assertThrows(StackOverflowError.class, w::receive);
            assertEquals("a reply from it broke off part-way", w.outOfStep);
        } finally {
            process.destroyForcibly().waitFor();
        }
    }
}
