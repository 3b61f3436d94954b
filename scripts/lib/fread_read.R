# fread_read.R FILE: R's data.table::fread on 2 threads, the baseline of scripts/bench select.
# Timed inside R (R's start and library(data.table) are not): fread(FILE) and one read of every
# column's last value (fread returns its columns fully parsed; the access only proves they are
# there; no as.matrix copy). Prints "fread_seconds S" and "fread_shape ROWSxCOLS".
suppressMessages(library(data.table))
setDTthreads(2)
file <- commandArgs(trailingOnly = TRUE)[1]
t <- system.time({
  d <- fread(file)
  s <- 0
  for (j in seq_along(d)) s <- s + as.numeric(d[[j]][nrow(d)])
})[["elapsed"]]
cat(sprintf("fread_seconds %.3f\nfread_shape %dx%d\n", t, nrow(d), ncol(d)))
