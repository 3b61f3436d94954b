package org.memshare.bench.spark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A simulated host's {@code /dev/shm} read from outside, through its Worker's root
 * ({@code /proc/WORKER/root/dev/shm}), so the checks see what each host holds without entering
 * its namespace. Reads the two fields of a metadata object the checks need straight from the
 * bytes (docs/FORMAT.md §3): the publish state (byte 2) and the owner pid (trailer offset 16).
 */
final class HostShm {
    private static final byte[] MAGIC = "MEMSHRJ1".getBytes(StandardCharsets.US_ASCII);

    private HostShm() {}

    /** What a host copy's metadata says: published or still filling, and which process owns it. */
    record Meta(boolean published, long ownerPid) {}

    /** The /dev/shm of the host whose Worker is {@code workerPid}. */
    static Path dir(long workerPid) {
        return Path.of("/proc/" + workerPid + "/root/dev/shm");
    }

    /** The names in {@code dir} that start with {@code prefix}, sorted. */
    static List<String> entries(Path dir, String prefix) {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) if (p.getFileName().toString().startsWith(prefix)) out.add(p.getFileName().toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    /** The metadata of variable {@code var} in namespace {@code ns} on a host, if it exists (and has our trailer). */
    static Optional<Meta> meta(Path dir, String ns, String var) {
        byte[] b;
        try {
            b = Files.readAllBytes(dir.resolve(ns + ".md." + var));
        } catch (IOException e) {
            return Optional.empty();   // not there (yet, or any more)
        }
        for (int at = 0; at + 48 <= b.length; at += 24) {   // the trailer follows the 24-byte records
            if (java.util.Arrays.equals(b, at, at + MAGIC.length, MAGIC, 0, MAGIC.length)) {
                long pid = ByteBuffer.wrap(b, at + 16, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
                return Optional.of(new Meta(b[2] == 0, pid));
            }
        }
        return Optional.empty();
    }
}
