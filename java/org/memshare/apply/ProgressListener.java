package org.memshare.apply;

/** Receives progress of a {@code memApply}/{@code memLapply} call; called from worker threads. */
@FunctionalInterface
public interface ProgressListener {
    /**
     * @param done  items finished so far
     * @param total items in the call
     */
    void progress(long done, long total);
}
