package org.memshare.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.DoubleBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.memshare.ArrayView;
import org.memshare.ListView;
import org.memshare.Matrix;
import org.memshare.MemshareException;
import org.memshare.Namespace;
import org.memshare.Page;
import org.memshare.VectorView;
import org.memshare.View;

/**
 * Soak test ({@code scripts/bench soak}, and a 5,000-cycle run in the JUnit suite): many
 * register / view / release cycles in several threads of several processes at once, checking every
 * value read, then checking that the counts of /dev/shm entries, open file descriptors and
 * mappings are back to where they started.
 *
 * <p>A cycle registers a variable (vectors and matrices of each element type, lists), opens two
 * views of it (sharing one mapping), reads it through accessors and, every 8th cycle, a zero-copy
 * column buffer, and every 16th views the other process's long-lived "anchor" variable; then
 * closes everything. Prints {@code SOAK ...} lines; exits 1 on any error or leak.
 *
 * <p>Usage: {@code Soak [--cycles N] [--threads T] [--processes P]}: N cycles in all, spread over
 * P processes of T threads each (defaults 100000, 4, 2).
 */
public final class Soak {
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    private Soak() {}

    /** Leak counters of one process (and the host's /dev/shm). */
    public record Counts(int shmEntries, int fds, int mappings, int shmMappings) {
        static Counts now() {
            int maps = 0, shmMaps = 0;
            try {
                for (String line : Files.readAllLines(Paths.get("/proc/self/maps"))) {
                    maps++;
                    if (line.contains("/dev/shm/")) shmMaps++;
                }
            } catch (IOException e) {
                maps = -1;
            }
            return new Counts(count(Paths.get("/dev/shm")), count(Paths.get("/proc/self/fd")), maps, shmMaps);
        }

        private static int count(Path dir) {
            try (Stream<Path> s = Files.list(dir)) {
                return (int) s.count();
            } catch (IOException e) {
                return -1;
            }
        }

        @Override
        public String toString() {
            return "shm=" + shmEntries + " fds=" + fds + " maps=" + mappings + " shm-maps=" + shmMappings;
        }
    }

    /**
     * What one process did.
     *
     * @param cycles  cycles completed
     * @param seconds wall time of the cycles
     * @param errors  failed checks or exceptions
     * @param before  counts before the cycles
     * @param after   counts after them (and after the GC freed what buffers held)
     * @param firstError the first failure, or null
     */
    public record Result(long cycles, double seconds, long errors, Counts before, Counts after, String firstError) {
        /**
         * No error, no more descriptors than before (a leak grows them; the JVM may close one of its
         * own meanwhile: 35 -> 34 was seen in a clean-clone run), /dev/shm mappings back exactly,
         * total mappings within noise.
         */
        public boolean clean(long tolerance) {
            return errors == 0 && after.fds() <= before.fds() && after.shmMappings() == before.shmMappings()
                    && after.mappings() - before.mappings() <= tolerance;
        }
    }

    /** Entry point; see the class comment. */
    public static void main(String[] args) throws Exception {
        long cycles = 100_000;
        int threads = 4, processes = 2;
        boolean child = false;
        String ns = null, peer = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cycles": cycles = Long.parseLong(args[++i]); break;
                case "--threads": threads = Integer.parseInt(args[++i]); break;
                case "--processes": processes = Integer.parseInt(args[++i]); break;
                case "--child": child = true; ns = args[++i]; peer = args[++i]; break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (child) {
            System.exit(runChild(ns, peer, cycles, threads) ? 0 : 1);
        }
        System.exit(run(cycles, threads, processes, OUT) ? 0 : 1);
    }

    /**
     * Runs the soak: this process and {@code processes - 1} child JVMs, {@code threads} threads
     * each, {@code cycles} cycles in all. Prints SOAK lines to {@code out}; true if clean.
     */
    public static boolean run(long cycles, int threads, int processes, PrintStream out) throws Exception {
        String base = "soak" + ProcessHandle.current().pid();
        long perProcess = cycles / processes;
        Counts hostBefore = Counts.now();
        List<Process> kids = new ArrayList<>();
        List<BufferedReader> kidOut = new ArrayList<>();
        List<PrintWriter> kidIn = new ArrayList<>();
        Result mine;
        List<String> kidLines = new ArrayList<>();
        boolean ok = true;
        try (Namespace space = Namespace.of(base + "_0")) {
            space.register("anchor", anchorData(0));
            for (int k = 1; k < processes; k++) {
                List<String> cmd = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-cp",
                        System.getProperty("java.class.path"), Soak.class.getName(), "--cycles", Long.toString(perProcess),
                        "--threads", Integer.toString(threads), "--child", base + "_" + k, base + "_0");
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                kids.add(p);
                kidOut.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
                kidIn.add(new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8));
            }
            for (BufferedReader r : kidOut) expect(r, "READY");
            for (PrintWriter w : kidIn) w.println("GO");
            // This process views the first child's anchor (if any), the children view this one's.
            String peer = processes > 1 ? base + "_1" : base + "_0";
            mine = cycles(space, peer, perProcess, threads);
            for (BufferedReader r : kidOut) kidLines.add(expect(r, "RESULT"));
            for (PrintWriter w : kidIn) w.println("EXIT");
            for (Process p : kids) {
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    ok = false;
                } else if (p.exitValue() != 0) {
                    ok = false;
                }
            }
        } finally {
            for (Process p : kids) p.destroyForcibly();
        }
        Counts hostAfter = Counts.now();
        long tolerance = Math.max(200, perProcess / 20);
        out.println(line("process 0", mine));
        ok &= mine.clean(tolerance);
        long total = mine.cycles(), errors = mine.errors();
        double slowest = mine.seconds();
        for (String l : kidLines) {
            out.println(l.replaceFirst("^RESULT", "SOAK-PROCESS"));
            String[] f = l.split(" ");
            total += Long.parseLong(value(f, "cycles"));
            errors += Long.parseLong(value(f, "errors"));
            slowest = Math.max(slowest, Double.parseDouble(value(f, "seconds")));
            ok &= Boolean.parseBoolean(value(f, "clean"));
        }
        // Our own names must all be gone; the host-wide count is reported beside (other programs
        // may create or remove entries meanwhile on a shared machine).
        List<String> ours = entriesStartingWith(base);
        boolean shmBack = ours.isEmpty();
        ok &= shmBack && errors == 0;
        out.printf(Locale.ROOT, "SOAK %d cycles (%d processes x %d threads) in %.1f s: %.0f cycles/s, %d errors%n", total, processes,
                threads, slowest, total / slowest, errors);
        out.printf(Locale.ROOT, "SOAK /dev/shm entries %d -> %d (%d of the soak's left); process 0: fds %d -> %d, mappings %d -> %d "
                        + "(of /dev/shm %d -> %d): %s%n",
                hostBefore.shmEntries(), hostAfter.shmEntries(), ours.size(), mine.before().fds(), mine.after().fds(),
                mine.before().mappings(), mine.after().mappings(), mine.before().shmMappings(), mine.after().shmMappings(),
                ok ? "no leak" : "LEAK OR ERROR");
        if (!ours.isEmpty()) out.println("SOAK left in /dev/shm: " + ours);
        if (mine.firstError() != null) out.println("SOAK first error: " + mine.firstError());
        return ok;
    }

    private static boolean runChild(String ns, String peer, long cycles, int threads) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Result r;
        try (Namespace space = Namespace.of(ns)) {
            space.register("anchor", anchorData(1));
            OUT.println("READY");
            if (!"GO".equals(in.readLine())) return false;
            r = cycles(space, peer, cycles, threads);
            long tolerance = Math.max(200, cycles / 20);
            OUT.println(line("process " + ProcessHandle.current().pid(), r).replaceFirst("^SOAK-PROCESS", "RESULT") + " clean="
                    + r.clean(tolerance));
            if (r.firstError() != null) System.err.println("soak child: first error: " + r.firstError());
            // Keep the anchor until every process is done viewing it.
            for (String l; (l = in.readLine()) != null; )
                if (l.equals("EXIT")) break;
        }
        return r.clean(Math.max(200, cycles / 20));
    }

    private static List<String> entriesStartingWith(String prefix) {
        try (Stream<Path> s = Files.list(Paths.get("/dev/shm"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().collect(java.util.stream.Collectors.toList());
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String expect(BufferedReader r, String prefix) throws IOException {
        String l = r.readLine();
        if (l == null || !l.startsWith(prefix)) throw new IOException("soak child said " + l + ", expected " + prefix);
        return l;
    }

    private static String value(String[] fields, String key) {
        for (String f : fields)
            if (f.startsWith(key + "=")) return f.substring(key.length() + 1);
        return "0";
    }

    private static String line(String who, Result r) {
        return String.format(Locale.ROOT, "SOAK-PROCESS %s cycles=%d seconds=%.2f errors=%d fds=%d->%d maps=%d->%d shm-maps=%d->%d",
                who.replace(' ', '_'), r.cycles(), r.seconds(), r.errors(), r.before().fds(), r.after().fds(), r.before().mappings(),
                r.after().mappings(), r.before().shmMappings(), r.after().shmMappings());
    }

    private static double[] anchorData(int who) {
        double[] d = new double[4096];
        for (int i = 0; i < d.length; i++) d[i] = who * 1e6 + i;
        return d;
    }

    /** Runs {@code cycles} cycles over {@code threads} threads in namespace {@code space}. */
    static Result cycles(Namespace space, String peerNs, long cycles, int threads) throws InterruptedException {
        // Warm up (class loading, JIT, the library's first-use state) before counting.
        runCycles(space, peerNs, 0, Math.min(200, cycles), 1, new AtomicLong(), new ConcurrentLinkedQueue<>());
        settle();
        Counts before = Counts.now();
        AtomicLong errors = new AtomicLong();
        ConcurrentLinkedQueue<String> first = new ConcurrentLinkedQueue<>();
        long t0 = System.nanoTime();
        runCycles(space, peerNs, 1, cycles, threads, errors, first);
        double seconds = (System.nanoTime() - t0) / 1e9;
        settle();
        Counts after = Counts.now();
        return new Result(cycles, seconds, errors.get(), before, after, first.peek());
    }

    /** Lets the Cleaner unmap what dropped column buffers held. */
    private static void settle() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
        }
    }

    private static void runCycles(Namespace space, String peerNs, int round, long cycles, int threads, AtomicLong errors,
                                  ConcurrentLinkedQueue<String> first) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(threads);
        Namespace peer = Namespace.of(peerNs);
        for (int t = 0; t < threads; t++) {
            final int me = t;
            final long mine = cycles / threads + (t < cycles % threads ? 1 : 0);
            Thread th = new Thread(() -> {
                try {
                    for (long i = 0; i < mine; i++) {
                        try {
                            cycle(space, peer, "r" + round + "t" + me + "_" + (i % 3), (int) (i % 1_000_003) + me);
                        } catch (RuntimeException | AssertionError e) {
                            errors.incrementAndGet();
                            if (first.isEmpty()) first.add(e.toString());
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "soak-" + t);
            th.start();
        }
        done.await();
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }

    @SuppressWarnings("try")
    private static void cycle(Namespace space, Namespace peer, String var, int i) {
        int n = 16 + i % 500;
        Object data;
        switch (i % 5) {
            case 0: {
                double[] d = new double[n];
                for (int k = 0; k < n; k++) d[k] = i + k;
                data = d;
                break;
            }
            case 1: {
                long[] d = new long[n];
                for (int k = 0; k < n; k++) d[k] = (long) i * 31 + k;
                data = d;
                break;
            }
            case 2: {
                double[] d = new double[4 * n];
                for (int k = 0; k < d.length; k++) d[k] = i + k;
                data = Matrix.of(4, n, d);
                break;
            }
            case 3: {
                int[] d = new int[n];
                for (int k = 0; k < n; k++) d[k] = i + k;
                data = d;
                break;
            }
            default: {
                double[] a = new double[n], b = new double[3];
                for (int k = 0; k < n; k++) a[k] = i + k;
                for (int k = 0; k < 3; k++) b[k] = i + k;
                data = List.of(a, b);
            }
        }
        try (Page page = space.registerAll(Map.of(var, data)).get(0); View v1 = space.view(var); View v2 = space.view(var)) {
            if (v1 instanceof ListView) {
                ArrayView e0 = ((ListView) v1).get(0), e1 = ((ListView) v2).get(1);
                check(e0.get(n - 1) == i + n - 1 && e1.get(2) == i + 2, var + " list read back wrong");
            } else {
                ArrayView a = (ArrayView) v1, b = (ArrayView) v2;
                long len = a.length();
                double expectLast = i % 5 == 1 ? (long) i * 31 + len - 1 : i + len - 1;
                check(a.get(len - 1) == expectLast && b.get(0) == (i % 5 == 1 ? (long) i * 31 : i),
                        var + " read back wrong");
                if (i % 8 == 0 && i % 5 != 1 && i % 5 != 3) {
                    DoubleBuffer col = a.column(0);
                    check(col.get(0) == i, var + " column read back wrong");
                }
            }
            check(page.info().name().equals(var), "page info");
        }
        if (i % 16 == 0) {
            try (VectorView anchor = peer.vector("anchor")) {
                double first = anchor.get(0);
                check(anchor.get(4095) == first + 4095, "peer anchor read back wrong");
            } catch (MemshareException e) {
                throw new AssertionError("peer anchor: " + e.getMessage(), e);
            }
        }
    }
}
