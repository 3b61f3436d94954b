package org.memshare.apply;

/**
 * Receives progress of a {@code memApply}/{@code memLapply} call. Called from worker threads, one
 * call at a time, with {@code done} increasing; the last call has {@code done == total}.
 */
@FunctionalInterface
public interface ProgressListener {
    /**
     * @param done  items finished so far
     * @param total items in the call
     */
    void progress(long done, long total);
}
