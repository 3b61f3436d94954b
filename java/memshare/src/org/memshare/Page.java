package org.memshare;

import org.memshare.internal.ArrayAccess;
import org.memshare.internal.HandleState;

/**
 * A variable this process owns. Releasing it (close) removes its names, so no new view can
 * attach, and unmaps it here; views other processes already hold stay valid until they close.
 * The {@link Namespace} it was registered through holds it while that object is reachable (the
 * facade's namespaces for the life of the JVM); a page nobody holds any more is released by a
 * Cleaner.
 */
public class Page extends SharedHandle {
    Page(VariableInfo info, HandleState state, ArrayAccess access) {
        super(info, state, access);
    }
}
