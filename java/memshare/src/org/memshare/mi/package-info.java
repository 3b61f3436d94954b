/**
 * Mutual information, the measure R memshare's feature selection ranks by:
 * {@link org.memshare.mi.MutualInfo} estimates it for two numeric vectors (arrays, direct buffers
 * or views, read in place) with R's estimator in the C++ core, with the options of
 * {@link org.memshare.mi.MutualInfoOptions} (docs/MUTUALINFO.md). The command line's
 * {@code memshare select} ranks a matrix's columns with it.
 */
package org.memshare.mi;
