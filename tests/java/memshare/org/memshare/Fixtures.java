package org.memshare;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Helpers shared by the tests: unique namespaces, /dev/shm inspection, and an independent encoder
 * of R memshare's segment format (docs/FORMAT.md §2), written from the spec and not from the library.
 */
public final class Fixtures {
    static final long PID = ProcessHandle.current().pid();
    /** Every namespace of this JVM's tests starts with this. */
    static final String PREFIX = "jt" + PID + "_";
    static final Path SHM = Paths.get("/dev/shm");

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Fixtures() {}

    /** A namespace no other test (of this or any other JVM) uses. */
    static String uniqueNamespace() {
        return PREFIX + COUNTER.incrementAndGet();
    }

    // ------------------------------------------------------------------ /dev/shm

    static Path dataPath(String ns, String var) {
        return SHM.resolve(ns + "." + var);
    }

    static Path metaPath(String ns, String var) {
        return SHM.resolve(ns + ".md." + var);
    }

    /** Names of the /dev/shm entries that belong to namespace {@code ns} (data and metadata). */
    static List<String> shmEntries(String ns) {
        return shmEntriesStartingWith(ns + ".");
    }

    static List<String> shmEntriesStartingWith(String prefix) {
        try (Stream<Path> s = Files.list(SHM)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new AssertionError("cannot list /dev/shm", e);
        }
    }

    static int shmCount() {
        try (Stream<Path> s = Files.list(SHM)) {
            return (int) s.count();
        } catch (IOException e) {
            throw new AssertionError("cannot list /dev/shm", e);
        }
    }

    static int fdCount() {
        try (Stream<Path> s = Files.list(Paths.get("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/self/fd", e);
        }
    }

    static List<String> maps() {
        try {
            return Files.readAllLines(Paths.get("/proc/self/maps"));
        } catch (IOException e) {
            throw new AssertionError("cannot read /proc/self/maps", e);
        }
    }

    /**
     * Fails if /dev/shm holds anything of namespace {@code ns}; removes what it finds first so one
     * failing test does not leave litter for the next.
     */
    static void assertNoShmEntries(String ns) {
        List<String> left = shmEntries(ns);
        for (String name : left) {
            try {
                Files.deleteIfExists(SHM.resolve(name));
            } catch (IOException ignored) {
                // reported below
            }
        }
        if (!left.isEmpty()) fail("left in /dev/shm for namespace '" + ns + "': " + left);
    }

    /** Calls System.gc() until {@code done} holds; false if it did not within {@code millis}. */
    static boolean gcUntil(BooleanSupplier done, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (true) {
            if (done.getAsBoolean()) return true;
            if (System.nanoTime() > deadline) return false;
            System.gc();
            Thread.sleep(20);
        }
    }

    // ------------------------------------------------------------------ child JVMs

    /**
     * This JVM's java launcher with native access enabled: without it JDK 24+ prints a warning on
     * the child's stderr when it loads the library, which tests reading that output would see.
     */
    public static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        // A suite run against a native library built elsewhere (scripts/test's portable flavour)
        // runs its children against the same one: two lock kinds must not meet in one test.
        String lib = System.getProperty("memshare.library.path");
        if (lib != null && !lib.isEmpty()) cmd.add("-Dmemshare.library.path=" + lib);
        return List.copyOf(cmd);
    }

    /** Starts {@code java -cp <our class path> org.memshare.ChildProcess args...}; stderr goes to ours. */
    static Process startChild(String... args) throws IOException {
        return startChildUnder(List.of(), args);
    }

    /** {@link #startChild} through a launcher command, e.g. {@code prlimit --nofile=128:128}. */
    static Process startChildUnder(List<String> launcher, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(javaCommand());
        cmd.add("-Xcheck:jni");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildProcess.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /**
     * An order-sensitive checksum of the exact bits of some doubles: sum of (i + 1) * rawbits(x_i),
     * modulo 2^64. The child computes it over what it reads, the test over what it registered.
     */
    static long checksum(double[] values) {
        long sum = 0;
        for (int i = 0; i < values.length; i++) sum += (i + 1L) * Double.doubleToRawLongBits(values[i]);
        return sum;
    }

    // ------------------------------------------------------------------ R's segment format, from docs/FORMAT.md §2

    static final int R_MATRIX = 0;
    static final int R_VECTOR = 1;
    static final int R_LIST = 2;

    /** One 24-byte metadata record: int32 type, 4 zero bytes, two uint64, little-endian. */
    static byte[] record(int type, long a, long b) {
        ByteBuffer bb = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(type).putInt(0).putLong(a).putLong(b);
        return bb.array();
    }

    static byte[] matrixRecord(long nrow, long ncol) {
        return record(R_MATRIX, nrow, ncol);
    }

    static byte[] vectorRecord(long n) {
        return record(R_VECTOR, n, 0);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        ByteBuffer bb = ByteBuffer.allocate(n);
        for (byte[] p : parts) bb.put(p);
        return bb.array();
    }

    /** Raw little-endian IEEE-754 doubles. */
    static byte[] doublesLE(double[] values) {
        ByteBuffer bb = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) bb.putDouble(v);
        return bb.array();
    }

    /** An element of an R list: its shape record (MATRIX or VECTOR) and its column-major doubles. */
    record RElement(byte[] record, double[] values) {
        static RElement matrix(int nrow, int ncol, double[] values) {
            return new RElement(matrixRecord(nrow, ncol), values);
        }

        static RElement vector(double[] values) {
            return new RElement(vectorRecord(values.length), values);
        }
    }

    /** R's metadata of a list: the LIST record (n, total doubles), then one record per element. */
    static byte[] listMetadata(List<RElement> elements) {
        long total = 0;
        for (RElement e : elements) total += e.values().length;
        List<byte[]> parts = new ArrayList<>();
        parts.add(record(R_LIST, elements.size(), total));
        for (RElement e : elements) parts.add(e.record());
        return concat(parts.toArray(new byte[0][]));
    }

    /** R's data of a list: n uint64 offsets counted in doubles (the first 0), then the packed doubles. */
    static byte[] listData(List<RElement> elements) {
        int total = 0;
        for (RElement e : elements) total += e.values().length;
        ByteBuffer bb = ByteBuffer.allocate(8 * elements.size() + 8 * total).order(ByteOrder.LITTLE_ENDIAN);
        long at = 0;
        for (RElement e : elements) {
            bb.putLong(at);
            at += e.values().length;
        }
        for (RElement e : elements) for (double v : e.values()) bb.putDouble(v);
        return bb.array();
    }

    /** Writes an R-style variable as two files in /dev/shm (the way shm_open would name them on Linux). */
    static void writeSegments(String ns, String var, byte[] metadata, byte[] data) throws IOException {
        Files.write(dataPath(ns, var), data);
        Files.write(metaPath(ns, var), metadata);
    }

    static void deleteSegments(String ns, String var) throws IOException {
        Files.deleteIfExists(metaPath(ns, var));
        Files.deleteIfExists(dataPath(ns, var));
    }

    // ------------------------------------------------------------------ our trailer, from metadata.hpp

    /** FNV-1a 64 (offset basis 0xcbf29ce484222325, prime 0x100000001b3). */
    static long fnv1a64(byte[] b, int n) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < n; i++) {
            h ^= b[i] & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /**
     * R records followed by our 48-byte trailer: magic MEMSHRJ1, version 1, size 48, element type,
     * kind, reserved 0, owner pid and start time, creator uid, nonce, FNV-1a 64 checksum.
     */
    static byte[] withTrailer(byte[] records, int kind, int elementType, long pid, long startTime, int uid) {
        ByteBuffer bb = ByteBuffer.allocate(records.length + 48).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(records).put("MEMSHRJ1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        bb.putShort((short) 1).putShort((short) 48).put((byte) elementType).put((byte) kind).putShort((short) 0);
        bb.putLong(pid).putLong(startTime).putInt(uid).putInt(12345);
        bb.putLong(fnv1a64(bb.array(), records.length + 40));
        return bb.array();
    }

    /** The pid of a process that has exited and been reaped. */
    static long deadPid() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    /** Values 1, 2, ..., n (R's 1:n as doubles). */
    static double[] seq(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = i + 1;
        return out;
    }
}
