package org.memshare;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test that starts another process (a child JVM, python3, prlimit, ...). scripts/package
 * runs the suite once more in an arm64 JVM under qemu-user, which cannot start programs (no
 * binfmt_misc there), and leaves these out: {@code --exclude-tag starts-processes}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("starts-processes")
public @interface StartsProcesses {}
