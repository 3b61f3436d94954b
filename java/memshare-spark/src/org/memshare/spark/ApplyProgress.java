package org.memshare.spark;

import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.memshare.apply.ProgressListener;

/**
 * Progress of one {@link SparkApply} call, from Spark's listener bus to a {@link ProgressListener}:
 * the call's jobs are recognized by a local property the driver sets around its job, and each
 * partition counts once, when its first successful task ends (retries and speculative copies
 * count nothing more). Events arrive asynchronously; {@link #finish} reports the total after
 * the job has returned, whatever the bus has delivered by then.
 */
final class ApplyProgress extends SparkListener {
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
    public void onJobStart(SparkListenerJobStart job) {
        if (job.properties() != null && callId.equals(job.properties().getProperty(CALL_PROPERTY)))
            for (Object id : scala.jdk.javaapi.CollectionConverters.asJava(job.stageIds())) stages.add((Integer) id);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd task) {
        if (!stages.contains(task.stageId()) || task.taskInfo() == null || !task.taskInfo().successful()) return;
        int partition = task.taskInfo().index();
        synchronized (this) {
            if (stopped || partition < 0 || partition >= blockSizes.length || finished.get(partition)) return;
            finished.set(partition);
            done += blockSizes[partition];
            if (done < total) listener.progress(done, total);  // the last call comes from finish(), once
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
