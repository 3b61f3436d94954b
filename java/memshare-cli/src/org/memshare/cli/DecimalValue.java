package org.memshare.cli;

import java.math.BigInteger;

/**
 * The double nearest to {@code w * 10^q} (w: at most 19 decimal digits), correctly rounded, as
 * {@link Double#parseDouble} gives it: the byte scanner ({@link ByteChunk}) collects the digits
 * of a cell as it splits the row, and turns them into a double here, without a second pass over
 * the cell. Clinger's fast path where both factors are exact doubles; else the Eisel-Lemire
 * algorithm (Lemire, "Number parsing at a gigabyte per second", 2021, as fast_float implements it
 * for binary64). Where that cannot decide (subnormals, overflow, the rare ambiguous product) the
 * answer is NaN, and the caller parses the cell with FastDoubleParser instead: NaN is never the
 * value of digits.
 */
final class DecimalValue {
    private DecimalValue() {}

    private static final int SMALLEST_POWER = -342, LARGEST_POWER = 308;
    private static final double[] EXACT = new double[23];
    /** The 128-bit mantissa of 5^q (10^q: the same bits), high word then low word, for q in [-342, 308]. */
    private static final long[] POWERS = new long[2 * (LARGEST_POWER - SMALLEST_POWER + 1)];

    static {
        double p = 1;
        for (int i = 0; i < EXACT.length; i++, p *= 10) EXACT[i] = p;
        // fast_float's table, computed as its script does: 5^q truncated to its top 128 bits for
        // q >= 0; for q < 0, floor(2^b / 5^-q) + 1 with b large enough, truncated to 128 bits.
        BigInteger two128 = BigInteger.ONE.shiftLeft(128);
        for (int q = SMALLEST_POWER; q <= LARGEST_POWER; q++) {
            BigInteger c;
            if (q >= 0) {
                c = BigInteger.valueOf(5).pow(q);
                if (c.bitLength() < 128) c = c.shiftLeft(128 - c.bitLength());
                else c = c.shiftRight(c.bitLength() - 128);
            } else {
                BigInteger power5 = BigInteger.valueOf(5).pow(-q);
                int z = power5.bitLength();  // the least z with 2^z >= power5, but for a power of 5 (never a power of 2) bitLength
                int b = q >= -27 ? z + 127 : 2 * z + 128;
                c = BigInteger.ONE.shiftLeft(b).divide(power5).add(BigInteger.ONE);
                while (c.compareTo(two128) >= 0) c = c.shiftRight(1);
            }
            int i = 2 * (q - SMALLEST_POWER);
            POWERS[i] = c.shiftRight(64).longValue();
            POWERS[i + 1] = c.longValue();
        }
    }

    /** The double nearest to (-1 if negative) * w * 10^q, or NaN when this cannot tell it. */
    static double of(long w, int q, boolean negative) {
        if (w == 0) return negative ? -0.0 : 0.0;
        if (w >= 0 && w <= (1L << 53) && q >= 0 && q <= 22) {  // Clinger: one correctly rounded product of exact doubles
            double d = w * EXACT[q];
            return negative ? -d : d;
        }  // (w / 10^-q would be as exact, but a division takes longer than the two products below)
        if (q < SMALLEST_POWER || q > LARGEST_POWER) return Double.NaN;
        int lz = Long.numberOfLeadingZeros(w);
        w <<= lz;
        int index = 2 * (q - SMALLEST_POWER);
        long high = unsignedMultiplyHigh(w, POWERS[index]), low = w * POWERS[index];
        if ((high & 0x1FF) == 0x1FF) {  // the product's low bits could carry into the mantissa: add the next word's
            long secondHigh = unsignedMultiplyHigh(w, POWERS[index + 1]);
            low += secondHigh;
            if (Long.compareUnsigned(secondHigh, low) > 0) high++;
            if (low == -1L && (q < -27 || q > 55)) return Double.NaN;  // still undecided: the slow path decides
        }
        int upper = (int) (high >>> 63);
        int shift = upper + 9;
        long mantissa = high >>> shift;
        int power2 = (((152170 + 65536) * q) >> 16) + 63 + upper - lz + 1023;
        if (power2 <= 0) return Double.NaN;  // subnormal
        // Round half to even: exactly halfway (possible only for small q) rounds down when even.
        if (Long.compareUnsigned(low, 1) <= 0 && q >= -4 && q <= 23 && (mantissa & 3) == 1 && (mantissa << shift) == high)
            mantissa &= ~1L;
        mantissa += mantissa & 1;
        mantissa >>>= 1;
        if (mantissa >= (2L << 52)) {
            mantissa = 1L << 52;
            power2++;
        }
        mantissa &= ~(1L << 52);
        if (power2 >= 0x7FF) return Double.NaN;  // overflow: the slow path says infinity
        double d = Double.longBitsToDouble((long) power2 << 52 | mantissa);
        return negative ? -d : d;
    }

    /** The high 64 bits of the unsigned 128-bit product (Math.unsignedMultiplyHigh is Java 18). */
    private static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + (a >> 63 & b) + (b >> 63 & a);
    }
}
