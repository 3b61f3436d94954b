#!/usr/bin/python3
"""Writes the tables SelectConventionsTest reads, the way R and pandas write them.

One data set, 30 observations: a (informative: follows the class), b (noise), c (with a missing
value and both infinities), sample (text with a comma and quotes inside: an ID, not a feature),
species (the class, as text). All numbers are dyadic, so every writer's text parses back to the
same double, and the test computes them again on its own (SelectConventionsTest.values).

pandas files are written by pandas itself (Debian's python3-pandas, run with /usr/bin/python3).
The R files are written here in R's exact format (R 4.2.2, Debian's r-base-core, wrote the same
three files byte for byte from the same data: see make_r_tables.R, which writes R's own data sets):
write.csv quotes every string and the header, writes the row names as a first column under an
empty header cell "", NA for missing values, Inf/-Inf, numbers with 15 significant digits
(as.character); write.table writes a header one cell shorter than the rows (no cell above the row
names) and separates by a space unless told otherwise.

Run from the repository root: /usr/bin/python3 tests/data/tables/make_tables.py
"""
import gzip
import math
import os

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
CLASSES = ["setosa", "versicolor", "virginica"]
N = 30


def rows():
    for i in range(N):
        a = (i % 3) + i * 0.25
        b = ((i * 7) % 11) * 0.5
        c = i * 0.125
        if i == 4:
            c = math.nan
        elif i == 9:
            c = math.inf
        elif i == 14:
            c = -math.inf
        sample = f'sample {i + 1}, batch {i % 2 + 1}' if i != 5 else 'the "odd" one, batch 2'
        yield a, b, c, sample, CLASSES[i % 3]


def r_number(v):
    if math.isnan(v):
        return "NA"
    if math.isinf(v):
        return "Inf" if v > 0 else "-Inf"
    return "%.15g" % v


def r_string(s):
    return '"' + s.replace('"', '""') + '"'  # write.csv doubles embedded quotes (qmethod "double")


def r_write_csv(path, row_names):
    with open(path, "w", newline="") as f:
        header = ['""'] if row_names else []
        f.write(",".join(header + [r_string(h) for h in ("a", "b", "c", "sample", "species")]) + "\n")
        for i, (a, b, c, sample, species) in enumerate(rows()):
            cells = [r_string(str(i + 1))] if row_names else []
            cells += [r_number(a), r_number(b), r_number(c), r_string(sample), r_string(species)]
            f.write(",".join(cells) + "\n")


def r_write_table(path):
    # write.table(df, path, qmethod = "double"): sep " ", quote TRUE, row names, embedded quotes
    # doubled. (write.table's default qmethod "escape" writes \" instead, which is not RFC 4180:
    # memshare select reads such a file only if no string holds a quote; docs/CLI.md says so.)
    with open(path, "w", newline="") as f:
        f.write(" ".join(r_string(h) for h in ("a", "b", "c", "sample", "species")) + "\n")
        for i, (a, b, c, sample, species) in enumerate(rows()):
            f.write(" ".join([r_string(str(i + 1)), r_number(a), r_number(b), r_number(c), r_string(sample),
                              r_string(species)]) + "\n")


def frame():
    return pd.DataFrame(list(rows()), columns=["a", "b", "c", "sample", "species"])


def main():
    r_write_csv(os.path.join(HERE, "r_write_csv.csv"), row_names=True)
    r_write_csv(os.path.join(HERE, "r_write_csv_no_row_names.csv"), row_names=False)
    r_write_table(os.path.join(HERE, "r_write_table.txt"))
    df = frame()
    df.to_csv(os.path.join(HERE, "pandas_to_csv.csv"))  # index as a first column under an empty header
    df.to_csv(os.path.join(HERE, "pandas_to_csv_bom_crlf.csv"), index=False, encoding="utf-8-sig", lineterminator="\r\n")
    df.to_csv(os.path.join(HERE, "pandas_to_csv.tsv.gz"), sep="\t", index=False, compression={"method": "gzip", "mtime": 0})


if __name__ == "__main__":
    main()
