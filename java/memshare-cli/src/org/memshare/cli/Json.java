package org.memshare.cli;

import java.util.List;
import java.util.Map;

/** {@code memshare select --format json}: the whole ranking as one JSON object (RFC 8259). */
final class Json {
    private Json() {}

    /**
     * {@code {"source":..., "observations":n, "target":..., "target_discrete":b, "features":[{"rank":1,
     * "feature":..., "mi_nats":x, "mi_bits":x}, ...]}}, every feature in rank order; numbers at full
     * precision (they read back to the same double), a value that is not a number as {@code null}.
     */
    static String ranking(FeatureData data, List<String> ranked, Map<String, Integer> index, double[] mi) {
        StringBuilder sb = new StringBuilder(64 + 80 * ranked.size());
        sb.append("{\"source\":").append(string(data.source())).append(",\"observations\":").append(data.rows())
                .append(",\"target\":").append(string(data.targetName())).append(",\"target_discrete\":")
                .append(data.targetDiscrete()).append(",\"features\":[");
        for (int r = 0; r < ranked.size(); r++) {
            double v = mi[index.get(ranked.get(r))];
            if (r > 0) sb.append(',');
            sb.append("{\"rank\":").append(r + 1).append(",\"feature\":").append(string(ranked.get(r))).append(",\"mi_nats\":")
                    .append(number(v)).append(",\"mi_bits\":").append(number(org.memshare.mi.MutualInfo.toBits(v))).append('}');
        }
        return sb.append("]}").toString();
    }

    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    static String string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
