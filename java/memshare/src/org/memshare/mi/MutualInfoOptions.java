package org.memshare.mi;

/**
 * Flags of {@link MutualInfo#mutualinfo}, named as in R's {@code memshare::mutualinfo}.
 *
 * @param xDiscrete R's {@code isXDiscrete}: every distinct value of x is a category
 * @param yDiscrete R's {@code isYDiscrete}
 * @param naRm      R's {@code na.rm}: drop the positions where x or y is not finite
 * @param useMpmi   R's {@code useMPMI}: the Epanechnikov-kernel estimate of {@code mpmi::cmi},
 *                  treating both variables as continuous
 */
public record MutualInfoOptions(boolean xDiscrete, boolean yDiscrete, boolean naRm, boolean useMpmi)
        implements java.io.Serializable {
    // The bits of flags(); the native library owns them (native/jni/contract.hpp) and refuses
    // to load if these differ.
    private static final int X_DISCRETE = 1;
    private static final int Y_DISCRETE = 2;
    private static final int NA_RM = 4;
    private static final int USE_MPMI = 8;

    /** Both continuous, no NA removal, PDE estimate. */
    public static final MutualInfoOptions DEFAULT = new MutualInfoOptions(false, false, false, false);

    /** With x discrete or not. */
    public MutualInfoOptions withXDiscrete(boolean discrete) {
        return new MutualInfoOptions(discrete, yDiscrete, naRm, useMpmi);
    }

    /** With y discrete or not. */
    public MutualInfoOptions withYDiscrete(boolean discrete) {
        return new MutualInfoOptions(xDiscrete, discrete, naRm, useMpmi);
    }

    /** With NA removal or not. */
    public MutualInfoOptions withNaRm(boolean naRm) {
        return new MutualInfoOptions(xDiscrete, yDiscrete, naRm, useMpmi);
    }

    /** With the kernel estimate or not. */
    public MutualInfoOptions withMpmi(boolean useMpmi) {
        return new MutualInfoOptions(xDiscrete, yDiscrete, naRm, useMpmi);
    }

    /** The flags as the bit set the native layer takes. */
    int flags() {
        return (xDiscrete ? X_DISCRETE : 0) | (yDiscrete ? Y_DISCRETE : 0) | (naRm ? NA_RM : 0) | (useMpmi ? USE_MPMI : 0);
    }
}
