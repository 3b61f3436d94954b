#!/usr/bin/env python3
"""Writes a feature-selection table as pandas users write theirs, for scripts/bench select.

    make_select_table.py ROWS FEATURES PLANTED OUT.csv

A 32-class target `class` (balanced, shuffled) and FEATURES columns f0001..: PLANTED of them
(every FEATURES/PLANTED-th) are s*level[class] + N(0, 1), with a level per class drawn once per
feature and a strength s in [0.6, 1.5]; the rest are N(0, 1). The file is written by pandas'
to_csv(index=False), with its default float format (the shortest repr that reads back exactly,
up to 17 digits). The planted names go to OUT.planted, one per line.
"""
import sys

import numpy as np
import pandas as pd

rows, features, planted = (int(a) for a in sys.argv[1:4])
out = sys.argv[4]
rng = np.random.default_rng(20251202)
y = np.arange(rows) % 32
rng.shuffle(y)
stride = max(1, features // max(1, planted))
names = [f"f{j + 1:04d}" for j in range(features)]
columns = {"class": y}
chosen = []
for j in range(features):
    x = rng.standard_normal(rows)
    if j % stride == 0 and j // stride < planted:
        level = rng.standard_normal(32)
        x += (0.6 + 0.9 * rng.random()) * level[y]
        chosen.append(names[j])
    columns[names[j]] = x
pd.DataFrame(columns).to_csv(out, index=False)
with open(out + ".planted", "w") as f:
    f.write("\n".join(chosen) + "\n")
