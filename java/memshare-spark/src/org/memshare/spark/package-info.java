/**
 * memshare on Apache Spark: one copy of a matrix in shared memory per host, read zero-copy by
 * every executor on it ({@link org.memshare.spark.HostMatrix}); the executor plugin that sweeps
 * crash orphans and releases at the end ({@link org.memshare.spark.MemsharePlugin}); the library's
 * {@code memApply} over Spark partitions ({@link org.memshare.spark.SparkApply}). docs/SPARK.md
 * has the configuration and how it works.
 */
package org.memshare.spark;
