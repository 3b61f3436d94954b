package org.memshare.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.memshare.ArrayPage;
import org.memshare.ElementType;
import org.memshare.Namespace;
import org.memshare.Page;
import org.memshare.View;

/**
 * Core numbers, measured side by side in one run: registering N bytes against a plain
 * {@code System.arraycopy} of the same bytes, and the median time to attach a view of a 1 KiB
 * and of a large variable. Prints {@code BENCH <name> <value> <unit>} lines.
 * Usage: {@code CoreBench [sizeMiB=1024] [repeats=5] [attaches=2000]}.
 */
public final class CoreBench {
    private CoreBench() {}

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int attaches = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        int n = Math.toIntExact(mib * (1 << 20) / 8);
        String label = mib >= 1024 && mib % 1024 == 0 ? (mib / 1024) + "GiB" : mib + "MiB";

        double[] src = new double[n];
        for (int i = 0; i < n; i++) src[i] = i * 0.5;
        double[] dst = new double[n];
        long[] copyNs = new long[repeats], freshNs = new long[repeats], registerNs = new long[repeats];
        long[] allocateNs = new long[repeats];
        try (Namespace ns = Namespace.of("bench" + ProcessHandle.current().pid())) {
            // Interleave the contenders so that machine noise hits both alike; one warm-up round first.
            for (int r = -1; r < repeats; r++) {
                long t0 = System.nanoTime();
                System.arraycopy(src, 0, dst, 0, n);
                long t1 = System.nanoTime();
                Page p = ns.register("reg", src);
                long t2 = System.nanoTime();
                p.close();
                long t3 = System.nanoTime();
                ArrayPage a = ns.allocateVector("alloc", ElementType.FLOAT64, n);
                long t4 = System.nanoTime();
                a.close();
                // The same copy into memory the process has never touched, which registration
                // cannot avoid: the OS must find and zero every page first.
                long t5 = System.nanoTime();
                ByteBuffer fresh = ByteBuffer.allocateDirect(n * 8).order(ByteOrder.nativeOrder());
                fresh.asDoubleBuffer().put(src);
                long t6 = System.nanoTime();
                fresh = null;
                if (r >= 0) {
                    copyNs[r] = t1 - t0;
                    registerNs[r] = t2 - t1;
                    allocateNs[r] = t4 - t3;
                    freshNs[r] = t6 - t5;
                }
            }
            if (dst[n - 1] != src[n - 1]) throw new AssertionError("copy check");
            double copy = median(copyNs) / 1e6, reg = median(registerNs) / 1e6, alloc = median(allocateNs) / 1e6;
            double fr = median(freshNs) / 1e6;
            System.out.printf("BENCH arraycopy_%s_median %.1f ms%n", label, copy);
            System.out.printf("BENCH copy_into_fresh_memory_%s_median %.1f ms%n", label, fr);
            System.out.printf("BENCH register_%s_median %.1f ms%n", label, reg);
            System.out.printf("BENCH register_over_arraycopy_%s %.2f ratio%n", label, reg / copy);
            System.out.printf("BENCH register_over_fresh_copy_%s %.2f ratio%n", label, reg / fr);
            System.out.printf("BENCH allocate_zeroed_%s_median %.1f ms%n", label, alloc);
            System.out.println("# raw ms: arraycopy " + raw(copyNs) + " | fresh copy " + raw(freshNs) + " | register "
                    + raw(registerNs) + " | allocate " + raw(allocateNs));

            ns.register("small", new double[128]).info();  // 1 KiB
            ns.register("large", src);
            long[] small = new long[attaches], large = new long[attaches];
            for (int i = 0; i < attaches; i++) {  // alternate sizes, fresh mapping each time
                small[i] = attach(ns, "small");
                large[i] = attach(ns, "large");
            }
            double s = median(small) / 1e3, l = median(large) / 1e3;
            System.out.printf("BENCH view_attach_1KiB_median %.1f us%n", s);
            System.out.printf("BENCH view_attach_%s_median %.1f us%n", label, l);
            System.out.printf("BENCH view_attach_large_over_small %.2f ratio%n", l / s);
            System.out.printf("# attach p10/p90 us: 1KiB %.1f/%.1f, %s %.1f/%.1f (%d attaches each)%n",
                    pct(small, 10) / 1e3, pct(small, 90) / 1e3, label, pct(large, 10) / 1e3, pct(large, 90) / 1e3, attaches);
        }
    }

    private static long attach(Namespace ns, String var) {
        long t0 = System.nanoTime();
        View v = ns.view(var);
        long t = System.nanoTime() - t0;
        v.close();
        return t;
    }

    private static double median(long[] xs) {
        return pct(xs, 50);
    }

    private static double pct(long[] xs, int p) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.round((s.length - 1) * p / 100.0))];
    }

    private static String raw(long[] xs) {
        StringBuilder b = new StringBuilder();
        for (long x : xs) b.append(String.format("%.1f ", x / 1e6));
        return b.toString().trim();
    }
}
