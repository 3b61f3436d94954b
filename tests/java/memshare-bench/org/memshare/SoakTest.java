package org.memshare;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.memshare.bench.Soak;

/**
 * The soak's short version in the default tests: 5,000 register/view/release cycles over 2
 * processes x 4 threads, every value checked, and /dev/shm entries, file descriptors and
 * mappings back to their starting counts ({@code scripts/bench soak} runs 100,000).
 */
@StartsProcesses
class SoakTest extends MemshareTestBase {
    @Test
    void fiveThousandCyclesInTwoProcessesLeaveNothing() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean clean;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            clean = Soak.run(5_000, 4, 2, out);
        }
        String report = buf.toString(StandardCharsets.UTF_8);
        System.out.print(report);                      // scripts/test prints the SOAK lines
        assertTrue(clean, report);
    }
}
