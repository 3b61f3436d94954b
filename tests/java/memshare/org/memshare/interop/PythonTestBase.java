package org.memshare.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.memshare.interop.Interop.Run;

/**
 * What the tests of docs/interop/read_memshare.py share: the Python to run it with, and segments
 * written by hand (as R would, or damaged on purpose), removed after each test.
 *
 * <p>The Python is the first of {@code python3} on PATH and {@code /usr/bin/python3} that imports
 * numpy: Debian's python3-numpy serves /usr/bin/python3 only, while the python3 first on PATH may
 * be another (pyenv's, a virtualenv's) with or without its own numpy.
 */
abstract class PythonTestBase extends InteropTestBase {
    static final String SCRIPT = "docs/interop/read_memshare.py";
    private static final List<String> PYTHONS = List.of("python3", "/usr/bin/python3");
    /** The Python chosen by {@link #missing()}. */
    private static volatile String python;
    /** Variables this test wrote by hand: nobody owns them, so the test removes them. */
    private final List<String> handWritten = new ArrayList<>();

    @Override
    String missing() throws Exception {
        List<String> why = new ArrayList<>();
        for (String candidate : PYTHONS) {
            boolean absolute = candidate.startsWith("/");
            String name = absolute ? candidate : candidate + " on PATH";
            if (!(absolute ? Files.isExecutable(Path.of(candidate)) : Interop.onPath(candidate))) {
                why.add(name + " is not installed");
                continue;
            }
            Run r = Interop.run(List.of(candidate, "-c", "import sys, numpy; print('USES', sys.executable, numpy.__version__)"));
            if (r.status() == 0) {
                python = candidate;
                String[] uses = r.starting("USES").get(0).split(" ");
                System.out.println(getClass().getSimpleName() + " runs " + candidate + " (" + uses[1] + ", numpy " + uses[2] + ")");
                return "";
            }
            why.add(name + " cannot import numpy");
        }
        return String.join(", ", why) + " (install python3-numpy for /usr/bin/python3, or numpy for the python3 on PATH)";
    }

    @AfterEach
    void removeHandWrittenSegments() throws IOException {
        for (String var : handWritten) Interop.deleteSegments(ns, var);  // before the base class's check
    }

    /** Writes variable {@code var}'s two segments: its data, then its metadata (as an owner does). */
    void writeSegments(String var, byte[] metadata, byte[] data) throws IOException {
        handWritten.add(var);
        Interop.writeRSegments(ns, var, metadata, data);
    }

    /** {@code python3 read_memshare.py args...}, with the chosen Python. */
    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(python, Interop.repoFile(SCRIPT).toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static Run read(String... args) throws Exception {
        return Interop.run(command(args));
    }

    /** Runs Python {@code code} with the chosen Python; {@code args} become {@code sys.argv[1:]}. */
    static Run runPython(String code, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(python, "-c", code));
        cmd.addAll(List.of(args));
        return Interop.run(cmd);
    }

    /** The ARRAY line the script must print for values registered as {@code littleEndian}. */
    static String arrayLine(String label, String shape, byte[] littleEndian) {
        return "ARRAY " + label + " " + shape + " " + Interop.sha256(littleEndian) + " read-only";
    }

    static String javaWriter() {
        return "java:" + Interop.PID;
    }
}
