package org.memshare.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Copies the bundled library out of the JAR to a file the JVM can load, and loads it.
 *
 * <p>Where: a private directory per user ({@code <tmpdir>/memshare-<user.name>}, mode 0700), so no
 * other user can swap the file between our write and the JVM's load. A directory of that name that
 * is not ours (a symbolic link, another owner, looser permissions, not a directory) is left alone
 * and a fresh {@link Files#createTempDirectory} beside it is used instead, with a warning.
 *
 * <p>Each load gets its own uniquely named file, so two class loaders (or two JVMs) never share
 * one: the JVM refuses to load one file in two class loaders, and glibc would hand back the
 * already-loaded object for a path it has seen. On POSIX the file is removed as soon as it is
 * loaded (the mapping stays). Windows refuses while it is loaded, and the JVM never unloads it, so
 * there the file stays: each extraction first removes the copies earlier JVMs left that are more
 * than an hour old (one still loaded cannot be removed and is skipped; the age keeps a JVM that is
 * extracting right now safe). On POSIX that finds only what a JVM killed mid-load left.
 *
 * <p>A directory on a file system mounted {@code noexec} (common for {@code /tmp} on hardened
 * hosts) accepts the file but not its mapping; then the next candidate directory is tried, and a
 * warning names both and why.
 */
final class LibraryExtractor {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    /** glibc's dlopen error when mmap(PROT_EXEC) is refused, as on a noexec mount. */
    private static final String NOEXEC_SIGN = "failed to map segment from shared object";

    private final List<Path> candidates;
    private final String userName;
    private final Consumer<Path> loader;
    private final Consumer<String> warn;

    /**
     * @param candidates the private directories to try, in order
     * @param userName whose directories they must be
     * @param loader loads a library file ({@code System.load} but for tests)
     * @param warn receives what the user should know: a directory skipped and why
     */
    LibraryExtractor(List<Path> candidates, String userName, Consumer<Path> loader, Consumer<String> warn) {
        this.candidates = List.copyOf(candidates);
        this.userName = userName;
        this.loader = loader;
        this.warn = warn;
    }

    /** {@code <base>/memshare-<user>}: the private directory for {@code userName} under {@code base}. */
    static Path privateDirectoryUnder(Path base, String userName) {
        return base.resolve("memshare-" + userName.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /**
     * Extracts {@code resource} as a uniquely named {@code *-<fileName>} in the first candidate
     * directory where it loads, and loads it. Returns the file it loaded (on POSIX no longer there).
     *
     * @throws IOException if no candidate directory worked; the message has each one and why
     * @throws UnsatisfiedLinkError if the library itself does not load (another directory would not help)
     */
    Path extractAndLoad(URL resource, String fileName) throws IOException {
        List<String> failed = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        for (Path candidate : candidates) {
            Path dir = candidate;
            Path fresh = null;   // a directory made for this load alone, removed after it
            Path file = null;
            try {
                dir = privateDirectory(candidate);
                if (!dir.equals(candidate)) fresh = dir;
                removeLeftovers(dir, fileName);
                file = Files.createTempFile(dir, "memshare-", "-" + fileName);
                // Written into the file createTempFile made (owner-only), not replaced by a new one.
                try (InputStream in = resource.openStream();
                     OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
                    in.transferTo(out);
                }
                loader.accept(file.toAbsolutePath());
                if (!failed.isEmpty())
                    warn.accept("memshare native library: " + String.join("; ", failed) + "; loaded it from " + dir
                            + " instead. Set -D" + NativeLoader.TMPDIR_PROPERTY + " to a writable directory on a file"
                            + " system that allows executable mappings to skip the failed attempt.");
                return file;
            } catch (IOException e) {
                failed.add("could not extract it to " + dir + " (" + e + ")");
                causes.add(e);
            } catch (UnsatisfiedLinkError e) {
                if (!String.valueOf(e.getMessage()).contains(NOEXEC_SIGN)) throw e;
                failed.add("could not load it from " + dir + ", whose file system does not allow executable mappings"
                        + " (mounted noexec?): " + e.getMessage());
                causes.add(e);
            } finally {
                removeAfterLoad(file, fresh);
            }
        }
        IOException e = new IOException("could not extract and load the memshare library anywhere: " + String.join("; ", failed));
        for (Throwable t : causes) e.addSuppressed(t);
        throw e;
    }

    /**
     * {@code dir} if it is, or can be made, a directory of ours that only we can use; otherwise a
     * fresh private directory beside it (and a warning why).
     */
    Path privateDirectory(Path dir) throws IOException {
        // The parent may not exist yet: ~/.cache on a fresh account.
        Files.createDirectories(dir.toAbsolutePath().getParent());
        String why = createOrCheck(dir);
        if (why == null) return dir;
        Path fresh = Files.createTempDirectory(dir.toAbsolutePath().getParent(), "memshare-");
        warn.accept("not extracting the memshare native library to " + dir + ": it " + why + " (it must be a directory,"
                + " not a symbolic link, owned by " + userName + " with permissions rwx------); using the new directory "
                + fresh + " instead. Remove " + dir + " to let memshare create it.");
        return fresh;
    }

    /** Null if {@code dir} is now a private directory of ours; else what is wrong with it. */
    private String createOrCheck(Path dir) throws IOException {
        boolean posix = Files.getFileAttributeView(dir.toAbsolutePath().getParent(), PosixFileAttributeView.class) != null;
        try {
            // Created with 0700 from the start: a chmod afterwards would leave a window.
            if (posix) Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            else Files.createDirectory(dir);
            return null;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // Ours from an earlier run, or someone else's: look without following a link.
        }
        if (!posix) {
            // Windows: the temp directory is per user already; just refuse a link or a file.
            if (Files.isSymbolicLink(dir)) return "is a symbolic link";
            return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) ? null : "is not a directory";
        }
        PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attrs.isSymbolicLink()) return "is a symbolic link";
        if (!attrs.isDirectory()) return "is not a directory";
        String notOurs = notOwnedByUs(dir, attrs);
        if (notOurs != null) return notOurs;
        if (!attrs.permissions().equals(OWNER_ONLY))
            return "has permissions " + PosixFilePermissions.toString(attrs.permissions()) + ", not rwx------";
        return null;
    }

    /**
     * Null if this process's user owns {@code dir}, else how it differs. Compared by uid: in a
     * container without a passwd entry for its uid, user.name is "?" and names cannot be looked up.
     */
    private String notOwnedByUs(Path dir, PosixFileAttributes attrs) throws IOException {
        long uid = currentUid();
        if (uid >= 0) {
            Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            return owner instanceof Integer && ((Integer) owner).longValue() == uid ? null
                    : "is owned by uid " + owner + " (" + attrs.owner().getName() + "), not uid " + uid;
        }
        UserPrincipal me;
        try {
            me = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(userName);
        } catch (IOException e) {
            return "cannot be checked: there is no user " + userName + " (" + e + ")";
        }
        return attrs.owner().equals(me) ? null : "is owned by " + attrs.owner().getName() + ", not " + userName;
    }

    /** This process's uid, or -1 where the JDK's jdk.security.auth module is not there to say. */
    private static long currentUid() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid();
        } catch (LinkageError | RuntimeException e) {
            return -1;
        }
    }

    /** Removes copies of {@code fileName} earlier JVMs left in {@code dir} more than an hour ago. */
    private static void removeLeftovers(Path dir, String fileName) {
        FileTime hourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "memshare-*-" + fileName)) {
            for (Path p : old) {
                try {
                    if (Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).compareTo(hourAgo) < 0) Files.delete(p);
                } catch (IOException e) {
                    // Still loaded by a running JVM (Windows), or gone already: leave it.
                }
            }
        } catch (IOException e) {
            // Listing failed: extraction can go on; the leftovers wait for the next JVM.
        }
    }

    /** Removes the extracted file and a fresh directory made for it (Windows: see the class comment). */
    private static void removeAfterLoad(Path file, Path freshDir) {
        for (Path p : new Path[] {file, freshDir}) {
            if (p == null) continue;
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                p.toFile().deleteOnExit();   // a fresh directory still holding a loaded DLL
            }
        }
    }
}
