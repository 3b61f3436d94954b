package org.memshare.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.memshare.Fixtures;

/**
 * What the interop tests share: unique namespaces, /dev/shm checks, expected values computed from
 * the arrays a test registers (never from the library), and other-language programs run as child
 * processes.
 */
final class Interop {
    static final long PID = ProcessHandle.current().pid();
    static final Path SHM = Path.of("/dev/shm");
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Interop() {}

    /** A namespace no other test (of this or any other JVM) uses. */
    static String uniqueNamespace() {
        return "jti" + PID + "_" + COUNTER.incrementAndGet();
    }

    /** A file of the repository (tests run with the repository root as working directory). */
    static Path repoFile(String path) {
        Path p = Path.of(path);
        assertTrue(Files.isRegularFile(p), path + " not found from " + Path.of("").toAbsolutePath());
        return p;
    }

    // ------------------------------------------------------------------ /dev/shm

    /** Fails if /dev/shm holds anything of {@code ns}, after removing it so the next test starts clean. */
    static void assertNoShmEntries(String ns) throws IOException {
        List<String> left;
        try (Stream<Path> s = Files.list(SHM)) {
            left = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(ns + ".")).sorted()
                    .collect(Collectors.toList());
        }
        for (String name : left) Fixtures.deleteSegment(SHM.resolve(name));
        if (!left.isEmpty()) fail("left in /dev/shm for namespace '" + ns + "': " + left);
    }

    /** Writes a variable the way R memshare does (docs/FORMAT.md §2): its records, no trailer; then its data. */
    static void writeRSegments(String ns, String var, byte[] records, byte[] data) throws IOException {
        Files.write(SHM.resolve(ns + "." + var), data);
        Files.write(SHM.resolve(ns + ".md." + var), records);
    }

    static void deleteSegments(String ns, String var) throws IOException {
        Fixtures.deleteSegment(SHM.resolve(ns + ".md." + var));
        Fixtures.deleteSegment(SHM.resolve(ns + "." + var));
    }

    /** One 24-byte R metadata record: int32 type, 4 zero bytes, two uint64, little-endian. */
    static byte[] record(int type, long a, long b) {
        return ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(0).putLong(a).putLong(b).array();
    }

    // ------------------------------------------------------------------ expected values

    /**
     * 3 x 4, column-major: values a misread would change (signs, -0, fractions, a subnormal,
     * extremes, infinities, R's NA with its payload, NaN).
     */
    static final double[] DISTINCT_3X4 = {
        0.1, -2.5, Math.PI,
        -0.0, 1e-300, Double.MIN_VALUE,
        Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.longBitsToDouble(0x7FF00000000007A2L), Double.NaN, 12345.678901234567,
    };

    /** Reproducible pseudo-random doubles of varied magnitude and sign. */
    static double[] randomDoubles(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-5, 6));
        return out;
    }

    static byte[] littleEndian(double[] values) {
        ByteBuffer bb = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) bb.putDouble(v);
        return bb.array();
    }

    static byte[] littleEndian(int[] values) {
        ByteBuffer bb = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) bb.putInt(v);
        return bb.array();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The exact bits of {@code v} as 16 lowercase hex digits (NaN payloads included). */
    static String bits(double v) {
        return String.format("%016x", Double.doubleToRawLongBits(v));
    }

    // ------------------------------------------------------------------ child processes

    /** A finished child process: exit status and its stdout and stderr lines, interleaved. */
    record Run(int status, List<String> lines) {
        /** The lines starting with {@code prefix + " "}. */
        List<String> starting(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix + " ")).collect(Collectors.toList());
        }

        @Override
        public String toString() {
            return "exit status " + status + ", output:\n  " + String.join("\n  ", lines);
        }
    }

    /** Runs {@code command} to the end (at most 2 minutes) with stdin closed. */
    static Run run(List<String> command) throws IOException, InterruptedException {
        Process p = start(command);
        p.getOutputStream().close();
        List<String> lines = readAll(p);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("timed out: " + command);
        }
        return new Run(p.exitValue(), lines);
    }

    static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    static List<String> readAll(Process p) throws IOException {
        List<String> lines = new ArrayList<>();
        BufferedReader out = reader(p);
        for (String line; (line = out.readLine()) != null; ) lines.add(line);
        return lines;
    }

    static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Reads lines until one equals {@code marker}; returns those before it. Fails at end of output. */
    static List<String> readUntil(BufferedReader in, String marker) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals(marker)) return lines;
            lines.add(line);
        }
        fail("no " + marker + " line; output was:\n  " + String.join("\n  ", lines));
        return lines;
    }

    static void sendLine(Process p, String line) throws IOException {
        Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        w.write(line + "\n");
        w.flush();
    }

    /** True if {@code program} is an executable file in a directory of PATH. */
    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
        return false;
    }
}
