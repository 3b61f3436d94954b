package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A FIFO, directory, socket, symlink or device node under a segment's name, as metadata and as
 * data: a view, inspect, the listings and the sweep each return within 5 s with a clean error or
 * a line saying what is wrong, remove nothing, and the JVM keeps working. (A plain open of a
 * FIFO blocks until a writer comes; this is what the non-blocking opens are for.)
 */
@StartsProcesses  // mkfifo, mknod
class NonRegularSegmentTest extends MemshareTestBase {
    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("org.memshare.OddFiles#typesAndRoles")
    void everyReaderRefusesItPromptly(OddFiles.Type type, String role) throws Exception {
        Namespace space = Namespace.of(ns);
        try (OddFiles.Made made = OddFiles.inPlaceOfX(space, type, role)) {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                MemshareException e = assertThrows(MemshareException.class, () -> space.view("X"));
                assertTrue(e instanceof CorruptSegmentException || e instanceof PermissionDeniedException, e.toString());
                if (type != OddFiles.Type.CHAR_DEVICE)
                    assertTrue(e.getMessage().contains("not a shared-memory segment"), e.getMessage());

                SegmentInfo inspected = Segments.inspect(ns, "X");
                assertFalse(inspected.valid());
                assertTrue(Segments.list(ns).stream().anyMatch(s -> s.variable().equals("X") && !s.valid()));
                assertTrue(Segments.list().stream().anyMatch(s -> s.namespace().equals(ns) && s.variable().equals("X")));
                SweepEntry swept = Segments.sweep(ns, false).entries().stream()
                        .filter(s -> s.segment().variable().equals("X")).findFirst().orElseThrow();
                assertEquals(SweepEntry.Action.KEPT_UNKNOWN_OWNER, swept.action(), swept.reason());
                assertEquals(List.of(), swept.removed());
            }, type + " as " + role);
            assertTrue(made.exists(), "nothing removed it");
            // The JVM works on: the other variable still views.
            try (ArrayView t = (ArrayView) space.view("T")) {
                assertEquals(6.0, t.get(2));
            }
            space.release("X");  // removes our remaining half, not the odd file
            assertTrue(made.exists());
        }
    }
}
