package org.memshare.interop;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.memshare.facade.Memshare;

/**
 * Runs a test only where the other-language program it needs is installed, skipping it otherwise
 * with the reason also printed on stdout (a skip is easy to miss in a summary, and what to install
 * is the useful part); gives each test its own namespace and checks that nothing of it is left.
 */
abstract class InteropTestBase {
    /** Per test class: why its program cannot run here, or "" if it can. */
    private static final Map<Class<?>, String> MISSING = new ConcurrentHashMap<>();
    protected String ns;

    /** Why this class's program cannot run here (naming what to install), or "" if it can. */
    abstract String missing() throws Exception;

    @BeforeEach
    void requireTheProgram() throws Exception {
        String why = MISSING.get(getClass());
        if (why == null) {
            why = missing();
            MISSING.put(getClass(), why);
            if (!why.isEmpty()) System.out.println(getClass().getSimpleName() + " skipped: " + why);
        }
        Assumptions.assumeTrue(why.isEmpty(), why);
        ns = Interop.uniqueNamespace();
    }

    @AfterEach
    void nothingLeft() throws IOException {
        Memshare.releaseAll();
        if (ns != null) Interop.assertNoShmEntries(ns);
    }
}
