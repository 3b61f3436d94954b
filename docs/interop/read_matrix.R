# Reads a matrix that a JVM registered with memshare for Java, zero-copy, with R memshare:
#   Rscript docs/interop/read_matrix.R <namespace> <variable>
# R reads double data only: register it from Java as FLOAT64 (Matrix.of(nrow, ncol, double[])).
library(memshare)

args <- commandArgs(trailingOnly = TRUE)
ns <- args[1]
var <- args[2]

v <- retrieveViews(ns, c(var))   # a named list of read-only views, nothing copied
X <- v[[var]]                    # behaves as a numeric matrix
cat("DIM", dim(X), "\n")
# Indexes are 1-based: X[i, j] is Java's get(i - 1, j - 1) and numpy's x[i - 1, j - 1].
cat("LAST", sprintf("%.17g", X[nrow(X), ncol(X)]), "\n")
# Every value's IEEE-754 bits in column-major order, so that a test can compare them exactly.
cat("BITS", paste(as.character(writeBin(as.vector(X), raw(), endian = "little")), collapse = ""), "\n")

rm(X, v)                         # releaseViews unmaps the memory: drop every reference first
releaseViews(ns, c(var))
