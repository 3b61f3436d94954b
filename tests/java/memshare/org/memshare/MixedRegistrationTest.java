package org.memshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memshare.facade.Memshare;

/**
 * A map of name to data holds values of mixed types, so the facade's registerVariables (and
 * Namespace.registerAll under it) is the one place that dispatches at run time: every accepted
 * type reaches its typed overload, anything else is refused naming the variable and the types.
 */
class MixedRegistrationTest extends MemshareTestBase {

    @Test
    void everyAcceptedTypeInOneMap() {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("d", new double[] {1, 2});
        vars.put("f", new float[] {1});
        vars.put("l", new long[] {1, 2, 3});
        vars.put("i", new int[] {4});
        vars.put("b", new byte[] {5, 6});
        vars.put("m", Matrix.of(2, 1, new int[] {7, 8}));
        vars.put("L", List.of(new double[] {1}, Matrix.of(1, 2, new double[] {2, 3})));
        Memshare.registerVariables(ns, vars);
        Map<String, VariableInfo> info = Memshare.retrieveMetadata(ns, "d", "f", "l", "i", "b", "m", "L");
        assertEquals(ElementType.FLOAT64, info.get("d").elementType());
        assertEquals(ElementType.FLOAT32, info.get("f").elementType());
        assertEquals(ElementType.INT64, info.get("l").elementType());
        assertEquals(Shape.vector(3), info.get("l").shape());
        assertEquals(ElementType.INT32, info.get("i").elementType());
        assertEquals(ElementType.INT8, info.get("b").elementType());
        assertEquals(Shape.matrix(2, 1), info.get("m").shape());
        assertEquals(VariableKind.LIST, info.get("L").kind());
        assertEquals(2, info.get("L").elements().size());
    }

    @Test
    void anUnacceptedValueIsRefusedNamingTheVariableAndTheTypes() {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("first", new double[] {1});
        vars.put("words", "not data");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Memshare.registerVariables(ns, vars));
        assertTrue(e.getMessage().contains("'words'"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
        assertTrue(e.getMessage().contains("double[], float[], long[], int[], byte[], Matrix, or a List"), e.getMessage());
        assertEquals(List.of(), Memshare.pageList(), "all or nothing: 'first' is released again");
    }

    @Test
    void aTwoDimensionalArrayPointsToMatrixFromRows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Namespace.of(ns).registerAll(Map.of("rows", new double[][] {{1, 2}, {3, 4}})));
        assertTrue(e.getMessage().contains("'rows'") && e.getMessage().contains("Matrix.fromRows"), e.getMessage());
    }

    @Test
    void aNullValueNamesTheVariable() {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("nothing", null);
        NullPointerException e = assertThrows(NullPointerException.class, () -> Memshare.registerVariables(ns, vars));
        assertTrue(e.getMessage().contains("'nothing'"), e.getMessage());
    }
}
