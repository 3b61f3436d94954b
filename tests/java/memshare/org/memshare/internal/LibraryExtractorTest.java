package org.memshare.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the bundled library is extracted: a private directory per user, never a directory someone
 * else prepared, a unique file removed once loaded, and the next directory when one is noexec.
 * The loading itself is a stand-in here that records what it was given (the real System.load on a
 * real noexec mount is in NativeLoaderTest).
 */
class LibraryExtractorTest {
    private static final String USER = System.getProperty("user.name");
    private static final byte[] LIBRARY = "not really a library".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @TempDir Path base;
    private URL resource;
    private final List<String> warnings = new ArrayList<>();
    /** What each load saw: the file, its directory's mode then, and whether the bytes were right. */
    private final List<String> loads = new ArrayList<>();

    @BeforeEach
    void writeResource() throws IOException {
        Path r = Files.write(base.resolve("resource.so"), LIBRARY);
        resource = r.toUri().toURL();
    }

    private final Consumer<Path> recordingLoader = file -> {
        try {
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent(), LinkOption.NOFOLLOW_LINKS));
            loads.add(file + " " + mode + " " + java.util.Arrays.equals(LIBRARY, Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    };

    private LibraryExtractor extractor(Consumer<Path> loader, Path... candidates) {
        return new LibraryExtractor(List.of(candidates), USER, loader, warnings::add);
    }

    private static UserPrincipal me() throws IOException {
        return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(USER);
    }

    @Test
    void extractsToAUniqueFileInAPrivateDirectoryAndRemovesIt() throws Exception {
        Path dir = LibraryExtractor.privateDirectoryUnder(base, USER);
        Path first = extractor(recordingLoader, dir).extractAndLoad(resource, "libmemshare.so");
        Path second = extractor(recordingLoader, dir).extractAndLoad(resource, "libmemshare.so");
        assertEquals(base.resolve("memshare-" + USER), dir);
        assertEquals(List.of(first + " rwx------ true", second + " rwx------ true"), loads);
        assertNotEquals(first, second);
        assertEquals(dir, first.getParent());
        assertTrue(first.getFileName().toString().matches("memshare-[0-9]+-libmemshare\\.so"), first.toString());
        assertEquals(me(), Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertFalse(Files.exists(first));
        assertFalse(Files.exists(second));
        assertEquals(List.of(), warnings);
    }

    @Test
    void aUserNameIsMadeSafeForAFileName() {
        assertEquals(base.resolve("memshare-DOMAIN_j.doe_x"), LibraryExtractor.privateDirectoryUnder(base, "DOMAIN\\j.doe/x"));
    }

    /** Extracts with {@code hostile} as the only candidate; asserts a fresh directory beside it was used, and why. */
    private void assertNotUsed(Path hostile, String reason) throws Exception {
        Path loaded = extractor(recordingLoader, hostile).extractAndLoad(resource, "libmemshare.so");
        Path used = loaded.getParent();
        assertNotEquals(hostile, used);
        assertEquals(base, used.getParent());
        assertTrue(used.getFileName().toString().startsWith("memshare-"), used.toString());
        assertEquals(List.of(loaded + " rwx------ true"), loads, "loaded from a fresh private directory");
        assertFalse(Files.exists(used), "the fresh directory is removed after loading");
        assertEquals(1, warnings.size(), warnings.toString());
        String warning = warnings.get(0);
        for (String expected : List.of(hostile.toString(), reason, used.toString(), "rwx------"))
            assertTrue(warning.contains(expected), "warning names " + expected + ": " + warning);
    }

    @Test
    void aWorldWritableDirectoryIsNotUsed() throws Exception {
        Path hostile = Files.createDirectory(LibraryExtractor.privateDirectoryUnder(base, USER));
        Files.setPosixFilePermissions(hostile, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertNotUsed(hostile, "has permissions rwxrwxrwx");
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(hostile)), "left as it was");
    }

    @Test
    void aSymbolicLinkIsNotFollowed() throws Exception {
        // Even to a directory that would pass every check itself: the link could be changed later.
        Path target = Files.createDirectory(base.resolve("elsewhere"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path hostile = Files.createSymbolicLink(LibraryExtractor.privateDirectoryUnder(base, USER), target);
        assertNotUsed(hostile, "is a symbolic link");
        try (var left = Files.list(target)) {
            assertEquals(0, left.count(), "nothing written through the link");
        }
    }

    @Test
    void aFileIsNotUsed() throws Exception {
        Path hostile = Files.write(LibraryExtractor.privateDirectoryUnder(base, USER), LIBRARY);
        assertNotUsed(hostile, "is not a directory");
    }

    @Test
    void aDirectoryOfAnotherUserIsNotUsed() throws Exception {
        assumeTrue("root".equals(USER), "only root can give a directory to another user (running as " + USER + ")");
        Path hostile = Files.createDirectory(LibraryExtractor.privateDirectoryUnder(base, USER),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setOwner(hostile, FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        assertNotUsed(hostile, "is owned by uid 65534 (nobody), not uid 0");
    }

    private static final String NOEXEC_ERROR = ": failed to map segment from shared object";

    @Test
    void aNoexecDirectoryFallsBackToTheNextAndSaysSo() throws Exception {
        Path noexec = base.resolve("tmp").resolve("memshare-" + USER);
        Path home = base.resolve("home").resolve(".cache").resolve("memshare");
        Files.createDirectories(noexec.getParent());
        Consumer<Path> loader = file -> {
            if (file.startsWith(noexec)) throw new UnsatisfiedLinkError(file + NOEXEC_ERROR);
            recordingLoader.accept(file);
        };
        Path loaded = extractor(loader, noexec, home).extractAndLoad(resource, "libmemshare.so");
        assertEquals(home, loaded.getParent());
        assertEquals(List.of(loaded + " rwx------ true"), loads);
        try (var left = Files.list(noexec)) {
            assertEquals(0, left.count(), "the copy in the noexec directory is removed");
        }
        assertEquals(1, warnings.size(), warnings.toString());
        for (String expected : List.of("from " + home + " instead", noexec.toString(), "noexec", NOEXEC_ERROR, "-Dmemshare.tmpdir"))
            assertTrue(warnings.get(0).contains(expected), "warning names " + expected + ": " + warnings.get(0));
    }

    @Test
    void aDirectoryThatCannotBeWrittenFallsBackToTheNext() throws Exception {
        Path blocked = Files.write(base.resolve("a-file"), LIBRARY).resolve("memshare-" + USER);
        Path next = base.resolve("next");
        Path loaded = extractor(recordingLoader, blocked, next).extractAndLoad(resource, "libmemshare.so");
        assertEquals(next, loaded.getParent());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("could not extract it to " + blocked), warnings.get(0));
    }

    @Test
    void whenNoDirectoryWorksTheErrorNamesEach() {
        Path a = base.resolve("a");
        Path b = base.resolve("b");
        Consumer<Path> noexecEverywhere = file -> {
            throw new UnsatisfiedLinkError(file + NOEXEC_ERROR);
        };
        IOException e = assertThrows(IOException.class, () -> extractor(noexecEverywhere, a, b).extractAndLoad(resource, "x.so"));
        assertTrue(e.getMessage().contains("from " + a + ", whose file system does not allow executable mappings"), e.getMessage());
        assertTrue(e.getMessage().contains("from " + b + ", whose file system does not allow executable mappings"), e.getMessage());
        assertEquals(2, e.getSuppressed().length);
    }

    @Test
    void aLibraryThatDoesNotLoadIsNotTriedElsewhere() throws Exception {
        Path a = base.resolve("a");
        Path b = base.resolve("b");
        List<Path> attempts = new ArrayList<>();
        Consumer<Path> wrongElfClass = file -> {
            attempts.add(file);
            throw new UnsatisfiedLinkError(file + ": wrong ELF class: ELFCLASS32");
        };
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> extractor(wrongElfClass, a, b).extractAndLoad(resource, "x.so"));
        assertTrue(e.getMessage().endsWith("wrong ELF class: ELFCLASS32"));
        assertEquals(1, attempts.size());
        assertFalse(Files.exists(attempts.get(0)), "its copy is removed");
        assertFalse(Files.exists(b), "the next directory was not touched");
        assertArrayEquals(new String[0], warnings.toArray(new String[0]));
    }
    @Test
    void copiesLeftByEarlierJvmsAnHourAgoAreRemovedRecentOnesKept() throws Exception {
        // Windows cannot delete a loaded DLL, so each JVM leaves its copy; the next one cleans up.
        Path dir = LibraryExtractor.privateDirectoryUnder(base, USER);
        extractor(recordingLoader, dir).extractAndLoad(resource, "libmemshare.so");   // makes dir
        Path old = Files.write(dir.resolve("memshare-111-libmemshare.so"), LIBRARY);
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 2 * 3600_000L));
        Path recent = Files.write(dir.resolve("memshare-222-libmemshare.so"), LIBRARY);
        Path unrelated = Files.write(dir.resolve("notes.txt"), LIBRARY);
        Files.setLastModifiedTime(unrelated, java.nio.file.attribute.FileTime.fromMillis(0));
        extractor(recordingLoader, dir).extractAndLoad(resource, "libmemshare.so");
        assertFalse(Files.exists(old), "a copy left two hours ago is removed");
        assertTrue(Files.exists(recent), "a copy another JVM may be loading right now stays");
        assertTrue(Files.exists(unrelated), "only memshare's copies are touched");
    }

    @Test
    void ownershipIsCheckedByUidSoAUserNameWithoutAPasswdEntryStillWorks() throws Exception {
        // In a container whose uid has no passwd entry, user.name is "?": the directory made on
        // the first run must still be accepted on the next.
        assumeTrue(Files.getFileStore(base).supportsFileAttributeView("posix"), "needs POSIX file attributes");
        Path dir = LibraryExtractor.privateDirectoryUnder(base, "?");
        for (int run = 0; run < 2; run++)
            new LibraryExtractor(List.of(dir), "?", recordingLoader, warnings::add).extractAndLoad(resource, "libmemshare.so");
        assertEquals(2, loads.size());
        assertTrue(loads.stream().allMatch(l -> l.startsWith(dir.toString())), loads.toString());
        assertEquals(List.of(), warnings);
    }
}
