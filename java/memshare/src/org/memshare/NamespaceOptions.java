package org.memshare;

/**
 * How a {@link Namespace} creates pages and accepts views.
 *
 * @param mode               permission bits of the segments it creates; 0600 (owner only) by
 *                           default. Widen (e.g. 0644) only to share with other users.
 * @param allowForeignOwners accept views of segments owned by another user (off by default: a
 *                           segment under our name that someone else created is refused)
 */
public record NamespaceOptions(int mode, boolean allowForeignOwners) {
    /** Owner-only segments; views of this user's segments only. */
    public static final NamespaceOptions DEFAULT = new NamespaceOptions(0600, false);

    /** Validates the mode. */
    public NamespaceOptions {
        if ((mode & ~0777) != 0) throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " is not a permission mask (0 to 0777)");
        if ((mode & 0600) != 0600) throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " must let the owner read and write (0600)");
    }

    /** These options with other permission bits. */
    public NamespaceOptions withMode(int mode) {
        return new NamespaceOptions(mode, allowForeignOwners);
    }

    /** These options accepting (or not) segments owned by other users. */
    public NamespaceOptions withForeignOwners(boolean allow) {
        return new NamespaceOptions(mode, allow);
    }
}
