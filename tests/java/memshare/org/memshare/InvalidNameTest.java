package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memshare.facade.Memshare;

/** Names with '/', '\\', NUL, empty or too long are refused with InvalidNameException before any system call. */
class InvalidNameTest extends MemshareTestBase {

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "/lead", "a\\b", "nul\u0000here", ""})
    void invalidVariableNames(String bad) {
        Namespace space = Namespace.of(ns);
        assertThrows(InvalidNameException.class, () -> space.register(bad, new double[] {1}));
        assertThrows(InvalidNameException.class, () -> space.allocateVector(bad, ElementType.FLOAT64, 1));
        assertThrows(InvalidNameException.class, () -> space.view(bad));
        assertThrows(InvalidNameException.class, () -> space.metadata(bad));
        assertThrows(InvalidNameException.class, () -> Memshare.registerVariables(ns, Map.of(bad, new double[] {1})));
        assertThrows(InvalidNameException.class, () -> Memshare.retrieveViews(ns, bad));
        assertEquals(List.of(), Memshare.pageList());
        assertEquals(List.of(), Fixtures.shmEntries(ns));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "a\\b", "nul\u0000here", ""})
    void invalidNamespaceNames(String bad) {
        Namespace space = Namespace.of(bad);
        assertThrows(InvalidNameException.class, () -> space.register("v", new double[] {1}));
        assertThrows(InvalidNameException.class, () -> space.view("v"));
        assertThrows(InvalidNameException.class, () -> Memshare.registerVariables(bad, Map.of("v", new double[] {1})));
        assertEquals(List.of(), Memshare.pageList());
    }

    @Test
    void messageNamesTheOffendingName() {
        InvalidNameException e = assertThrows(InvalidNameException.class,
                () -> Namespace.of(ns).register("has/slash", new double[] {1}));
        assertTrue(e.getMessage().contains("has/slash"), e.getMessage());
        assertTrue(e.getMessage().contains("/"), e.getMessage());
    }

    @Test
    void tooLongForTheOs() {
        // Linux: the metadata segment name "<ns>.md.<var>" must fit in NAME_MAX (255).
        String longName = "v".repeat(300);
        assertThrows(InvalidNameException.class, () -> Namespace.of(ns).register(longName, new double[] {1}));
        assertThrows(InvalidNameException.class, () -> Namespace.of(ns).view(longName));
        assertEquals(List.of(), Fixtures.shmEntries(ns));
    }

    @Test
    void ordinaryPunctuationIsFine() {
        Namespace space = Namespace.of(ns);
        hold(space.register("x.y-z_1", new double[] {1, 2}));
        try (VectorView v = space.vector("x.y-z_1")) {
            assertEquals(2.0, v.get(1));
        }
        assertTrue(Fixtures.shmEntries(ns).contains(ns + ".x.y-z_1"));
    }
}
