package org.memshare;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.memshare.facade.Memshare;

/**
 * Gives each test its own namespace and, after it, releases everything this JVM holds and checks
 * that nothing of that namespace is left in /dev/shm.
 */
abstract class MemshareTestBase {
    /** This test's namespace, unique across tests and JVMs. */
    protected String ns;
    /** Pages kept strongly reachable for the whole test (a dropped page is released by the Cleaner). */
    private final List<Page> held = new ArrayList<>();

    /** Keeps {@code page} reachable until the test ends; returns it. */
    protected <T extends Page> T hold(T page) {
        held.add(page);
        return page;
    }

    @BeforeEach
    void newNamespace() {
        ns = Fixtures.uniqueNamespace();
    }

    @AfterEach
    void releaseAllAndCheckShm() {
        Memshare.releaseAll();
        held.clear();
        Fixtures.assertNoShmEntries(ns);
    }
}
