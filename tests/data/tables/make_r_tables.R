# Writes R's own data sets the way users write them, for SelectConventionsTest:
#   mtcars.csv  write.csv(mtcars): row names (car models) under an empty header cell ""
#   iris.csv    write.csv(iris, row.names = FALSE): the class label Species as quoted text
#   r_write_table_escape.txt  write.table with its default qmethod = "escape" (below)
# Run from the repository root with R (Debian's r-base-core): Rscript tests/data/tables/make_r_tables.R
# Made with R 4.2.2. The same R also wrote make_tables.py's three R files byte for byte as that
# script writes them (checked with cmp), so those stand as R's output too.
here <- "tests/data/tables"
write.csv(mtcars, file.path(here, "mtcars.csv"))
write.csv(iris, file.path(here, "iris.csv"), row.names = FALSE)
# write.table's default qmethod = "escape" writes a quote inside a string as \" (not RFC 4180):
# memshare select refuses it in one line that names the cause.
write.table(data.frame(a = c(1, 2, 3, 4), s = c("x", "the \"odd\" one", "y", "z"), t = c(1, 2, 1, 2)),
            file.path(here, "r_write_table_escape.txt"))
