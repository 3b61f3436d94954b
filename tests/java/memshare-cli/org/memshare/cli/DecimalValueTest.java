package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link DecimalValue} against the JDK's own, correctly rounded {@link Double#parseDouble} (an
 * implementation independent of it): the same bits for every value it answers, and an answer
 * (not NaN, "ask FastDoubleParser") for all but subnormals, overflow and the rare ambiguous case.
 */
class DecimalValueTest {
    /** w (unsigned) * 10^q as text, for the JDK to parse. */
    private static String text(long w, int q) {
        return Long.toUnsignedString(w) + "e" + q;
    }

    private static void check(long w, int q, boolean negative) {
        double got = DecimalValue.of(w, q, negative);
        if (Double.isNaN(got)) return;  // the caller then asks FastDoubleParser
        double expected = Double.parseDouble((negative ? "-" : "") + text(w, q));
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(got), (negative ? "-" : "") + text(w, q));
    }

    @Test
    void literals() {
        assertEquals(0.1, DecimalValue.of(1, -1, false));
        assertEquals(-0.30471707975443135, DecimalValue.of(30471707975443135L, -17, true));
        assertEquals(9007199254740992.0, DecimalValue.of(9007199254740993L, 0, false));  // halfway: to even
        assertEquals(9007199254740996.0, DecimalValue.of(9007199254740995L, 0, false));  // halfway: to even, up
        assertEquals(1e23, DecimalValue.of(1, 23, false));
        assertEquals(1.7976931348623157e308, DecimalValue.of(17976931348623157L, 292, false));
        assertEquals(2.2250738585072014E-308, DecimalValue.of(22250738585072014L, -324, false));
        assertEquals(1.8446744073709552E19, DecimalValue.of(-1L, 0, false));  // 2^64 - 1, unsigned
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(DecimalValue.of(0, 5, true)));
        assertTrue(Double.isNaN(DecimalValue.of(49, -325, false)), "subnormal: left to FastDoubleParser");
        assertTrue(Double.isNaN(DecimalValue.of(1, 400, false)), "overflow: left to FastDoubleParser");
    }

    /** What the writers write: shortest reprs (pandas, Java), %.15g (R), %.17g, %e, of doubles across the range. */
    @Test
    void printedDoubles() {
        Random random = new Random(7);
        int answered = 0, total = 0;
        for (int i = 0; i < 300_000; i++) {
            double x = i % 3 == 0 ? random.nextGaussian() : Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL);
            for (String printed : new String[] {Double.toString(x), String.format("%.15g", x), String.format("%.17g", x),
                String.format("%e", x)}) {
                BigDecimal d = new BigDecimal(printed.replace("Infinity", "1e999"));
                BigDecimal unscaled = new BigDecimal(d.unscaledValue().abs());
                if (unscaled.precision() > 19) continue;  // more digits than the scanner collects
                long w = d.unscaledValue().abs().longValue();
                int q = -d.scale();
                total++;
                if (!Double.isNaN(DecimalValue.of(w, q, d.signum() < 0))) answered++;
                check(w, q, d.signum() < 0);
            }
        }
        assertTrue(answered > 0.95 * total, answered + " of " + total + " answered");
    }

    /** Random digits (1 to 19 of them) at random powers of ten, and the neighbours of halfway points. */
    @Test
    void randomDigitsAndExponents() {
        Random random = new Random(11);
        for (int i = 0; i < 1_000_000; i++) {
            int digits = 1 + random.nextInt(19);
            long w = 0;
            for (int k = 0; k < digits; k++) w = 10 * w + random.nextInt(10);
            check(w, random.nextInt(700) - 360, random.nextBoolean());
        }
        for (int e = 53; e < 64; e++)
            for (long delta = -3; delta <= 3; delta++) {
                long w = (1L << e) + delta;
                check(w, 0, false);
                check(w, -1, false);
                check(w * 5 + 1, -1, false);
            }
    }
}
