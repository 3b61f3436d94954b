package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.memshare.SegmentInfo;
import org.memshare.Segments;
import org.memshare.StartsProcesses;

/**
 * The crash users will actually hit: {@code memshare select} killed with SIGKILL while it fills
 * its matrix (the longest phase of the main job). Before the sweep {@code memshare ls} shows the
 * half-filled page with its size, its state and its dead owner; {@code memshare sweep} then
 * removes everything the dead process left.
 */
@StartsProcesses
class SelectKilledMidFillTest {
    record Run(int status, String out, String err) {}

    static Run cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = MemshareCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    static List<String> shmEntries(String prefix) throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void lsShowsTheHalfFilledPageAndSweepRemovesIt() throws Exception {
        long size = 8L * 10446 * 3000;
        for (int attempt = 1; attempt <= 3; attempt++) {
            // 10,446 x 3,000 doubles (239 MiB): the fill takes long enough to be caught in the act.
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), MemshareCli.class.getName(), "select", "--synthetic-features", "3000",
                    "--workers", "1").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String ns = "sel" + Long.toString(p.pid(), 36);
            SegmentInfo caught = null;
            while (p.isAlive() && caught == null) {
                if (Files.exists(Path.of("/dev/shm", ns + ".md.Xc"))) {
                    SegmentInfo s = Segments.inspect(ns, "Xc");
                    // Mid-fill: the page announced (FILLING) and its data sized. Between the two
                    // (a busy machine can stretch that moment) ls rightly shows no size yet: wait.
                    boolean sized = s.data() != null && s.data().sizeBytes() >= size;
                    if (s.publishState() == SegmentInfo.PublishState.FILLING && sized) {
                        p.destroyForcibly();  // SIGKILL
                        caught = s;
                    } else if (s.publishState() == SegmentInfo.PublishState.PUBLISHED) {
                        break;  // the fill finished before we looked: not the case under test
                    }
                }
                Thread.sleep(2);
            }
            p.destroyForcibly();
            p.waitFor();
            if (caught == null) {
                System.out.println("SelectKilledMidFillTest: attempt " + attempt + " missed the fill; sweeping and trying again");
                cli("sweep", ns);
                assertEquals(List.of(), shmEntries(ns + "."));
                continue;
            }
            Run ls = cli("ls", ns, "--bytes");
            assertEquals(0, ls.status(), ls.err());
            String line = ls.out().lines().filter(l -> l.contains(" Xc ")).findFirst().orElseThrow(() -> new AssertionError(ls.out()));
            assertTrue(line.contains("filling") && line.contains(Long.toString(size)) && line.contains(Long.toString(p.pid()))
                    && line.contains("dead"), line);
            String summary = ls.out().lines().reduce((a, b) -> b).orElse("");
            assertTrue(summary.contains("left by dead owners") && summary.contains("memshare sweep " + ns), summary);
            long total = Long.parseLong(summary.replaceAll(".* hold (\\d+) in .*", "$1"));
            assertTrue(total >= size, summary);
            Run all = cli("ls");  // without a namespace it is there too
            assertTrue(all.out().lines().anyMatch(l -> l.startsWith(ns + " ") && l.contains(" Xc ") && l.contains("filling")), all.out());

            Run sweep = cli("sweep", ns);
            assertEquals(0, sweep.status(), sweep.out() + sweep.err());
            assertTrue(sweep.out().toLowerCase(Locale.ROOT).contains("removed"), sweep.out());
            assertEquals(List.of(), shmEntries(ns + "."), "nothing of the killed select is left");
            System.out.println("SelectKilledMidFillTest: killed pid " + p.pid() + " mid-fill (attempt " + attempt + "); ls showed: "
                    + line.replaceAll("\\s+", " ") + "; then sweep left nothing");
            return;
        }
        Assumptions.abort("three runs of select finished their fill before this test could look; the machine is too fast for it");
    }
}
