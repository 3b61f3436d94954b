/**
 * R's {@code memApply} and {@code memLapply}: {@link org.memshare.apply.Apply} runs a function over
 * the rows or columns of a shared matrix, or the elements of a shared list, on threads or on the
 * worker JVMs of a {@link org.memshare.apply.WorkerCluster}, every worker reading one copy of the
 * data; {@link org.memshare.apply.ApplyOptions} holds R's {@code NAMESPACE}, {@code CLUSTER} and
 * {@code MAX.CORES}. A failed item is an {@link org.memshare.apply.ApplyException} naming it
 * (docs/APPLY.md).
 */
package org.memshare.apply;
