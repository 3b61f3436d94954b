package org.memshare.spark;

import org.memshare.ElementType;
import org.memshare.Namespace;

/**
 * A process that starts filling a host copy and never publishes it: allocates {@code <ns>.x} at
 * the given shape, prints {@code FILLING <pid>}, then sleeps until killed (the tests kill it with
 * SIGKILL, as a task killed mid-fill).
 */
public final class FillerChild {
    private FillerChild() {}

    public static void main(String[] args) throws InterruptedException {
        Namespace ns = Namespace.of(args[0]);
        var page = ns.allocateMatrix(HostMatrix.VARIABLE, ElementType.FLOAT64, Long.parseLong(args[1]), Long.parseLong(args[2]));
        System.out.println("FILLING " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
        page.close();
    }
}
