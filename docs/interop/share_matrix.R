# Registers a matrix from R for a JVM (or Python) to read, then waits for a line on stdin:
#   Rscript docs/interop/share_matrix.R <namespace>
library(memshare)

ns <- commandArgs(trailingOnly = TRUE)[1]
X <- matrix((1:12) / 8, nrow = 3, ncol = 4)   # column-major: X[i, j] = (i + 3 (j - 1)) / 8
registerVariables(ns, list(X = X))
cat("REGISTERED\n")
flush(stdout())

invisible(readLines(file("stdin"), n = 1))    # other processes view <namespace>.X meanwhile
releaseVariables(ns, c("X"))
