#!/usr/bin/env python3
"""Writes the seed corpus of metadata_fuzz into tests/fuzz/corpus/ (committed; rerun to refresh).

Each file is framed as metadata_fuzz.cpp expects: flags byte, uint16 LE metadata length, the
metadata segment, then the data segment. Built from the format in
native/shm/include/memshare/metadata.hpp.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")
MATRIX, VECTOR, LIST = 0, 1, 2
F64, F32, I64, I32, I8 = 0, 1, 2, 3, 4
SIZE = {F64: 8, F32: 4, I64: 8, I32: 4, I8: 1}


def fnv1a64(b):
    h = 0xCBF29CE484222325
    for x in b:
        h ^= x
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def code(kind, etype):
    return kind if etype == F64 else kind | (etype << 8)


def record(kind, etype, a, b):
    return struct.pack("<iIQQ", code(kind, etype), 0, a, b)


def trailer(records, kind, etype, pid=4242, start=123456, uid=1000, nonce=0xDEADBEEF):
    t = records + b"MEMSHRJ1" + struct.pack("<HHBBHqQII", 1, 48, etype, kind, 0, pid, start, uid, nonce)
    return t + struct.pack("<Q", fnv1a64(t))


def frame(md, data, rounded=False):
    return bytes([1 if rounded else 0]) + struct.pack("<H", len(md)) + md + data


def list_parts(etype, shapes, with_trailer=True):
    total = sum(r * c for (_, r, c) in shapes)
    recs = record(LIST, etype, len(shapes), total)
    for kind, r, c in shapes:
        recs += record(kind, etype, r, c if kind == MATRIX else 0)
    md = trailer(recs, LIST, etype) if with_trailer else recs
    offsets, at = b"", 0
    for _, r, c in shapes:
        offsets += struct.pack("<Q", at)
        at += r * c
    return md, offsets + bytes(SIZE[etype] * total)


def main():
    os.makedirs(OUT, exist_ok=True)
    seeds = {}
    # R-written (no trailer), as registerVariables("rns", list(X = matrix(1:6, 2, 3), y = c(1.5, 2.5))).
    seeds["r_vector"] = frame(record(VECTOR, F64, 2, 0), struct.pack("<2d", 1.5, 2.5))
    seeds["r_matrix"] = frame(record(MATRIX, F64, 2, 3), struct.pack("<6d", 1, 2, 3, 4, 5, 6))
    md, data = list_parts(F64, [(MATRIX, 2, 3), (VECTOR, 2, 1)], with_trailer=False)
    seeds["r_list"] = frame(md, data)
    # Ours, every element type and kind.
    for name, et in (("f64", F64), ("f32", F32), ("i64", I64), ("i32", I32), ("i8", I8)):
        seeds["ours_vector_" + name] = frame(trailer(record(VECTOR, et, 3, 0), VECTOR, et), bytes(3 * SIZE[et]))
        seeds["ours_matrix_" + name] = frame(trailer(record(MATRIX, et, 2, 2), MATRIX, et), bytes(4 * SIZE[et]))
    md, data = list_parts(F32, [(VECTOR, 3, 1), (MATRIX, 2, 2), (VECTOR, 0, 1)])
    seeds["ours_list_f32"] = frame(md, data)
    md, data = list_parts(F64, [])
    seeds["ours_list_empty"] = frame(md, data)
    # Page-rounded sizes (macOS, Windows): zero bytes after the trailer and a larger data segment.
    seeds["ours_rounded"] = frame(trailer(record(VECTOR, F64, 1, 0), VECTOR, F64) + bytes(40), bytes(4096), rounded=True)
    # Damaged ones, to start the search near the checks.
    seeds["bad_huge_vector"] = frame(record(VECTOR, F64, 1 << 62, 0), bytes(16))
    seeds["bad_matrix_overflow"] = frame(record(MATRIX, F64, 1 << 40, 1 << 40), bytes(8))
    seeds["bad_list_count"] = frame(record(LIST, F64, 1 << 60, 0) + record(VECTOR, F64, 1, 0), bytes(16))
    md, data = list_parts(F64, [(VECTOR, 1, 1), (VECTOR, 2, 1)])
    seeds["bad_list_offsets"] = frame(md, struct.pack("<QQ", 0, 1 << 61) + data[16:])
    good = trailer(record(VECTOR, F64, 2, 0), VECTOR, F64)
    seeds["bad_checksum"] = frame(good[:-1] + bytes([good[-1] ^ 1]), bytes(16))
    seeds["bad_truncated_trailer"] = frame(good[:40], bytes(16))
    seeds["bad_type_code"] = frame(struct.pack("<iIQQ", 7, 0, 1, 0), bytes(8))
    seeds["bad_truncated_data"] = frame(record(MATRIX, F64, 10, 10), bytes(400))
    seeds["bad_empty"] = frame(b"", b"")
    for name, blob in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(blob)
    print("wrote %d seeds to %s" % (len(seeds), OUT))


if __name__ == "__main__":
    main()
