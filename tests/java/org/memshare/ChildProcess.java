package org.memshare;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.DoubleBuffer;
import java.nio.charset.StandardCharsets;

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
