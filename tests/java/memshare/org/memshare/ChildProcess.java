package org.memshare;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.DoubleBuffer;
import java.nio.charset.StandardCharsets;
import org.memshare.facade.Memshare;

/**
 * The second JVM of the multi-process tests (started by {@link Fixtures#startChild}). It talks
 * in lines on stdout and, for the interactive commands, takes lines on stdin.
 *
 * <ul>
 *   <li>{@code dump <ns> <var>...}: views each variable and prints what it reads, then releases.
 *       {@code VAR <var> <kind> <type> <ownerPid> <nrow> <ncol> <checksum of get(i)> <checksum of column buffers>},
 *       {@code VALUES <var> <v0> <v1> ...}; for lists {@code LIST <var> <size> <ownerPid>} and one
 *       {@code ELEM <var> <i> <kind> <nrow> <ncol> <checksum>} per element; then {@code VIEWLIST [...]} and {@code DONE}.</li>
 *   <li>{@code hold <ns> <var>}: keeps a view and a raw column(0) buffer; prints
 *       {@code READY <checksum get> <checksum buffer>}; then per stdin line: {@code CHECK} prints
 *       {@code AFTER <checksum get> <checksum buffer>} and {@code NEWVIEW OK <length>|<exception>}; {@code EXIT}
 *       closes the view and prints {@code BYE}.</li>
 *   <li>{@code own <ns> <var> <n>}: registers a vector 1..n, prints {@code OWNED}, waits for
 *       {@code EXIT} on stdin, releases it and prints {@code BYE}.</li>
 *   <li>{@code exit-holding <ns>}: registers and views variables, allocates an unpublished page,
 *       prints {@code HOLDING} and exits with status 0 without releasing anything (the shutdown
 *       hook must).</li>
 *   <li>{@code fd-limit <ns> <var>} (run under a low {@code RLIMIT_NOFILE}): uses up every file
 *       descriptor, then registering and viewing ({@code <var>}, the parent's) must fail with
 *       ResourceLimitException and leave nothing; with one descriptor free both work again.
 *       Prints {@code FDLIMIT OK <register error> | <view error>} or {@code FDLIMIT FAIL <why>}.</li>
 *   <li>{@code race <ns> <names> <tag>}: prints {@code READY}, waits for {@code GO}, then 4 threads
 *       each try to register every one of {@code n0..n<names-1>} (256 doubles, all
 *       {@code tag * 1000 + thread}); prints {@code RESULT <one char per name: winning thread or '-'
 *       or 'E' for an error other than already-registered>}, waits for {@code EXIT}, releases,
 *       prints {@code BYE}.</li>
 * </ul>
 * Any failure prints {@code ERROR <exception class> <message>} and exits with status 2.
 */
public final class ChildProcess {
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    private ChildProcess() {}

    public static void main(String[] args) {
        try {
            switch (args[0]) {
                case "dump": dump(args); break;
                case "hold": hold(args[1], args[2]); break;
                case "own": own(args[1], args[2], Integer.parseInt(args[3])); break;
                case "exit-holding": exitHolding(args[1]); break;
                case "fd-limit": fdLimit(args[1], args[2]); break;
                case "race": race(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3])); break;
                default: throw new IllegalArgumentException("unknown command " + args[0]);
            }
        } catch (Throwable t) {
            OUT.println("ERROR " + t.getClass().getSimpleName() + " " + t.getMessage());
            if (!(t instanceof MemshareException)) t.printStackTrace();
            System.exit(2);
        }
    }

    private static double[] values(ArrayView v) {
        double[] out = new double[Math.toIntExact(v.length())];
        for (int i = 0; i < out.length; i++) out[i] = v.get(i);
        return out;
    }

    /** The values as read through zero-copy column buffers (float64 only; otherwise through get). */
    private static double[] columnValues(ArrayView v) {
        if (v.elementType() != ElementType.FLOAT64) return values(v);
        double[] out = new double[Math.toIntExact(v.length())];
        int k = 0;
        for (long j = 0; j < v.ncol(); j++) {
            DoubleBuffer col = v.column(j);
            while (col.hasRemaining()) out[k++] = col.get();
        }
        return out;
    }

    private static void dump(String[] args) {
        String ns = args[1];
        Namespace space = Namespace.of(ns);
        for (int a = 2; a < args.length; a++) {
            String var = args[a];
            View view = space.view(var);
            VariableInfo info = view.info();
            if (view instanceof ListView) {
                ListView list = (ListView) view;
                OUT.println("LIST " + var + " " + list.size() + " " + info.ownerPid());
                for (int i = 0; i < list.size(); i++) {
                    ArrayView e = list.get(i);
                    OUT.println("ELEM " + var + " " + i + " " + e.shape().kind() + " " + e.nrow() + " " + e.ncol() + " "
                            + Fixtures.checksum(values(e)));
                }
            } else {
                ArrayView v = (ArrayView) view;
                double[] values = values(v);
                OUT.println("VAR " + var + " " + info.kind() + " " + v.elementType() + " " + info.ownerPid() + " " + v.nrow()
                        + " " + v.ncol() + " " + Fixtures.checksum(values) + " " + Fixtures.checksum(columnValues(v)));
                StringBuilder sb = new StringBuilder("VALUES " + var);
                for (double d : values) sb.append(' ').append(d);
                OUT.println(sb);
            }
        }
        OUT.println("VIEWLIST " + Memshare.viewList());
        Memshare.releaseViews(ns, java.util.Arrays.copyOfRange(args, 2, args.length));
        OUT.println("DONE");
    }

    private static void hold(String ns, String var) throws Exception {
        Namespace space = Namespace.of(ns);
        ArrayView view = (ArrayView) space.view(var);
        DoubleBuffer raw = view.column(0);
        OUT.println("READY " + Fixtures.checksum(values(view)) + " " + Fixtures.checksum(bufferValues(raw)));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("CHECK")) {
                OUT.println("AFTER " + Fixtures.checksum(values(view)) + " " + Fixtures.checksum(bufferValues(raw)));
                try (View fresh = space.view(var)) {
                    OUT.println("NEWVIEW OK " + ((ArrayView) fresh).length());
                } catch (MemshareException e) {
                    OUT.println("NEWVIEW " + e.getClass().getSimpleName());
                }
            } else if (line.equals("EXIT")) {
                view.close();
                OUT.println("BYE");
                return;
            }
        }
    }

    private static double[] bufferValues(DoubleBuffer b) {
        double[] out = new double[b.limit()];
        for (int i = 0; i < out.length; i++) out[i] = b.get(i);
        return out;
    }

    private static void own(String ns, String var, int n) throws Exception {
        Page page = Namespace.of(ns).register(var, Fixtures.seq(n));
        OUT.println("OWNED");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("EXIT")) break;
        }
        page.close();
        OUT.println("BYE");
    }

    @SuppressWarnings("try")
    private static void fdLimit(String ns, String var) throws Exception {
        Namespace space = Namespace.of(ns);
        // Warm up every path the test takes, so no class has to be loaded (from a file) once the
        // descriptors are gone: registering, viewing, both failures, and a failed open.
        try (Page p = space.register("warm", new double[] {1}); View v = space.view("warm"); View w = space.view(var)) {
            v.info();
        }
        try {
            space.view("absent");
        } catch (VariableNotFoundException expected) {
            // loaded
        }
        try (java.io.FileInputStream f = new java.io.FileInputStream("/nonexistent/memshare")) {
            throw new IllegalStateException("opened a nonexistent file");
        } catch (java.io.FileNotFoundException expected) {
            // loaded
        }
        // The calls as objects made now, so that linking the lambdas needs no descriptor later.
        Runnable registerX = () -> space.register("x", new double[] {1, 2}).close();
        Runnable viewVar = () -> space.view(var).close();
        java.util.List<java.io.FileInputStream> fillers = new java.util.ArrayList<>();
        String registerError = null, viewError = null, problem = null;
        try {
            String[] register = withNoDescriptorFree(fillers, "register", registerX);
            registerError = register[0];
            problem = register[1];
            if (problem == null) {
                String[] view = withNoDescriptorFree(fillers, "view", viewVar);
                viewError = view[0];
                problem = view[1];
            }
            if (problem == null) {
                fillers.remove(fillers.size() - 1).close();   // one free descriptor is enough
                try (Page p = space.register("x", new double[] {1, 2}); VectorView v = space.vector(var)) {
                    if (v.get(0) != 1) problem = "read back " + v.get(0);
                }
            }
        } finally {
            for (java.io.FileInputStream f : fillers) f.close();
        }
        if (problem == null && !Memshare.pageList().isEmpty()) problem = "pages left: " + Memshare.pageList();
        OUT.println(problem == null ? "FDLIMIT OK " + registerError + " | " + viewError : "FDLIMIT FAIL " + problem);
    }

    /**
     * Runs {@code call} with every descriptor taken; it must fail with a ResourceLimitException.
     * Another thread of the JVM may close a descriptor of its own just after the fill (then one is
     * free and the call rightly succeeds), so fill again and retry, a few times. Returns {the
     * exception's message, null} or {null, what went wrong}.
     */
    private static String[] withNoDescriptorFree(java.util.List<java.io.FileInputStream> fillers, String what, Runnable call)
            throws java.io.IOException {
        for (int attempt = 0; attempt < 5; attempt++) {
            String problem = fillDescriptors(fillers);
            if (problem != null) return new String[] {null, problem};
            try {
                call.run();
            } catch (ResourceLimitException e) {
                return new String[] {e.getMessage(), null};
            }
        }
        return new String[] {null, what + " succeeded with no descriptor free, 5 times"};
    }

    /** Opens /dev/null until the process is out of descriptors; null, or what went wrong. */
    private static String fillDescriptors(java.util.List<java.io.FileInputStream> fillers) throws java.io.IOException {
        try {
            while (fillers.size() < 100_000) fillers.add(new java.io.FileInputStream("/dev/null"));
            return "no descriptor limit after 100,000 opens";
        } catch (java.io.FileNotFoundException full) {
            return String.valueOf(full.getMessage()).contains("Too many open files") ? null : "unexpected: " + full;
        }
    }

    private static void race(String ns, int names, int tag) throws Exception {
        Namespace space = Namespace.of(ns);
        space.register("warm" + tag, new double[] {1}).close();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        OUT.println("READY");
        if (!"GO".equals(in.readLine())) throw new IllegalStateException("no GO");
        char[] outcome = new char[names];
        java.util.Arrays.fill(outcome, '-');
        java.util.List<Page> won = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            final int me = t;
            threads[t] = new Thread(() -> {
                double[] values = new double[256];
                java.util.Arrays.fill(values, tag * 1000.0 + me);
                for (int k = 0; k < names; k++) {
                    int i = (k + me * names / 4) % names;
                    try {
                        won.add(space.register("n" + i, values));
                        synchronized (outcome) {
                            outcome[i] = (char) ('0' + me);
                        }
                    } catch (AlreadyRegisteredException lost) {
                        // the other thread or process has it
                    } catch (RuntimeException e) {
                        synchronized (outcome) {
                            outcome[i] = 'E';
                        }
                        System.err.println("race: " + e);
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) t.join();
        synchronized (outcome) {
            OUT.println("RESULT " + new String(outcome));
        }
        for (String line; (line = in.readLine()) != null; )
            if (line.equals("EXIT")) break;
        for (Page p : won) p.close();
        OUT.println("BYE");
    }

    private static void exitHolding(String ns) {
        Namespace space = Namespace.of(ns);
        Page page = space.register("v", new double[] {1, 2, 3});
        ArrayPage unpublished = space.allocateVector("u", ElementType.INT32, 10);
        Memshare.registerVariables(ns, java.util.Map.of("f", java.util.List.of(new double[] {4})));
        View view = space.view("v");
        Memshare.retrieveViews(ns, "f");
        OUT.println("HOLDING " + page.isClosed() + " " + unpublished.isPublished() + " " + view.isClosed());
        System.exit(0);
    }
}
