#!/usr/bin/env python3
"""Writes the .npy files of SelectNpyTest with numpy itself (numpy.save), as Python users do.

    /usr/bin/python3 tests/data/npy/make_npy.py      (Debian's python3-numpy)

X has N = 40 rows and 3 columns; SelectNpyTest computes the same values from the same formulas:
    column 0: (i % 7) * 0.5 + i * 0.01     column 1: ((i * 13) % 17) / 4      column 2: i % 4 + (i % 3) * 0.25
and the target y = i % 4 (int64). float32 and the integer types hold the values their type can
(floats rounded to float32; integers: i % 5, (i * 3) % 11, i % 4). nan.npy has NaN at row 6,
column 2 (1-based).
"""
import os

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
n = 40
i = np.arange(n)
x = np.column_stack([(i % 7) * 0.5 + i * 0.01, ((i * 13) % 17) / 4, i % 4 + (i % 3) * 0.25])
ints = np.column_stack([i % 5, (i * 3) % 11, i % 4])


def save(name, a):
    np.save(os.path.join(here, name), a)


save("x_f8_c.npy", np.ascontiguousarray(x))
save("x_f8_fortran.npy", np.asfortranarray(x))
save("x_f4_c.npy", x.astype(np.float32))
save("x_i4_fortran.npy", np.asfortranarray(ints.astype(np.int32)))
save("x_i8_c.npy", ints.astype(np.int64))
save("x_f8_big_endian.npy", x.astype(">f8"))
nan = x.copy()
nan[5, 1] = np.nan
save("nan.npy", nan)
save("y.npy", (i % 4).astype(np.int64))
save("y_column.npy", (i % 4).astype(np.float64).reshape(n, 1))
save("y_short.npy", (i[:30] % 4).astype(np.int64))
save("complex.npy", x.astype(np.complex128))
save("structured.npy", np.zeros(n, dtype=[("a", "<f8"), ("b", "<i4")]))
with open(os.path.join(here, "truncated.npy"), "wb") as f:
    data = open(os.path.join(here, "x_f8_c.npy"), "rb").read()
    f.write(data[: len(data) - 100])
