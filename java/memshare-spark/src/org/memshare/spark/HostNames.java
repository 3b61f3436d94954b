package org.memshare.spark;

import java.nio.charset.StandardCharsets;

/**
 * Names of the host copies: {@code ms<hash of the application id, 8 base-36 digits>_<sequence>}.
 * Deterministic, so that every executor of the application finds the same segments; short, so
 * that {@code <namespace>.md.x} stays within macOS's 31 characters for a billion matrices.
 */
final class HostNames {
    private HostNames() {}

    /** The namespace of matrix number {@code sequence} of application {@code appId}. */
    static String namespace(String appId, long sequence) {
        return prefix(appId) + Long.toString(sequence, 36);
    }

    /** What every namespace of application {@code appId} starts with. */
    static String prefix(String appId) {
        long h = 0xcbf29ce484222325L;  // FNV-1a, 64 bits: stable across JVMs, unlike String.hashCode's 32
        for (byte b : appId.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        String digits = Long.toString(h >>> 23, 36);  // 41 bits: 8 digits at most
        return "ms" + "0".repeat(8 - digits.length()) + digits + "_";
    }
}
