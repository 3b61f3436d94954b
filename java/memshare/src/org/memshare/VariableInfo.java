package org.memshare;

import java.util.List;

/**
 * What a shared variable is, as its metadata segment says: the Java counterpart of R's
 * {@code retrieveMetadata} result, and one row of {@link Namespace#allPages()}-style listings.
 *
 * @param namespace   the namespace
 * @param name        the variable name
 * @param kind        matrix, vector or list
 * @param elementType the type of every value
 * @param shape       the array's shape (matrix or vector); {@code null} for a list
 * @param elements    a list's element shapes in order; empty for an array
 * @param sizeBytes   size of the data segment in bytes
 * @param ownerPid    pid of the creating process, or 0 when unknown (segments written by R)
 * @param references  in {@link Namespace#allViews()} listings: open view references to it in this
 *                    process; in listings of pages, and in a handle's own {@code info()}: 1
 */
public record VariableInfo(String namespace, String name, VariableKind kind, ElementType elementType, Shape shape,
                           List<Shape> elements, long sizeBytes, long ownerPid, long references) {
    /** Copies the element list. */
    public VariableInfo {
        elements = List.copyOf(elements);
    }

    /** Rows of a matrix, length of a vector, number of elements of a list (R's {@code nrow} / {@code n}). */
    public long nrow() {
        return shape != null ? shape.nrow() : elements.size();
    }

    /** Columns of a matrix; 1 for a vector; 0 for a list. */
    public long ncol() {
        return shape != null ? shape.ncol() : 0;
    }

    /** R's name of the data segment, {@code <namespace>.<name>}. */
    public String qualifiedName() {
        return namespace + "." + name;
    }

    @Override
    public String toString() {
        String what = shape != null ? shape.toString() : "list of " + elements.size();
        return qualifiedName() + ": " + elementType.name().toLowerCase() + " " + what + ", " + sizeBytes + " bytes";
    }
}
