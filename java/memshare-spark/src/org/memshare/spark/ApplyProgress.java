package org.memshare.spark;

import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.memshare.apply.ProgressListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of one {@link SparkApply} call, from Spark's listener bus to a {@link ProgressListener}:
 * the call's jobs are recognized by a local property the driver sets around its job, and each
 * partition counts once, when its first successful task ends (retries and speculative copies
 * count nothing more). Events arrive asynchronously; {@link #finish} reports the total after
 * the job has returned, whatever the bus has delivered by then.
 *
 * <p>One JAR serves Spark 3.5 (Scala 2.12) and 4.x (Scala 2.13): the listener touches no Scala
 * type. A job's stages come from {@code onStageSubmitted} (an int id and the job's properties),
 * not from {@code SparkListenerJobStart.stageIds()}, whose return type is {@code scala.collection.Seq}
 * in 2.12 and {@code scala.collection.immutable.Seq} in 2.13. No event handler throws: an exception
 * in Spark's listener thread stops the SparkContext; a failure is logged and the call's progress
 * stops.
 */
final class ApplyProgress extends SparkListener {
    private static final Logger LOG = LoggerFactory.getLogger(ApplyProgress.class);

    /** The local property naming the call a job belongs to. */
    static final String CALL_PROPERTY = "memshare.apply.call";

    private final String callId = UUID.randomUUID().toString();
    private final JavaSparkContext sc;
    private final long[] blockSizes;
    private final long total;
    private final ProgressListener listener;
    private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
    private final BitSet finished = new BitSet();
    private long done;
    private boolean stopped;

    private ApplyProgress(JavaSparkContext sc, List<long[]> blocks, long total, ProgressListener listener) {
        this.sc = sc;
        this.blockSizes = blocks.stream().mapToLong(b -> b[1] - b[0]).toArray();
        this.total = total;
        this.listener = listener;
    }

    static ApplyProgress start(JavaSparkContext sc, List<long[]> blocks, long total, ProgressListener listener) {
        ApplyProgress p = new ApplyProgress(sc, blocks, total, listener);
        sc.sc().addSparkListener(p);
        return p;
    }

    String callId() {
        return callId;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted stage) {
        try {
            if (stage.properties() != null && callId.equals(stage.properties().getProperty(CALL_PROPERTY)))
                stages.add(stage.stageInfo().stageId());
        } catch (Throwable t) {
            failed("a stage's submission", t);
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd task) {
        try {
            taskEnded(task);
        } catch (Throwable t) {
            failed("a task's end", t);
        }
    }

    private void taskEnded(SparkListenerTaskEnd task) {
        if (!stages.contains(task.stageId()) || task.taskInfo() == null || !task.taskInfo().successful()) return;
        int partition = task.taskInfo().index();
        synchronized (this) {
            if (stopped || partition < 0 || partition >= blockSizes.length || finished.get(partition)) return;
            finished.set(partition);
            done += blockSizes[partition];
            if (done < total) listener.progress(done, total);  // the last call comes from finish(), once
        }
    }

    /** Logs a handler's failure and ignores the call's later events; never throws. */
    private void failed(String event, Throwable t) {
        synchronized (this) {
            stopped = true;
        }
        try {
            LOG.warn("memshare apply progress: handling {} failed, no more progress for this call: {}", event, t.toString());
        } catch (Throwable ignored) {
            // logging itself failed: nothing more to do without throwing into Spark's listener thread
        }
    }

    /** Stops listening (the job returned or failed); later events are ignored. */
    void stop() {
        synchronized (this) {
            stopped = true;
        }
        sc.sc().removeSparkListener(this);
    }

    /** The call succeeded: the final (total, total). */
    void finish() {
        listener.progress(total, total);
    }
}
