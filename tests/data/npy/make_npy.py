#!/usr/bin/env python3
"""Writes the .npy files of SelectNpyTest with numpy itself (numpy.save), as Python users do, and
those of NpyHeaderTest (format/, every format version, type and order).

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

# format/: the header reader's cases (NpyHeaderTest), written by numpy.lib.format.write_array with
# each format version. v<k>_<dtype>_<C|F>.npy holds a 4 x 3 array with element (i, j) = 10 * (i + 1) + j
# (+ 0.5 for floats); every type read, in C and Fortran order; big-endian copies of three.
fmt = os.path.join(here, "format")
os.makedirs(fmt, exist_ok=True)
r, c = np.meshgrid(np.arange(4), np.arange(3), indexing="ij")
grid = 10 * (r + 1) + c
for version in (1, 2, 3):
    for dtype in ("<f8", "<f4", "<i8", "<i4", "<i2", "|i1", "|u1", "<u2", ">f8", ">i4", ">u2"):
        a = grid + 0.5 if dtype[1] == "f" else grid
        for order in ("C", "F"):
            name = "v%d_%s%s_%s.npy" % (version, "be_" if dtype[0] == ">" else "", dtype[1:], order)
            with open(os.path.join(fmt, name), "wb") as f:
                np.lib.format.write_array(f, np.asarray(a, dtype=dtype, order=order), version=(version, 0))
# A 1-D array, and version 3's reason to exist: a UTF-8 header (a structured type's field name),
# which the reader decodes to name the type it refuses.
with open(os.path.join(fmt, "v1_f8_vector.npy"), "wb") as f:
    np.lib.format.write_array(f, np.arange(5, dtype="<f8") + 0.5, version=(1, 0))
with open(os.path.join(fmt, "v3_structured_utf8.npy"), "wb") as f:
    np.lib.format.write_array(f, np.zeros(2, dtype=[("\u03b1\u00e9", "<f8")]), version=(3, 0))
