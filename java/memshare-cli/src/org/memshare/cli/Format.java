package org.memshare.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.memshare.SegmentInfo;
import org.memshare.Shape;
import org.memshare.VariableInfo;

/** Text formatting shared by the commands: sizes, ages, modes, users, tables. */
final class Format {
    private static Map<Integer, String> users;

    private Format() {}

    /** 1536 -> "1.5 KiB"; exact bytes below 1 KiB. */
    static String size(long bytes) {
        if (bytes < 0) return "-";
        if (bytes < 1024) return bytes + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < units.length - 1);
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    /** A duration as "42s", "5m", "3h12m", "2d4h". */
    static String age(Duration d) {
        if (d == null) return "-";
        long s = Math.max(0, d.getSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return s / 60 + "m";
        if (s < 86400) return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
        return s / 86400 + "d" + (s % 86400 / 3600 == 0 ? "" : s % 86400 / 3600 + "h");
    }

    /** 0644 -> "rw-r--r--"; -1 -> "-". */
    static String mode(int mode) {
        if (mode < 0) return "-";
        StringBuilder sb = new StringBuilder(9);
        String rwx = "rwx";
        for (int bit = 8; bit >= 0; bit--) sb.append((mode & (1 << bit)) != 0 ? rwx.charAt(2 - bit % 3) : '-');
        return sb.toString();
    }

    /** 420 -> "0644". */
    static String octal(int mode) {
        return mode < 0 ? "-" : String.format(Locale.ROOT, "%04o", mode);
    }

    /** The user name of a uid from /etc/passwd, else the number. */
    static synchronized String user(int uid) {
        if (uid < 0) return "-";
        if (users == null) {
            users = new HashMap<>();
            try {
                for (String line : Files.readAllLines(Paths.get("/etc/passwd"))) {
                    String[] f = line.split(":", -1);
                    if (f.length > 2) {
                        try {
                            users.putIfAbsent(Integer.parseInt(f[2]), f[0]);
                        } catch (NumberFormatException ignored) {
                            // not a passwd line
                        }
                    }
                }
            } catch (IOException | RuntimeException ignored) {
                // no passwd: numbers only
            }
        }
        return users.getOrDefault(uid, Integer.toString(uid));
    }

    /** "matrix", "vector", "list" or "?". */
    static String kind(VariableInfo info) {
        return info == null ? "?" : info.kind().name().toLowerCase(Locale.ROOT);
    }

    /** "float64" etc., or "?". */
    static String type(VariableInfo info) {
        return info == null ? "?" : info.elementType().name().toLowerCase(Locale.ROOT);
    }

    /** "2x3", "5", "3 elements", or "?". */
    static String dims(VariableInfo info) {
        if (info == null) return "?";
        Shape s = info.shape();
        if (s == null) return info.elements().size() + (info.elements().size() == 1 ? " element" : " elements");
        return s.kind() == org.memshare.VariableKind.MATRIX ? s.nrow() + "x" + s.ncol() : Long.toString(s.nrow());
    }

    /** Who created it: the pid, or "-" when unknown. */
    static String ownerPid(SegmentInfo s) {
        return s.owner() == null ? "-" : Long.toString(s.owner().pid());
    }

    /** "alive", "dead", or why unknown ("R" for trailerless data). */
    static String liveness(SegmentInfo s) {
        if (s.owner() != null) return s.ownerState().name().toLowerCase(Locale.ROOT);
        if (s.info() != null) return "unknown (no trailer)";
        return "unknown";
    }

    /** Left-aligned columns separated by two spaces; the last column is not padded. */
    static List<String> table(List<String[]> rows) {
        int cols = rows.isEmpty() ? 0 : rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows)
            for (int c = 0; c < cols; c++) width[c] = Math.max(width[c], r[c].length());
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                if (c > 0) sb.append("  ");
                sb.append(c == cols - 1 ? r[c] : String.format(Locale.ROOT, "%-" + width[c] + "s", r[c]));
            }
            out.add(sb.toString().stripTrailing());
        }
        return out;
    }
}
