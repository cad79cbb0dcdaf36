"""Safe saving and loading of arrays: ``.npz`` only, never pickle, never half-written.

:func:`save_arrays` writes to a temporary file in the target folder and renames it into
place, so a crash leaves either the old file or the new one. :func:`load_arrays` opens
with ``allow_pickle=False`` and checks the file's kind, its version and the exact set of
arrays (and their shapes) before returning anything; every failure is a ``ValueError``
that names the file.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import tokenize
import zipfile
import zlib
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from annhist.layers import MAX_WEIGHTS

__all__ = ["save_arrays", "load_arrays", "check_declared_sizes", "read_config", "FORMAT_VERSION", "NPZ_READ_ERRORS",
           "MAX_FILE_BYTES", "MAX_CONFIG_BYTES"]

FORMAT_VERSION = 1
#: The most bytes the arrays of one file may declare in all: four of the largest weight matrix a layer builds
#: (:data:`annhist.initializers.MAX_WEIGHTS` float64, 1 GiB), so 4 GiB (a net at the cap, its masks and skip weights).
#: Deflate packs zeros 1032-fold: an 8 MB file declaring 8 GiB of them was read in full (a MemoryError).
MAX_FILE_BYTES = 4 * 8 * MAX_WEIGHTS
#: The longest JSON configuration a model file may carry (:func:`read_config`): 16 MiB; a fitted model's is a few kB,
#: the feature names of 100,000 columns some 2 MB. Deflate packs JSON 1000-fold: a 1 MB file carrying a 1 GB list
#: of zeros was parsed into half a billion Python ints (a MemoryError after 15 s).
MAX_CONFIG_BYTES = 2**24

#: What ``np.load`` of a truncated or corrupt ``.npz`` may raise besides ``ValueError``: the zip and
#: compression layers' errors, and, as numpy parses each array's header as Python text, the parser's.
NPZ_READ_ERRORS = (OSError, zipfile.BadZipFile, EOFError, KeyError, NotImplementedError, RuntimeError, zlib.error,
                   SyntaxError, tokenize.TokenError)
_META = ("__annhist_kind__", "__annhist_version__")


def save_arrays(path: str | os.PathLike, arrays: Mapping[str, np.ndarray], *, kind: str) -> Path:
    """Write ``arrays`` (name -> numeric array) and a kind tag to ``path`` atomically.

    The ``.npz`` suffix is added when missing. Returns the final path.
    """
    if not isinstance(kind, str) or not kind:
        raise TypeError(f"The 'kind' parameter of save_arrays must be a non-empty string. Got {kind!r} instead.")
    if not kind.isprintable():                               # numpy drops trailing NULs: it would not load back
        raise ValueError(f"The 'kind' parameter of save_arrays must be printable. Got {kind!r} instead.")
    if not isinstance(path, (str, os.PathLike)) or not str(path) or Path(path).name in ("", ".", ".."):
        raise ValueError(f"The 'path' parameter of save_arrays must name a file. Got {path!r} instead.")
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ValueError(f"Cannot save to {str(path)!r}: the folder {str(folder)!r} does not exist "
                         f"(the 'path' parameter of save_arrays).")
    payload: dict[str, np.ndarray] = {}
    for name, arr in arrays.items():
        if not isinstance(name, str) or not name or not name.isprintable() or "/" in name or "\\" in name:
            raise ValueError(f"The 'arrays' parameter of save_arrays must name its arrays with non-empty "
                             f"printable strings without slashes. Got {name!r} instead.")
        if name in _META:
            raise ValueError(f"The 'arrays' parameter of save_arrays uses the reserved name {name!r}.")
        try:
            a = np.asarray(arr)
        except (ValueError, TypeError) as exc:               # ragged nested lists
            raise ValueError(f"The 'arrays' parameter of save_arrays: {name!r} is not an array: {exc}") from None
        if a.dtype.kind not in "biuf":
            raise TypeError(f"The 'arrays' parameter of save_arrays: array {name!r} has dtype {a.dtype}; "
                            f"only numeric arrays are saved.")
        if a.dtype.kind == "f" and not np.all(np.isfinite(a)):   # load_arrays would refuse the file
            raise ValueError(f"The 'arrays' parameter of save_arrays: array {name!r} holds NaN or infinite "
                             f"values; only finite arrays are saved.")
        payload[name] = a
    payload["__annhist_kind__"] = np.array(kind)
    payload["__annhist_version__"] = np.array(FORMAT_VERSION)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def check_declared_sizes(archive: zipfile.ZipFile) -> None:
    """Refuse an array whose header declares more data than its member of the archive holds, before numpy
    allocates it: a 90 kB file declaring shape (10**12,) was a 7.28 TiB MemoryError in ``np.load``. A stored
    member's size must be its stored bytes; a compressed one at most deflate's 1032-fold expansion of them.
    All the arrays together may declare at most ``MAX_FILE_BYTES``."""
    total = 0
    for info in archive.infolist():
        ratio = 1 if info.compress_type == zipfile.ZIP_STORED else 1032
        if info.file_size > ratio * info.compress_size:
            raise ValueError(f"{info.filename!r} claims {info.file_size:,} bytes from {info.compress_size:,} "
                             f"stored ones")
        with archive.open(info) as fh:
            version = np.lib.format.read_magic(fh)
            read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, _, dtype = read(fh)
            declared, held = math.prod(shape) * dtype.itemsize, info.file_size - fh.tell()
        if declared > held and not dtype.hasobject:              # an object array is a pickle: refused below
            raise ValueError(f"array {info.filename!r} declares shape {shape} of {dtype} ({declared:,} bytes) but "
                             f"holds {held:,} bytes")
        total += declared
        if total > MAX_FILE_BYTES:
            raise ValueError(f"its arrays declare {total:,} bytes or more (up to {info.filename!r}), more than "
                             f"MAX_FILE_BYTES = {MAX_FILE_BYTES:,} that annhist loads")


def read_config(array: np.ndarray) -> Any:
    """The JSON document a model file stores as a ``uint8`` array (its ``config``), decoded; ``ValueError`` when it
    is longer than ``MAX_CONFIG_BYTES`` (``json`` and ``UnicodeDecodeError`` are ``ValueError`` too)."""
    if array.size > MAX_CONFIG_BYTES:
        raise ValueError(f"it holds {array.size:,} bytes, more than MAX_CONFIG_BYTES = {MAX_CONFIG_BYTES:,}")
    return json.loads(array.astype(np.uint8).tobytes().decode())


def load_arrays(path: str | os.PathLike, *, kind: str, required: tuple[str, ...] | None = None,
                shapes: Mapping[str, tuple[int, ...]] | None = None,
                allow_extra: bool = False) -> dict[str, np.ndarray]:
    """Read arrays saved by :func:`save_arrays`, refusing anything unexpected.

    Before numpy allocates anything, :func:`check_declared_sizes` refuses arrays declaring more data than
    the file holds, or more than ``MAX_FILE_BYTES`` (4 GiB) in all.

    Parameters
    ----------
    path : str or os.PathLike
        The ``.npz`` file.
    kind : str
        The tag the file must carry (e.g. ``"annhist.MLP"``).
    required : tuple of str, optional
        Names that must be present; unless ``allow_extra``, no others may be.
    shapes : mapping, optional
        Expected shapes for some arrays, by name.
    allow_extra : bool
        Accept arrays beyond ``required``.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{str(path)!r} is a folder, not a .npz file." if path.is_dir() else
                         f"No such file: {str(path)!r}.")
    with open(path, "rb") as f:
        if f.read(4) != b"PK\x03\x04":                     # every .npz is a zip archive; np.load would read
            raise ValueError(f"{str(path)!r} is not a .npz file (it is not a zip archive).")   # the rest as a pickle
    try:
        with np.load(path, allow_pickle=False) as data:
            check_declared_sizes(data.zip)
            arrays = {name: data[name] for name in data.files}
    except ValueError as exc:
        if "allow_pickle" in str(exc):  # pickled object arrays refuse to load
            raise ValueError(f"{str(path)!r} is not a valid annhist file: it holds pickled objects, which annhist "
                             f"never loads.") from None
        raise ValueError(f"{str(path)!r} is not a readable .npz file (truncated or corrupt?): {exc}") from None
    except NPZ_READ_ERRORS as exc:
        raise ValueError(f"{str(path)!r} is not a readable .npz file (truncated or corrupt?): {exc}") from None
    got_kind = arrays.pop("__annhist_kind__", None)
    version = arrays.pop("__annhist_version__", None)
    if got_kind is None or got_kind.shape != ():
        raise ValueError(f"{str(path)!r} was not saved by annhist (it has no annhist kind tag); expected an {kind} "
                         f"file.")
    if str(got_kind) != kind:
        raise ValueError(f"{str(path)!r} is not an {kind} file: it holds an {str(got_kind)}.")
    if version is None or version.shape != () or int(version) != FORMAT_VERSION:
        raise ValueError(f"{str(path)!r} has format version {version!r}; this annhist reads version {FORMAT_VERSION}.")
    if required is not None:
        missing = [n for n in required if n not in arrays]
        extra = [n for n in arrays if n not in required]
        if missing:
            raise ValueError(f"{str(path)!r} lacks the array(s) {missing}.")
        if extra and not allow_extra:
            raise ValueError(f"{str(path)!r} has unexpected array(s) {extra}.")
    for name, shape in (shapes or {}).items():
        if name in arrays and arrays[name].shape != tuple(shape):
            raise ValueError(f"{str(path)!r}: array {name!r} has shape {arrays[name].shape}, expected {tuple(shape)}.")
    for name, arr in arrays.items():
        if arr.dtype.kind not in "biufU":
            raise ValueError(f"{str(path)!r}: array {name!r} has dtype {arr.dtype}.")
        if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
            raise ValueError(f"{str(path)!r}: array {name!r} holds NaN or infinite values.")
    return arrays
