/**
 * The R-named facade: {@link org.memshare.facade.Memshare} offers R memshare's functions
 * ({@code registerVariables}, {@code retrieveViews}, {@code memApply}, {@code mutualinfo}, ...)
 * as one-line adapters over the object API of {@code org.memshare}, {@code org.memshare.apply}
 * and {@code org.memshare.mi}. It sits in a package of its own, on top, so that nothing below
 * depends on it and the packages form no cycle.
 */
package org.memshare.facade;
