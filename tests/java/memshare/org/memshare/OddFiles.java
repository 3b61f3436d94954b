package org.memshare;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Files in /dev/shm that are not regular files, named like segments: what anyone on the machine
 * can put there (the directory is world-writable) to hang or crash a careless reader. Shared by
 * the Java tests of views, listing and sweep, and by the Python reader's tests.
 */
public final class OddFiles {
    private OddFiles() {}

    /** The kinds of file a reader must refuse without blocking. */
    public enum Type {
        FIFO, DIRECTORY, SOCKET, SYMLINK, CHAR_DEVICE
    }

    /** A file made by {@link #make}; closing it removes it (and closes a socket's channel). */
    public static final class Made implements AutoCloseable {
        private final Path path;
        private final ServerSocketChannel socket;

        private Made(Path path, ServerSocketChannel socket) {
            this.path = path;
            this.socket = socket;
        }

        /** Whether it is still there (not removed by anything under test). */
        public boolean exists() {
            return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public void close() throws IOException {
            if (socket != null) socket.close();
            Fixtures.deleteSegment(path);  // and the entry of the segment it stands in for
        }
    }

    /**
     * Creates {@code /dev/shm/<name>} as a file of {@code type}. A symlink points at
     * {@code /dev/shm/<symlinkTarget>}, a valid segment: the worst case, since following it would
     * read what the name does not own. A character device is a copy of /dev/null (on a nodev
     * mount opening it fails with EACCES, also a clean refusal).
     */
    public static Made make(Type type, String name, String symlinkTarget) throws IOException, InterruptedException {
        Path path = Path.of("/dev/shm", name);
        switch (type) {
            case FIFO -> command("mkfifo", "-m", "600", path.toString());
            case DIRECTORY -> Files.createDirectory(path);
            case SYMLINK -> Files.createSymbolicLink(path, Path.of("/dev/shm", symlinkTarget));
            case CHAR_DEVICE -> command("mknod", "-m", "600", path.toString(), "c", "1", "3");
            case SOCKET -> {
                ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                channel.bind(UnixDomainSocketAddress.of(path));
                return new Made(path, channel);
            }
        }
        return new Made(path, null);
    }

    /** Every type, as "metadata" and as "data": the arguments of the parameterised tests. */
    public static Stream<Arguments> typesAndRoles() {
        return Stream.of(Type.values()).flatMap(t -> Stream.of(Arguments.of(t, "metadata"), Arguments.of(t, "data")));
    }

    /**
     * Registers the vector X = (1, 2, 3) in {@code space}, and T = (4, 5, 6) for a symlink to point
     * at, then puts a file of {@code type} in place of X's metadata or data ({@code role}): the
     * other half of X stays a valid segment of a live owner.
     */
    public static Made inPlaceOfX(Namespace space, Type type, String role) throws IOException, InterruptedException {
        space.register("X", new double[] {1, 2, 3});
        space.register("T", new double[] {4, 5, 6});
        String ns = space.name();
        boolean metadata = role.equals("metadata");
        String odd = metadata ? ns + ".md.X" : ns + ".X";
        Files.delete(Path.of("/dev/shm", odd));
        return make(type, odd, metadata ? ns + ".md.T" : ns + ".T");
    }

    private static void command(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0)
            throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
    }
}
