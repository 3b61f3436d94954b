#!/usr/bin/env python3
"""Read-only, zero-copy numpy views of memshare variables, whoever wrote them (Java or R).

    import read_memshare
    x = read_memshare.view("demo", "X")   # numpy array, shape (nrow, ncol), read-only
    parts = read_memshare.view("demo", "L")   # a list variable: a Python list of arrays

The layout is described in docs/INTEROP.md. Linux only: it reads the segments as files in /dev/shm,
and like memshare for Java it refuses segments that another user owns unless allow_foreign_owner=True.
As a script it prints what it read, for people and for the tests (PythonInteropTest, PythonRefusalTest; see main()).
"""
import errno
import hashlib
import mmap
import os
import stat
import struct
import sys
import time
from collections import namedtuple
from itertools import accumulate

import numpy as np

SHM = "/dev/shm"
NAME_MAX = 255  # longest file name in /dev/shm, the limit native/shm/src/naming.cpp applies on Linux
RECORD = struct.Struct("<i4xQQ")  # int32 type, 4 bytes padding, uint64 a, uint64 b
# memshare for Java's trailer after the records: magic, version, size, element type, kind,
# reserved, owner pid, owner start time, creator uid, nonce, FNV-1a 64 of everything before it.
TRAILER = struct.Struct("<8sHHBBHqQIIQ")
MAGIC = b"MEMSHRJ1"
MATRIX, VECTOR, LIST = 0, 1, 2
KINDS = {MATRIX: "matrix", VECTOR: "vector", LIST: "list"}
# Element type codes: bits 8 to 15 of a record's type (0 for double, which is all R writes).
DTYPES = {0: "<f8", 1: "<f4", 2: "<i8", 3: "<i4", 4: "<i1"}
# Byte 2 of the first record (type bits 16 to 23): 0 published, 1 still being filled by its owner.
STATE_BYTE, PUBLISHED, FILLING = 2, 0, 1

Layout = namedtuple("Layout", "kind dtype shapes owner_pid")  # owner_pid None: written by R


class FormatError(ValueError):
    """The segments are not a memshare variable, or they are damaged."""


class InvalidName(ValueError):
    """A namespace or variable name that breaks memshare's naming rule."""


class NotPublished(LookupError):
    """The variable exists but its owner has not finished writing it (or died doing so)."""


class ForeignOwner(PermissionError):
    """A segment belongs to another user: /dev/shm is world-writable, so anyone can plant one."""


def segment_paths(ns, var):
    """(metadata, data) paths of variable var of namespace ns. The names are checked first, with
    the rule of native/shm/src/naming.cpp, so that no name ('../etc/x') reaches outside /dev/shm."""
    for what, part in (("namespace", ns), ("variable", var)):
        if not part:
            raise InvalidName(f"{what} name must not be empty")
        for char, rule in (("/", "'/'"), ("\\", "'\\'"), ("\0", "a NUL character")):
            if char in part:
                raise InvalidName(f"{what} name {part!r} must not contain {rule}")
    md_name = f"{ns}.md.{var}"
    length = len(os.fsencode(md_name))
    if length > NAME_MAX:
        raise InvalidName(f"segment name {md_name!r} is {length} bytes; Linux allows at most {NAME_MAX}")
    return f"{SHM}/{md_name}", f"{SHM}/{ns}.{var}"


def _count(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def _record(md, i):
    code, a, b = RECORD.unpack_from(md, RECORD.size * i)
    if i == 0:
        code &= ~(0xFF << 8 * STATE_BYTE)  # the publish state is not part of the type
    kind, etype = code & 0xFF, code >> 8
    if code < 0 or kind not in KINDS or etype not in DTYPES:
        raise FormatError(f"record {i} has unknown type code {code}")
    return kind, etype, a, b


def _shape(kind, a, b):
    shape = (a, b) if kind == MATRIX else (a,)
    if max(shape) >= 2**63:  # beyond any index numpy (or Java) can use: not an honest dimension
        raise FormatError(f"dimension {max(shape)} is beyond 2^63")
    return shape


def _fnv1a64(data):
    h = 0xCBF29CE484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def parse_metadata(md):
    """The Layout a metadata segment's bytes describe; FormatError if they make no sense,
    NotPublished if its owner is still writing the data."""
    if len(md) < RECORD.size:
        raise FormatError(f"metadata holds {len(md)} bytes, less than one {RECORD.size}-byte record")
    state = md[STATE_BYTE]
    if state not in (PUBLISHED, FILLING):
        raise FormatError(f"record 0 has unknown type code {RECORD.unpack_from(md)[0]}")
    kind, etype, a, b = _record(md, 0)
    if kind == LIST:
        # n + 1 records: the list's (n, total values), then one per element.
        if len(md) < RECORD.size * (a + 1):
            raise FormatError(f"a list of {a} elements needs {a + 1} records, the metadata holds {len(md)} bytes")
        shapes = []
        for i in range(1, a + 1):
            k, t, ea, eb = _record(md, i)
            if k == LIST or t != etype:
                raise FormatError(f"record {i}: a list element must be a vector or matrix of the list's type")
            shapes.append(_shape(k, ea, eb))
        if sum(map(_count, shapes)) != b:
            raise FormatError(f"the list record says {b} values, its elements hold {sum(map(_count, shapes))}")
        end = RECORD.size * (a + 1)
    else:
        shapes, end = [_shape(kind, a, b)], RECORD.size
    extra = md[end:]
    if extra[:len(MAGIC)] != MAGIC:
        # No trailer: written by R, which writes only doubles and nothing after its records.
        if etype != 0 or state != PUBLISHED or extra.strip(b"\0"):
            raise FormatError("no memshare for Java trailer, yet not what R writes")
        return Layout(kind, DTYPES[etype], shapes, None)
    if len(extra) < TRAILER.size:
        raise FormatError(f"trailer truncated to {len(extra)} of {TRAILER.size} bytes")
    _, version, size, ttype, tkind, reserved, pid, _, _, _, checksum = TRAILER.unpack_from(extra)
    if (version, size, reserved) != (1, TRAILER.size, 0):
        raise FormatError(f"trailer version {version}, size {size}, reserved {reserved}: not format 1")
    if (ttype, tkind) != (etype, kind):
        raise FormatError(f"trailer says type {ttype}, kind {tkind}; the records say {etype}, {kind}")
    # The checksum reads the state byte as 0: the owner publishes by flipping that byte alone.
    covered = bytearray(md[:end + TRAILER.size - 8])
    covered[STATE_BYTE] = 0
    if checksum != _fnv1a64(covered):
        raise FormatError("metadata checksum mismatch")
    if extra[TRAILER.size:].strip(b"\0"):
        raise FormatError("unrecognised bytes after the trailer")
    if state == FILLING:
        raise NotPublished(f"not published yet: process {pid} is still writing its data (or died doing so)")
    return Layout(kind, DTYPES[etype], shapes, pid)


# <view>
def _open(path, allow_foreign_owner):
    """A read-only descriptor of a segment file. The checks use fstat of this descriptor, the file
    that is then read or mapped, so that swapping the name afterwards changes nothing."""
    # O_NOFOLLOW as shm_open does; O_NONBLOCK so that a FIFO planted under the name cannot hang us.
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise FormatError(f"{path} is a symbolic link, not a shared-memory segment") from None
        if e.errno == errno.ENXIO:
            raise FormatError(f"{path} is a socket, not a shared-memory segment") from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise FormatError(f"{path} is {_file_type(st.st_mode)}, not a shared-memory segment")
        # As memshare for Java: only our own segments unless the caller opts in.
        if st.st_uid != os.geteuid() and not allow_foreign_owner:
            raise ForeignOwner(f"segment {path} is owned by uid {st.st_uid}, not by this user (uid {os.geteuid()});"
                               " pass allow_foreign_owner=True (--allow-foreign-owner) to read it anyway")
    except Exception:
        os.close(fd)
        raise
    return fd


def _file_type(mode):
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a regular file"


def _read_metadata(path, allow_foreign_owner):
    with open(_open(path, allow_foreign_owner), "rb") as f:
        return f.read()


def _map(data_path, layout, allow_foreign_owner):
    """Numpy arrays over the data segment, mapped read-only, as layout describes them."""
    fd = _open(data_path, allow_foreign_owner)
    try:
        size = os.fstat(fd).st_size
        itemsize = np.dtype(layout.dtype).itemsize
        counts = [_count(s) for s in layout.shapes]
        # A list's data starts with one uint64 offset per element, counted in values.
        head = 8 * len(counts) if layout.kind == LIST else 0
        need = head + itemsize * sum(counts)
        # Never trust the metadata alone: mapping past the end of the data would crash (SIGBUS).
        # Longer is fine when the extra bytes are zeros: macOS rounds a segment up to its page.
        if size < need:
            raise FormatError(f"{data_path} holds {size} bytes but its metadata needs {need}")
        # ACCESS_READ: the mapping is read-only for the OS, and numpy arrays over it are too.
        buf = mmap.mmap(fd, size, access=mmap.ACCESS_READ) if size else b""
        if buf[need:].strip(b"\0"):
            raise FormatError(f"{data_path} holds {size} bytes but its metadata needs {need}, the rest not zeros")
    finally:
        os.close(fd)  # the mapping does not need the descriptor
    starts = [0, *accumulate(counts)][:-1]
    if layout.kind == LIST and list(np.frombuffer(buf, "<u8", count=len(counts))) != starts:
        raise FormatError(f"{data_path}: the list's offset table disagrees with its metadata")
    # Zero-copy: each array is a window on the mapping; order="F" because the data is column-major.
    return [np.frombuffer(buf, layout.dtype, count=n, offset=head + itemsize * at).reshape(shape, order="F")
            for shape, n, at in zip(layout.shapes, counts, starts)]


def _half_written(md):
    """R creates the metadata at its full size, then copies the bytes in (so does memshare for
    Java where the kernel lacks O_TMPFILE): caught in between, it is zeros (all of it, or the
    48-byte trailer), which would parse as an empty R matrix. R writes exactly its records, so
    zeros where the trailer goes mean "not yet". Where it goes is right after the records, not
    the end: a segment macOS rounded up to its page ends in zeros."""
    if not any(md):
        return True
    try:
        kind, _, a, _ = _record(md, 0)
    except (FormatError, struct.error):
        return False  # parse_metadata says what is wrong
    end = RECORD.size * (a + 1 if kind == LIST else 1)
    return len(md) >= end + TRAILER.size and not any(md[end:end + TRAILER.size])


def read(ns, var, allow_foreign_owner=False):
    """(Layout, arrays) of variable var of namespace ns; see view()."""
    md_path, data_path = segment_paths(ns, var)  # before touching any file
    try:
        for attempt in range(25):
            # Metadata first: it says whether the data is complete (published).
            md = _read_metadata(md_path, allow_foreign_owner)
            if _half_written(md) and attempt < 24:
                time.sleep(0.002)
                continue
            layout = parse_metadata(md)
            try:
                arrays = _map(data_path, layout, allow_foreign_owner)
            except (FormatError, FileNotFoundError):
                # Data gone or the wrong size: the answer only if the metadata is still the same.
                if _read_metadata(md_path, allow_foreign_owner) == md:
                    raise
                continue
            # Had the owner released and someone registered the name again between our two opens,
            # the data could be the new registration's (3 x 4 read as 4 x 3). Every registration's
            # metadata differs (owner and nonce), so the same metadata bytes mean the same data.
            if _read_metadata(md_path, allow_foreign_owner) == md:
                return layout, arrays
    except FileNotFoundError as e:
        raise LookupError(f"no variable '{var}' in namespace '{ns}' ({e.filename} does not exist)") from None
    raise FormatError(f"{md_path} changed while being read, again and again")


def view(ns, var, allow_foreign_owner=False):
    """The variable as read-only numpy arrays over the shared memory itself (no copy): one array
    for a matrix (nrow x ncol) or vector, a list of arrays for a list. The arrays keep the mapping
    alive, so they stay valid after the owner releases the variable. Segments owned by another
    user are refused (ForeignOwner) unless allow_foreign_owner is true."""
    layout, arrays = read(ns, var, allow_foreign_owner)
    return arrays if layout.kind == LIST else arrays[0]
# </view>


def _is_read_only(a):
    try:
        a.flags.writeable = True  # numpy refuses this for an array over a read-only mapping
    except ValueError:
        return True
    return False


def _print_arrays(var, layout, arrays, values):
    for i, a in enumerate(arrays):
        label = f"{var}[{i}]" if layout.kind == LIST else var
        # SHA-256 of the values in column-major order, as the writer laid them out.
        digest = hashlib.sha256(a.tobytes(order="F")).hexdigest()
        shape = "x".join(map(str, a.shape))
        print(f"ARRAY {label} {shape} {digest} {'read-only' if _is_read_only(a) else 'WRITABLE'}")
        if values:  # every value's bits, indexed a[i, j]: exact even for NaN payloads
            bits = a.view(f"<u{a.itemsize}")
            for index in np.ndindex(a.shape):
                print(f"AT {label} {' '.join(map(str, index))} {int(bits[index]):0{2 * a.itemsize}x}")


USAGE = "usage: python3 read_memshare.py [--values] [--hold] [--allow-foreign-owner] NAMESPACE VARIABLE..."


def main(argv):
    """Prints per variable "VAR name kind dtype writer" (writer "r" or "java:<owner pid>"), per array
    "ARRAY label shape sha256 read-only", with --values one "AT label index... bits" per value;
    --hold then prints HOLDING, waits for a line on stdin and prints the ARRAY lines again;
    --allow-foreign-owner reads segments that another user owns."""
    flags = {a for a in argv if a.startswith("--")}
    names = [a for a in argv if not a.startswith("--")]
    if len(names) < 2 or flags - {"--values", "--hold", "--allow-foreign-owner"}:
        print(USAGE, file=sys.stderr)
        return 2
    ns, variables = names[0], names[1:]
    try:
        seen = {var: read(ns, var, "--allow-foreign-owner" in flags) for var in variables}
    except (LookupError, ValueError, OSError) as e:  # FormatError and InvalidName are ValueErrors
        print(f"error: {e}", file=sys.stderr)
        return 1
    for var, (layout, arrays) in seen.items():
        writer = "r" if layout.owner_pid is None else f"java:{layout.owner_pid}"
        print(f"VAR {var} {KINDS[layout.kind]} {np.dtype(layout.dtype).name} {writer}")
        _print_arrays(var, layout, arrays, "--values" in flags)
    if "--hold" in flags:
        # Keep the mappings while the owner releases, then read them again.
        print("HOLDING", flush=True)
        sys.stdin.readline()
        for var, (layout, arrays) in seen.items():
            _print_arrays(var, layout, arrays, False)
    print("DONE")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
