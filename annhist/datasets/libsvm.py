"""The USPS digits in LIBSVM's format (the download mirror): reading it, and converting to the ESL grey values.

LIBSVM's multiclass collection (Chang & Lin) holds the same 7,291 + 2,007 digits as the
*Elements of Statistical Learning* files, one per line as ``label index:value`` (labels 1-10
for the digits 0-9, pixels 1-256, a missing index meaning 0). :func:`libsvm_to_pixels`
undoes whatever scaling the copy has by checking candidate readings against the content
digests (:func:`digits_sha256`) of the ESL digits; :func:`write_esl_text` writes the result in
the ESL text format that :func:`annhist.datasets.usps.import_usps` checks and installs.
"""

from __future__ import annotations

import bz2
import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np

from annhist.datasets.separable import MAX_VALUES
from annhist.validation import check_array

__all__ = ["USPS_SHA256", "digits_sha256", "read_libsvm", "libsvm_to_pixels", "write_esl_text", "TRAIN_PIXEL_MAX",
           "digit_lines", "MAX_LINE", "MAX_DIGITS"]

#: The longest line the digit readers take, in characters: a digit's line (a label, 256 values) has about 2,000.
#: A 3 MB gzip file holding one 3 GB line was read whole (a MemoryError).
MAX_LINE = 2**16
#: The most digits a file may hold: ``MAX_VALUES`` numbers (:mod:`annhist.datasets.separable`) of 256 pixels,
#: 65,536 (USPS has 7,291 + 2,007). A small compressed file may unpack to millions of lines.
MAX_DIGITS = MAX_VALUES // 256


def digit_lines(fh: IO[str], name: str) -> Iterator[tuple[int, str]]:
    """The non-blank lines of ``fh`` with their numbers (from 1), refusing one longer than ``MAX_LINE`` characters
    or more than ``MAX_DIGITS`` of them, with a ``ValueError`` naming the file ``name`` (and the line)."""
    lineno, count = 0, 0
    while line := fh.readline(MAX_LINE + 1):
        lineno += 1
        if len(line) > MAX_LINE:
            raise ValueError(f"{name}, line {lineno}: longer than MAX_LINE = {MAX_LINE:,} characters (a digit's "
                             f"line has about 2,000).")
        if line.strip():
            count += 1
            if count > MAX_DIGITS:
                raise ValueError(f"{name} holds more than MAX_DIGITS = {MAX_DIGITS:,} digits (USPS has 7,291 and "
                                 f"2,007).")
            yield lineno, line

# Content digests (train, test) of the USPS digits, :func:`digits_sha256`. Computed and
# verified here from ../shared/data/usps.npz (file SHA-256 a2a30ad4...d7264a6), the
# project's reference copy of the ESL zip.train / zip.test; the tests also check that this
# file, written out in the exact zip.train / zip.test text formats, reads back to them.
USPS_SHA256 = ("bb8c5577af2800d9a092a9516d927235e3eb00a05bf99fe8b76b432f12f748ae",
               "ea677dd5aa43643ea8a81f2fd0f1e24ea2a8bfdd4613a16fc075ae9cf2b4760b")

# The pixels (0-255, row-major) whose largest training value is below 1, with that value,
# computed here from ../shared/data/usps.npz; every other pixel spans [-1, 1] in the
# training set. Needed only to undo a per-pixel `svm-scale -l -1 -u 1` (see libsvm_to_pixels).
TRAIN_PIXEL_MAX = {0: 0.638, 15: 0.752, 16: 0.776, 31: 0.997, 32: 0.938, 47: 0.937, 48: 0.862, 63: 0.908,
                   64: 0.901, 79: 0.997, 80: 0.993, 95: 0.998, 96: 0.997, 111: 0.994, 112: 0.977, 127: 0.991,
                   128: 0.999, 143: 0.988, 159: 0.997, 160: 0.99, 175: 0.969, 176: 0.966, 191: 0.965, 192: 0.975,
                   207: 0.987, 208: 0.979, 223: 0.948, 224: 0.946, 239: 0.853, 240: 0.376, 255: 0.592}


def _check_digits(X: Any, y: Any, owner: str) -> tuple[np.ndarray, np.ndarray]:
    """``X`` (N, 256) or (N, 16, 16) finite grey values in [-1, 1] and ``y`` N digits 0-9, as given (not copied)."""
    Xc = check_array(X, "X", ndim=(2, 3), owner=owner, copy=False)
    yc = check_array(y, "y", ndim=1, owner=owner, copy=False)
    if Xc[0].size != 256:
        raise ValueError(f"The 'X' parameter of {owner} must hold 256 grey values per digit: shape (N, 256) or "
                         f"(N, 16, 16). Got {Xc.shape} instead.")
    if yc.shape[0] != Xc.shape[0]:
        raise ValueError(f"The 'X' and 'y' parameters of {owner} must have the same number of samples. "
                         f"Got {Xc.shape[0]} and {yc.shape[0]} instead.")
    if Xc.min() < -1.0 - 1e-6 or Xc.max() > 1.0 + 1e-6:
        raise ValueError(f"The 'X' parameter of {owner} must hold grey values in [-1, 1]. "
                         f"Got [{Xc.min():g}, {Xc.max():g}] instead.")
    bad = np.unique(yc[(yc != np.round(yc)) | (yc < 0) | (yc > 9)])
    if bad.size:
        raise ValueError(f"The 'y' parameter of {owner} must hold digits 0-9. Got {bad[:5].tolist()} instead.")
    return (X if isinstance(X, np.ndarray) else Xc), (y if isinstance(y, np.ndarray) else yc)


def digits_sha256(X: np.ndarray, y: np.ndarray) -> str:
    """SHA-256 of a split's content: the labels (uint8), then the grey values in thousandths (int16 LE).

    Independent of the file format and of float rounding: ``-0.631`` counts as ``-631``. ``X``:
    (N, 256) or (N, 16, 16) grey values in [-1, 1], ``y`` N digits 0-9 (anything else is refused, naming
    it: a length mismatch was silently reshaped, a value beyond +-32.767 wrapped around in int16).
    """
    return _content_sha256(*_check_digits(X, y, "digits_sha256"))


def _content_sha256(X: np.ndarray, y: np.ndarray) -> str:
    """:func:`digits_sha256` unchecked: :func:`libsvm_to_pixels` hashes candidate readings that may be out of range."""
    X = np.asarray(X, dtype=np.float64).reshape(len(y), -1)
    h = hashlib.sha256(np.asarray(y, dtype=np.uint8).tobytes())
    h.update(np.round(X * 1000).astype("<i2").tobytes())
    return h.hexdigest()


def read_libsvm(path: str | os.PathLike) -> tuple[np.ndarray, np.ndarray]:
    """Read a LIBSVM ``usps.bz2`` / ``usps.t.bz2`` (or plain) -> ``(values (N, 256) float64, digits (N,) uint8)``.

    Each line: the label 1-10 (the digit plus one), then ``index:value`` pairs with indices
    1-256 in any order; absent indices are 0. The values are returned as written (their
    scale is settled by :func:`libsvm_to_pixels`). Lines and digits are held to ``MAX_LINE`` and ``MAX_DIGITS``.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        packed = fh.read(3) == b"BZh"                                      # bzip2 magic number
    rows, labels = [], []
    try:
        with (bz2.open(path, "rt", encoding="ascii") if packed else open(path, encoding="ascii")) as fh:
            for lineno, line in digit_lines(fh, path.name):
                fields = line.split()
                where = f"{path.name}, line {lineno}"
                try:
                    label = int(fields[0])
                    pairs = [f.split(":", 1) for f in fields[1:]]
                    idx = np.array([int(i) for i, _ in pairs], dtype=int)
                    val = np.array([float(v) for _, v in pairs])
                except ValueError:
                    raise ValueError(f"{where}: not 'label index:value ...'.") from None
                if not 1 <= label <= 10 or idx.size and (idx.min() < 1 or idx.max() > 256):
                    raise ValueError(f"{where}: label {label} not in 1-10 or a pixel index not in 1-256.")
                row = np.zeros(256)
                row[idx - 1] = val
                rows.append(row)
                labels.append(label - 1)
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path.name} is not a readable LIBSVM file (corrupt or truncated?): {exc}") from None
    if not rows:
        raise ValueError(f"{path.name} holds no digits.")
    return np.stack(rows), np.array(labels, dtype=np.uint8)


def _global_range(L: np.ndarray, ref: np.ndarray) -> np.ndarray:
    lo, hi = ref.min(), ref.max()
    return -1.0 + 2.0 * (L - lo) / (hi - lo) if hi > lo else L


def _per_pixel_range(L: np.ndarray, ref: np.ndarray) -> np.ndarray:
    lo, hi = ref.min(axis=0), ref.max(axis=0)
    top = np.ones(256)
    top[list(TRAIN_PIXEL_MAX)] = list(TRAIN_PIXEL_MAX.values())
    span = np.where(hi > lo, hi - lo, 1.0)
    return -1.0 + (L - lo) / span * (top + 1.0)


# The ways a LIBSVM copy may be scaled, tried in this order; the first whose result has the
# USPS content digests wins. "as written": the ESL grey values at more decimals (torchvision
# reads these files as pixels in [-1, 1]); "one range": the whole set mapped to another range
# (e.g. [0, 2] or [0, 255]); "per pixel": `svm-scale -l -1 -u 1`, each pixel's training range
# stretched to [-1, 1] and the same map applied to the test file.
_SCALINGS: tuple[tuple[str, Callable[[np.ndarray, np.ndarray], np.ndarray]], ...] = (
    ("as written", lambda L, ref: L), ("one range", _global_range), ("per pixel", _per_pixel_range))


def libsvm_to_pixels(train: tuple[np.ndarray, np.ndarray], test: tuple[np.ndarray, np.ndarray],
                     expected: Sequence[str] = USPS_SHA256) -> tuple[np.ndarray, np.ndarray, str]:
    """Map LIBSVM values back to the ESL grey values: ``(X_train, X_test, scaling)``, each (N, 16, 16) float32.

    Each scaling in turn is undone and the result rounded to three decimals (the ESL
    precision); the first whose digits have the ``expected`` content digests is returned.
    Raises ``ValueError`` when none has.
    """
    (L, y), (Lt, yt) = train, test
    for name, undo in _SCALINGS:
        X, Xt = (np.round(undo(A, L), 3) for A in (L, Lt))
        if (_content_sha256(X, y), _content_sha256(Xt, yt)) == tuple(expected):
            return (X.reshape(-1, 16, 16).astype(np.float32), Xt.reshape(-1, 16, 16).astype(np.float32), name)
    raise ValueError("its digits are not the USPS digits under any known scaling "
                     f"({', '.join(n for n, _ in _SCALINGS)})")


def write_esl_text(path: Path, X: np.ndarray, y: np.ndarray) -> Path:
    """Write the ESL text format (label, then 256 grey values a row).

    :func:`~annhist.datasets.usps.import_usps` then checks and installs the file. ``X``: (N, 256) or
    (N, 16, 16) finite grey values in [-1, 1]; ``y``: N digits 0-9 (a mismatch wrote a corrupt file).
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"The 'path' parameter of write_esl_text must be a str or a path. Got {path!r} instead.")
    X, y = _check_digits(X, y, "write_esl_text")
    rows = np.column_stack([y.astype(np.float64), X.reshape(len(y), -1).astype(np.float64)])
    np.savetxt(path, rows, fmt="%.4f")
    return path


