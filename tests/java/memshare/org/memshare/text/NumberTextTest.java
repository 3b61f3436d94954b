package org.memshare.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.memshare.ArrayPage;
import org.memshare.ElementType;
import org.memshare.Namespace;

/**
 * The library's native text readers through their Java API: a table parsed straight into the
 * columns of a shared page, the outcome and offset of a declined record, the record scan's
 * counts, and the checks that keep a native write inside its buffers.
 */
class NumberTextTest {
    private static ByteBuffer direct(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocateDirect(b.length).put(b).flip();
    }

    private static DoubleBuffer doubles(int n) {
        return ByteBuffer.allocateDirect(Double.BYTES * n).order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }

    @Test
    void parsesATableIntoTheColumnsOfASharedPage() {
        NumberText.Plan plan = new NumberText.Plan(',', '.', List.of(NumberText.Cell.SKIP, NumberText.Cell.NUMBER, NumberText.Cell.NUMBER_OR_MISSING));
        try (Namespace ns = Namespace.of("numbertext" + ProcessHandle.current().pid())) {
            ArrayPage page = ns.allocateMatrix("X", ElementType.FLOAT64, 3, 2);
            NumberText.Columns into = NumberText.Columns.of(plan, Arrays.asList(null, page.column(0), page.column(1)), 3);
            String text = ",a,b\n0,1.5,NA\n1,-2e-3,\n2,7,0.25\n";
            NumberText.Result r = NumberText.parse(direct(text), true, true, plan, into, 0);
            assertEquals(new NumberText.Result(NumberText.Outcome.PARSED, text.length(), 3, 0), r);
            DoubleBuffer a = page.column(0), b = page.column(1);
            assertEquals(List.of(1.5, -2e-3, 7.0), List.of(a.get(0), a.get(1), a.get(2)));
            assertTrue(Double.isNaN(b.get(0)) && Double.isNaN(b.get(1)));
            assertEquals(0.25, b.get(2));
            page.close();
        }
    }

    @Test
    void aDeclinedRecordIsNamedByItsOffset() {
        NumberText.Plan plan = new NumberText.Plan(';', ',', List.of(NumberText.Cell.NUMBER, NumberText.Cell.NUMBER));
        NumberText.Columns into = NumberText.Columns.of(plan, List.of(doubles(3), doubles(3)), 3);
        NumberText.Result r = NumberText.parse(direct("1,5;2\n3;NA\n"), true, false, plan, into, 0);
        assertEquals(NumberText.Outcome.MISSING_WHERE_FINITE, r.outcome());
        assertEquals(6, r.at());
        assertEquals(1, r.rows());
    }

    @Test
    void theRecordScanCountsRecordsAcrossPieces() {
        RecordScan scan = new RecordScan(false);
        String text = "a,b\n1,\"x\ny\"\n2,3\n";
        scan.feed(direct(text.substring(0, 7)), 0);
        scan.feed(direct(text.substring(7)), 7);
        assertEquals(4, scan.firstEnd());
        assertEquals(2, scan.recordsAfter());
        assertEquals(4, scan.newlines());
        assertEquals(2, scan.quotes());
        assertTrue(!scan.quoted() && !scan.content());
    }

    @Test
    void outputsThatANativeWriteCouldOverrunAreRefused() {
        NumberText.Plan plan = new NumberText.Plan(',', '.', List.of(NumberText.Cell.NUMBER));
        assertThrows(IllegalArgumentException.class, () -> NumberText.Columns.of(plan, List.of(DoubleBuffer.allocate(4)), 4));  // heap
        assertThrows(IllegalArgumentException.class, () -> NumberText.Columns.of(plan, List.of(doubles(4).asReadOnlyBuffer()), 4));
        assertThrows(IllegalArgumentException.class, () -> NumberText.Columns.of(plan, List.of(doubles(3)), 4));  // too short
        assertThrows(IllegalArgumentException.class, () -> NumberText.Columns.of(plan, List.of(ByteBuffer.allocateDirect(32)
                .order(ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN).asDoubleBuffer()), 4));
        assertThrows(IllegalArgumentException.class, () -> NumberText.Columns.of(plan, Arrays.asList((DoubleBuffer) null), 4));
        assertThrows(IllegalArgumentException.class, () -> new NumberText.Plan(',', ',', List.of()));
        assertThrows(IllegalArgumentException.class, () -> new NumberText.Plan('"', '.', List.of()));
        NumberText.Columns into = NumberText.Columns.of(plan, List.of(doubles(4)), 4);
        assertThrows(IllegalArgumentException.class, () -> NumberText.parse(ByteBuffer.wrap(new byte[4]), true, false, plan, into, 0));
        assertThrows(IllegalArgumentException.class, () -> NumberText.parse(direct("1\n"), true, false, plan, into, 5));
        // A row more than the outputs hold is declined, not written.
        NumberText.Result r = NumberText.parse(direct("1\n2\n3\n4\n5\n"), true, false, plan, into, 0);
        assertEquals(NumberText.Outcome.ROW_COUNT, r.outcome());
        assertEquals(4, r.rows());
    }
}
