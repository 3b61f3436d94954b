package org.memshare.apply;

/** Which vectors of a matrix {@code memApply} hands to the function: R's {@code MARGIN} 1 or 2. */
public enum Margin {
    /** Each row (R's {@code MARGIN = 1}); rows are gathered into a per-worker buffer. */
    ROWS,
    /** Each column (R's {@code MARGIN = 2}); columns are passed zero-copy. */
    COLUMNS
}
