#!/usr/bin/python3
"""Writes the tables SelectTrapsTest reads, each a trap a new user walks into, written by pandas.

40 observations; every value is dyadic (k/4), so every writer's text parses back to the same
double, and the test computes the same columns again on its own (SelectTrapsTest.values):
  cls  the class label as the integers 0, 1, 2 (i % 3): a class target by the rule
  a    informative: cls + (i % 5) / 4
  b    noise: (i * 7 % 11) / 4
  lv   a feature of few integer levels, unrelated-looking: i % 4
Files:
  pandas_named_index.csv     df.index.name = "sample_id"; df.to_csv(f): the index 0..39 as a named first column
  pandas_shuffled_index.csv  df.sample(frac=1, random_state=7) with df.index.name = "sample_id": the index a permutation of 0..39
  pandas_semicolon_decimal_comma.csv   df.to_csv(f, sep=";", decimal=","), index=False: Excel's European CSV
  pandas_tab.csv             df.to_csv(f, sep="\\t", index=False): a TSV named .csv
  pandas_one_class.csv       cls all 1: a target of one class
  pandas_all_na_target.csv   cls all missing (pandas writes an empty cell): nothing left after --na-rm

Run from the repository root: /usr/bin/python3 tests/data/tables/make_trap_tables.py
"""
import math
import os

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
N = 40


def frame():
    rows = []
    for i in range(N):
        cls = i % 3
        rows.append({"a": cls + (i % 5) / 4, "b": (i * 7 % 11) / 4, "lv": i % 4, "cls": cls})
    return pd.DataFrame(rows, columns=["a", "b", "lv", "cls"])


def main():
    df = frame()
    named = df.copy()
    named.index.name = "sample_id"
    named.to_csv(os.path.join(HERE, "pandas_named_index.csv"))
    shuffled = df.sample(frac=1, random_state=7)
    shuffled.index.name = "sample_id"
    shuffled.to_csv(os.path.join(HERE, "pandas_shuffled_index.csv"))
    df.to_csv(os.path.join(HERE, "pandas_semicolon_decimal_comma.csv"), sep=";", decimal=",", index=False)
    df.to_csv(os.path.join(HERE, "pandas_tab.csv"), sep="\t", index=False)
    one = df.copy()
    one["cls"] = 1
    one.to_csv(os.path.join(HERE, "pandas_one_class.csv"), index=False)
    na = df.copy()
    na["cls"] = math.nan
    na.to_csv(os.path.join(HERE, "pandas_all_na_target.csv"), index=False)


if __name__ == "__main__":
    main()
