package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.memshare.facade.Memshare;

/** Duplicate registration and unknown variables: typed exceptions naming the namespace and variable. */
class NotFoundAndDuplicateTest extends MemshareTestBase {

    private void assertNames(MemshareException e, String var) {
        assertEquals(ns, e.namespace(), "namespace() of " + e);
        assertEquals(var, e.variable(), "variable() of " + e);
        assertTrue(e.getMessage().contains(ns), "message names the namespace: " + e.getMessage());
        assertTrue(e.getMessage().contains(var), "message names the variable: " + e.getMessage());
    }

    @Test
    void duplicateRegistrationThroughTheFacade() {
        Memshare.registerVariables(ns, Map.of("dup", new double[] {1, 2}));
        AlreadyRegisteredException e = assertThrows(AlreadyRegisteredException.class,
                () -> Memshare.registerVariables(ns, Map.of("dup", new double[] {3})));
        assertNames(e, "dup");
        // The first registration is untouched.
        try (VectorView v = Namespace.of(ns).vector("dup")) {
            assertEquals(2, v.length());
            assertEquals(2.0, v.get(1));
        }
    }

    @Test
    void duplicateRegistrationThroughNamespaceAndAllocate() {
        Namespace space = Namespace.of(ns);
        hold(space.register("d", new int[] {1}));
        assertNames(assertThrows(AlreadyRegisteredException.class, () -> space.register("d", new int[] {2})), "d");
        assertNames(assertThrows(AlreadyRegisteredException.class,
                () -> space.allocateMatrix("d", ElementType.FLOAT64, 2, 2)), "d");
        assertEquals(List.of(ns + ".d"), Memshare.pageList());
    }

    @Test
    void failedRegisterVariablesReleasesWhatItRegistered() {
        Memshare.registerVariables(ns, Map.of("taken", new double[] {1}));
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("fresh", new double[] {1, 2, 3});
        vars.put("taken", new double[] {4});
        assertThrows(AlreadyRegisteredException.class, () -> Memshare.registerVariables(ns, vars));
        assertEquals(List.of(ns + ".taken"), Memshare.pageList());
        assertFalse(Namespace.of(ns).exists("fresh"));
        assertEquals(List.of(ns + ".md.taken", ns + ".taken"), Fixtures.shmEntries(ns));
    }

    @StartsProcesses
    @Test
    void nameTakenByAnotherProcessIsAlreadyRegistered() throws Exception {
        Process child = Fixtures.startChild("own", ns, "x", "3");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
             PrintStream in = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8)) {
            assertEquals("OWNED", out.readLine());
            AlreadyRegisteredException e = assertThrows(AlreadyRegisteredException.class,
                    () -> Namespace.of(ns).register("x", new double[] {9}));
            assertNames(e, "x");
            assertEquals(List.of(), Memshare.pageList());
            in.println("EXIT");
            assertEquals("BYE", out.readLine());
        } finally {
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child exits");
        }
        assertEquals(0, child.exitValue());
    }

    @Test
    void releaseVariablesOfUnknownVariable() {
        assertNames(assertThrows(VariableNotFoundException.class, () -> Memshare.releaseVariables(ns, "nope")), "nope");
        assertNames(assertThrows(VariableNotFoundException.class, () -> Namespace.of(ns).release("nope")), "nope");
    }

    @Test
    void releaseVariablesTwice() {
        Memshare.registerVariables(ns, Map.of("once", new double[] {1}));
        Memshare.releaseVariables(ns, "once");
        assertNames(assertThrows(VariableNotFoundException.class, () -> Memshare.releaseVariables(ns, "once")), "once");
    }

    @Test
    void releaseViewsOfUnknownOrUnviewedVariable() {
        assertNames(assertThrows(VariableNotFoundException.class, () -> Memshare.releaseViews(ns, "nope")), "nope");
        Memshare.registerVariables(ns, Map.of("page", new double[] {1}));
        // Registered here, but no view of it is held.
        assertNames(assertThrows(VariableNotFoundException.class, () -> Memshare.releaseViews(ns, "page")), "page");
    }

    @Test
    void retrieveViewsOfUnknownVariable() {
        assertNames(assertThrows(VariableNotFoundException.class, () -> Memshare.retrieveViews(ns, "nope")), "nope");
        assertNames(assertThrows(VariableNotFoundException.class, () -> Namespace.of(ns).view("nope")), "nope");
        assertNames(assertThrows(VariableNotFoundException.class, () -> Memshare.retrieveMetadata(ns, "nope")), "nope");
        assertFalse(Namespace.of(ns).exists("nope"));
    }

    @Test
    void retrieveViewsIsAllOrNothing() {
        Memshare.registerVariables(ns, Map.of("a", new double[] {1}));
        VariableNotFoundException e = assertThrows(VariableNotFoundException.class,
                () -> Memshare.retrieveViews(ns, "a", "missing"));
        assertNames(e, "missing");
        assertEquals(List.of(), Memshare.viewList());
    }

    @Test
    void typedViewOfTheWrongKindIsRefusedAndReleased() {
        Namespace space = Namespace.of(ns);
        hold(space.register("v", new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> space.matrix("v"));
        assertThrows(IllegalArgumentException.class, () -> space.list("v"));
        assertEquals(List.of(), Memshare.viewList());
    }
}
