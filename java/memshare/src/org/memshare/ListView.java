package org.memshare;

import java.util.List;
import org.memshare.internal.HandleState;

/**
 * A read-only view of a shared list of vectors and matrices. Its elements are views that live as
 * long as the list: closing the list closes them; closing an element alone does nothing.
 */
public final class ListView extends View {
    private final List<ArrayView> elements;

    ListView(VariableInfo info, HandleState state, List<ArrayView> elements) {
        super(info, state, true, null);
        this.elements = List.copyOf(elements);
        for (ArrayView e : this.elements) e.parent = this;
    }

    /** Number of elements. */
    public int size() {
        return elements.size();
    }

    /** Element {@code index} (a {@link MatrixView} or {@link VectorView}). */
    public ArrayView get(int index) {
        state.checkOpen();
        return elements.get(index);
    }

    /** All elements in order. */
    public List<ArrayView> elements() {
        state.checkOpen();
        return elements;
    }
}
