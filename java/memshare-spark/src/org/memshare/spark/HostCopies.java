package org.memshare.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.memshare.AlreadyRegisteredException;
import org.memshare.ArrayPage;
import org.memshare.ElementType;
import org.memshare.MatrixView;
import org.memshare.Namespace;
import org.memshare.SegmentInfo;
import org.memshare.Segments;
import org.memshare.VariableNotFoundException;

/**
 * This JVM's host copies: the views it attached (one per matrix, cached) and the pages it
 * registered (the host's copy, when this JVM won the exclusive create). The protocol of
 * {@link #view}, run by every task that needs a matrix:
 * <ol>
 *   <li>attach a view; published copies are found here (and cached);</li>
 *   <li>else create the page (metadata first, in the filling state, naming this process as its
 *       owner), fill it, publish it, attach;</li>
 *   <li>if the create loses (another process holds the name): if its owner is dead (a task or
 *       executor killed mid-fill) sweep the namespace and start over, else wait and start over,
 *       until the publish timeout, then fail naming the process waited for.</li>
 * </ol>
 */
final class HostCopies {
    private HostCopies() {}

    private record Copy(MatrixView view, ArrayPage page) {}

    private static final Map<String, Copy> COPIES = new ConcurrentHashMap<>();
    private static final Map<String, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    static MatrixView view(HostMatrix m) {
        Copy c = COPIES.get(m.namespace());
        if (c != null && !c.view().isClosed()) return c.view();
        // One registration per matrix and JVM at a time; the other tasks of this executor wait for it, boundedly too.
        ReentrantLock lock = LOCKS.computeIfAbsent(m.namespace(), k -> new ReentrantLock());
        try {
            if (!lock.tryLock(m.publishTimeoutMillis(), TimeUnit.MILLISECONDS))
                throw new HostMatrixException("HostMatrix " + m.describe() + ": waited " + m.publishTimeoutMillis() + " ms for another "
                        + "task of this executor to fill it; raise " + HostMatrix.PUBLISH_TIMEOUT_KEY + " if filling takes longer", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostMatrixException("interrupted while waiting for a host copy", e);
        }
        try {
            c = COPIES.get(m.namespace());
            if (c != null && !c.view().isClosed()) return c.view();
            c = attachOrRegister(m);
            COPIES.put(m.namespace(), c);
            return c.view();
        } finally {
            lock.unlock();
        }
    }

    private static Copy attachOrRegister(HostMatrix m) {
        Namespace ns = Namespace.of(m.namespace());
        long deadline = System.nanoTime() + m.publishTimeoutMillis() * 1_000_000L;
        long pause = 5;
        while (true) {
            try {
                return new Copy(checked(m, ns.matrix(HostMatrix.VARIABLE)), null);
            } catch (VariableNotFoundException absentOrFilling) {
                // fall through: register it, or wait for whoever is
            }
            ArrayPage page;
            try {
                page = ns.allocateMatrix(HostMatrix.VARIABLE, ElementType.FLOAT64, m.nrow(), m.ncol());
            } catch (AlreadyRegisteredException taken) {
                SegmentInfo holder = Segments.inspect(m.namespace(), HostMatrix.VARIABLE);
                boolean dead = holder.ownerState() == SegmentInfo.OwnerState.DEAD;
                if (dead) Segments.sweep(m.namespace(), false);  // the filler died: its orphan goes, we start over
                if (System.nanoTime() > deadline)  // also when a dead filler's orphan would not go (the sweep says why)
                    throw new HostMatrixException(String.format(Locale.ROOT, "HostMatrix %s: waited %d ms for %s on this host to "
                            + "publish it (%s); raise %s if filling takes longer", m.describe(), m.publishTimeoutMillis(),
                            holder.ownerPid() != 0 ? "process " + holder.ownerPid() : "its owner",
                            dead ? "dead, its orphan not removable: see memshare sweep --dry-run " + m.namespace()
                                    : holder.publishState() == null ? "state unknown" : holder.publishState().name().toLowerCase(Locale.ROOT),
                            HostMatrix.PUBLISH_TIMEOUT_KEY), taken);
                // Also after sweeping a dead filler's orphan: a sweep that keeps it (it says why)
                // would otherwise make this loop scan /proc without a pause until the deadline.
                sleep(pause);
                pause = Math.min(200, pause * 2);
                continue;
            }
            return new Copy(fill(m, ns, page), page);
        }
    }

    /** Fills and publishes our page, then attaches; on any failure the page goes, so others do not wait for it. */
    private static MatrixView fill(HostMatrix m, Namespace ns, ArrayPage page) {
        try {
            m.source().fill(page, m.nrow(), m.ncol());
            page.publish();
            m.source().published();
            return checked(m, ns.matrix(HostMatrix.VARIABLE));
        } catch (Exception | Error e) {
            page.close();
            throw new HostMatrixException("HostMatrix " + m.describe() + ": filling this host's copy failed: " + e, e);
        }
    }

    /** The copy found must have the shape the driver named (the namespace is the application's, the name ours). */
    private static MatrixView checked(HostMatrix m, MatrixView v) {
        if (v.nrow() == m.nrow() && v.ncol() == m.ncol() && v.elementType() == ElementType.FLOAT64) return v;
        String found = v.nrow() + " x " + v.ncol() + " " + v.elementType();
        v.close();
        throw new HostMatrixException("HostMatrix " + m.describe() + ": the host's copy is " + found + ", not what the driver named", null);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostMatrixException("interrupted while waiting for a host copy", e);
        }
    }

    /** Closes every cached view and releases every page of this JVM (the executor stops). Never throws. */
    static List<Throwable> releaseAll() {
        List<Throwable> failures = new ArrayList<>();
        for (String key : List.copyOf(COPIES.keySet())) {
            Copy c = COPIES.remove(key);
            if (c == null) continue;
            try {
                c.view().close();
            } catch (Throwable t) {
                failures.add(t);
            }
            try {
                if (c.page() != null) c.page().close();
            } catch (Throwable t) {
                failures.add(t);
            }
        }
        return failures;
    }

    /** The namespaces this JVM holds a view of, sorted (tests, diagnostics). */
    static List<String> cached() {
        List<String> out = new ArrayList<>(COPIES.keySet());
        out.sort(null);
        return out;
    }

    /** Whether this JVM registered (owns) the host copy of {@code namespace}. */
    static boolean owns(String namespace) {
        Copy c = COPIES.get(namespace);
        return c != null && c.page() != null && !c.page().isClosed();
    }
}
