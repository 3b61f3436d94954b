package org.memshare.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
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
 * loaded (the mapping stays); Windows refuses while it is loaded, so there it goes at exit.
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
                file = Files.createTempFile(dir, "memshare-", "-" + fileName);
                try (InputStream in = resource.openStream()) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
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
        UserPrincipal me;
        try {
            me = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(userName);
        } catch (IOException e) {
            return "cannot be checked: there is no user " + userName + " (" + e + ")";
        }
        if (!attrs.owner().equals(me)) return "is owned by " + attrs.owner().getName() + ", not " + userName;
        if (!attrs.permissions().equals(OWNER_ONLY))
            return "has permissions " + PosixFilePermissions.toString(attrs.permissions()) + ", not rwx------";
        return null;
    }

    /** Removes the extracted file and a fresh directory made for it; what Windows keeps goes at exit. */
    private static void removeAfterLoad(Path file, Path freshDir) {
        for (Path p : new Path[] {file, freshDir}) {
            if (p == null) continue;
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                p.toFile().deleteOnExit();
            }
        }
    }
}
