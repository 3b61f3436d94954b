package org.memshare;

/**
 * The shape of one array: a vector ({@code ncol == 1}) or a column-major matrix.
 *
 * @param kind {@link VariableKind#MATRIX} or {@link VariableKind#VECTOR}
 * @param nrow number of rows (a vector's length)
 * @param ncol number of columns (1 for a vector)
 */
public record Shape(VariableKind kind, long nrow, long ncol) {
    /** Validates the fields. */
    public Shape {
        if (kind == VariableKind.LIST) throw new IllegalArgumentException("a shape is a vector or a matrix, not a list");
        if (nrow < 0 || ncol < 0) throw new IllegalArgumentException("negative dimension " + nrow + "x" + ncol);
        if (kind == VariableKind.VECTOR && ncol != 1) throw new IllegalArgumentException("a vector has one column");
    }

    /** A vector of length {@code n}. */
    public static Shape vector(long n) {
        return new Shape(VariableKind.VECTOR, n, 1);
    }

    /** A matrix of {@code nrow} by {@code ncol}. */
    public static Shape matrix(long nrow, long ncol) {
        return new Shape(VariableKind.MATRIX, nrow, ncol);
    }

    /** Number of values, {@code nrow * ncol}. */
    public long length() {
        return Math.multiplyExact(nrow, ncol);
    }

    @Override
    public String toString() {
        return kind == VariableKind.MATRIX ? nrow + "x" + ncol + " matrix" : "vector of " + nrow;
    }
}
