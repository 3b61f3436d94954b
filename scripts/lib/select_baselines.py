#!/usr/bin/env python3
"""What users of scripts/bench select would pick instead of memshare select, timed in-process.

    select_baselines.py read FILE.csv
        pandas.read_csv(FILE) and .to_numpy(): prints "pandas_read_seconds S"
    select_baselines.py sklearn FILE.csv FILE.csv.planted
        scikit-learn's mutual_info_classif on every feature against `class` (reading the file
        is not timed): prints "sklearn_mi_seconds S" and "sklearn_planted_found K of P"

Only the work itself is timed (time.perf_counter around it), not the interpreter's start.
"""
import sys
import time

import pandas as pd


def read(path):
    t = time.perf_counter()
    x = pd.read_csv(path).to_numpy()
    print(f"pandas_read_seconds {time.perf_counter() - t:.3f}")
    print(f"pandas_read_shape {x.shape[0]}x{x.shape[1]}")


def sklearn(path, planted_path):
    from sklearn.feature_selection import mutual_info_classif

    df = pd.read_csv(path)
    y = df.pop("class").to_numpy()
    planted = [l.strip() for l in open(planted_path) if l.strip()]
    t = time.perf_counter()
    mi = mutual_info_classif(df.to_numpy(), y, random_state=0)
    print(f"sklearn_mi_seconds {time.perf_counter() - t:.3f}")
    top = set(df.columns[i] for i in mi.argsort()[::-1][: len(planted)])
    print(f"sklearn_planted_found {len(top & set(planted))} of {len(planted)}")


if __name__ == "__main__":
    {"read": read, "sklearn": sklearn}[sys.argv[1]](*sys.argv[2:])
