package org.memshare;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    /**
     * The page the native library under test rounds every segment it creates up to: 1 (none) for
     * the Linux build, 16384 for the portable flavour (scripts/lib/portable-posix.sh sets it), as
     * macOS on Apple silicon does (docs/FORMAT.md §8).
     */
    static final long SEGMENT_PAGE = Long.getLong("memshare.test.segmentPage", 1);

    /** The size a segment of {@code n} bytes has once the library under test created it. */
    public static long segmentSize(long n) {
        return (n + SEGMENT_PAGE - 1) / SEGMENT_PAGE * SEGMENT_PAGE;
    }

    /**
     * The bytes memshare wrote to segment file {@code p}, which holds {@code n} of them: fails
     * unless the file is exactly {@link #segmentSize}{@code (n)} long with zeros after the n.
     */
    public static byte[] segmentBytes(Path p, int n) throws IOException {
        byte[] all = Files.readAllBytes(p);
        if (all.length != segmentSize(n)) fail(p + " holds " + all.length + " bytes, expected " + segmentSize(n) + " for " + n);
        for (int i = n; i < all.length; i++)
            if (all[i] != 0) fail(p + ": byte " + i + " of the page rounding is " + all[i] + ", not 0");
        return java.util.Arrays.copyOf(all, n);
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
                deleteSegment(SHM.resolve(name));
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
        List<String> cmd = new ArrayList<>(bundledJavaCommand());
        // A suite run against a native library built elsewhere (scripts/test's portable flavour)
        // runs its children against the same one: two lock kinds must not meet in one test.
        String lib = System.getProperty("memshare.library.path");
        if (lib != null && !lib.isEmpty()) cmd.add("-Dmemshare.library.path=" + lib);
        return List.copyOf(cmd);
    }

    /**
     * {@link #javaCommand} without the forwarded {@code -Dmemshare.library.path}: for the loader's
     * own tests, whose children must load the bundled library (what they test) whatever native
     * library this suite runs against; their children share no segment or lock with this JVM.
     */
    public static List<String> bundledJavaCommand() {
        return List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED");
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
    /** Writes both segments of a variable as another tool (R) would, entered in the index where there is one. */
    static void writeSegments(String ns, String var, byte[] metadata, byte[] data) throws IOException {
        Files.write(dataPath(ns, var), data);
        Files.write(metaPath(ns, var), metadata);
        indexSegment(dataPath(ns, var));
        indexSegment(metaPath(ns, var));
    }

    static void deleteSegments(String ns, String var) throws IOException {
        for (Path p : List.of(metaPath(ns, var), dataPath(ns, var))) deleteSegment(p);
    }

    /**
     * Removes a segment by its file name, as another tool would, and its index entry where there
     * is one: a test that removed only the file would leave the entry behind in the portable
     * flavour's index directory, which scripts/lib/index-leftovers.sh reports.
     */
    public static void deleteSegment(Path segment) throws IOException {
        Files.deleteIfExists(segment);
        if (INDEX_DIR != null) Files.deleteIfExists(INDEX_DIR.resolve(segment.getFileName()));
    }

    /**
     * The index directory of the library under test (docs/FORMAT.md §8), or null for the Linux
     * build, which lists /dev/shm: set by scripts/lib/portable-posix.sh for the portable flavour.
     */
    static final Path INDEX_DIR = Optional.ofNullable(System.getProperty("memshare.test.indexDir")).map(Paths::get).orElse(null);

    /**
     * Enters a segment another tool made in the index, where there is one, as
     * {@code index_foreign_segment} does (an empty entry): without it the flavour's listing, like
     * macOS's, never sees a segment memshare did not create.
     */
    static void indexSegment(Path segment) throws IOException {
        if (INDEX_DIR == null) return;
        if (!Files.isDirectory(INDEX_DIR))
            Files.createDirectories(INDEX_DIR, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path entry = INDEX_DIR.resolve(segment.getFileName());
        if (!Files.exists(entry)) Files.createFile(entry);
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
