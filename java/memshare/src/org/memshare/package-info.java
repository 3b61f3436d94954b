/**
 * Shared memory itself: a {@link org.memshare.Namespace} registers data as pages this process
 * owns and views variables any process registered (read-only, zero-copy), in R memshare's segment
 * format; {@link org.memshare.ElementType}, {@link org.memshare.Matrix} and the view and page
 * types describe the data; {@link org.memshare.InterprocessLock} is a lock that survives a killed
 * holder; {@link org.memshare.Segments} lists, inspects and sweeps segments;
 * {@link org.memshare.NpyHeader} reads numpy {@code .npy} headers. Every failure is a
 * {@link org.memshare.MemshareException} subclass (docs/LIFECYCLE.md).
 */
package org.memshare;
