package org.memshare;

import java.util.ArrayList;
import java.util.List;
import org.memshare.internal.NativeAttachment;

/** Converts what the native layer reports into {@link VariableInfo}. */
final class Infos {
    private Infos() {}

    static VariableInfo of(NativeAttachment a) {
        VariableKind kind = VariableKind.fromCode(a.kind);
        List<Shape> elements = new ArrayList<>();
        Shape shape = null;
        if (kind == VariableKind.LIST) {
            for (int i = 0; i + 2 < a.elementShapes.length; i += 3)
                elements.add(new Shape(VariableKind.fromCode((int) a.elementShapes[i]), a.elementShapes[i + 1], a.elementShapes[i + 2]));
        } else {
            shape = new Shape(kind, a.nrow, a.ncol);
        }
        return new VariableInfo(a.namespace, a.variable, kind, ElementType.fromCode(a.elementType), shape, elements,
                a.sizeBytes, a.ownerPid, a.references);
    }

    static List<VariableInfo> of(NativeAttachment[] all) {
        List<VariableInfo> out = new ArrayList<>(all.length);
        for (NativeAttachment a : all) out.add(of(a));
        return out;
    }
}
