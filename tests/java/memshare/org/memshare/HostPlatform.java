package org.memshare;

import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * This machine's platform id, worked out without the loader's own os.name/os.arch mapping (which
 * tests check against it): from the ELF header of the running JVM's executable.
 */
public final class HostPlatform {
    private HostPlatform() {}

    /** {@code linux-x86_64} or {@code linux-aarch64}; fails elsewhere. */
    public static String linuxId() throws IOException {
        try (RandomAccessFile exe = new RandomAccessFile("/proc/self/exe", "r")) {
            exe.seek(18);   // e_machine, little-endian
            int machine = exe.read() | exe.read() << 8;
            switch (machine) {
                case 62: return "linux-x86_64";
                case 183: return "linux-aarch64";
                default: throw new IOException("unknown ELF machine " + machine + " in /proc/self/exe");
            }
        }
    }
}
