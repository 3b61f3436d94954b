package org.memshare.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/INTEROP.md shows the example programs that PythonInteropTest and RInteropTest run, as they
 * are: a code block announced by {@code <!-- verbatim: PATH -->} must equal that file, and one
 * announced by {@code <!-- verbatim: PATH#NAME -->} the lines between {@code # <NAME>} and
 * {@code # </NAME>} in it. So the doc cannot drift from what is tested.
 */
class InteropDocTest {
    private static final Pattern VERBATIM =
            Pattern.compile("<!-- verbatim: ([^#\\s]+)(?:#(\\S+))? -->\n```\\w*\n(.*?)```\n", Pattern.DOTALL);

    @Test
    void theDocShowsEveryExampleFileAsItIs() throws IOException {
        String doc = Files.readString(Interop.repoFile("docs/INTEROP.md"));
        Set<String> shown = new TreeSet<>();
        Matcher m = VERBATIM.matcher(doc);
        while (m.find()) {
            String path = m.group(1), region = m.group(2), block = m.group(3);
            String source = Files.readString(Interop.repoFile(path));
            String expected = region == null ? source : region(source, path, region);
            assertEquals(expected, block, path + (region == null ? "" : "#" + region) + " as docs/INTEROP.md shows it");
            shown.add(path);
        }
        assertEquals(exampleFiles(), shown, "files of docs/interop shown verbatim in docs/INTEROP.md");
    }

    /** The lines of {@code source} between "# <name>" and "# </name>". */
    private static String region(String source, String path, String name) {
        String open = "# <" + name + ">\n", close = "# </" + name + ">\n";
        int start = source.indexOf(open), end = source.indexOf(close);
        assertTrue(start >= 0 && end > start, path + " has no region " + name);
        return source.substring(start + open.length(), end);
    }

    private static Set<String> exampleFiles() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("docs/interop"))) {
            return s.filter(Files::isRegularFile).map(p -> "docs/interop/" + p.getFileName())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
