"""The USPS zip-code digits of LeCun et al. (1989), read from the user's data folder.

16x16 grey images scanned from U.S. mail, scaled to [-1, 1] (-1 paper, +1 ink): 7,291
training and 2,007 test digits. ``annhist data fetch usps`` (``annhist.datasets.fetch``)
downloads and verifies them; nothing is downloaded when they are loaded. :func:`usps` looks
in the data folder (:func:`data_dir`: ``$ANNHIST_DATA``, else ``$XDG_CACHE_HOME/annhist`` or
``~/.cache/annhist``) for, in this order,

- ``usps.npz`` with arrays ``X_train`` (N, 16, 16), ``y_train``, ``X_test``, ``y_test``;
- ``zip.train.gz`` and ``zip.test.gz`` (or ``zip.train``/``zip.test``): the public text
  format of the *Elements of Statistical Learning* data page (Hastie et al. 2009), one digit
  per line, the label then 256 grey values.

``annhist data import usps FILE...`` (:func:`import_usps`) checks a download made elsewhere
and copies it there. When nothing is found, :func:`usps` falls back to scikit-learn's bundled
8x8 digits, enlarged to 16x16 and scaled to [-1, 1], and says so: a
:class:`DataFallbackWarning`, ``result.source == "sklearn-digits"`` and ``result.name ==``
``STAND_IN_NAME``; :func:`source_note` words it for a page.
"""

from __future__ import annotations

import gzip
import os
import warnings
import zipfile
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from annhist.datasets import libsvm
from annhist.datasets.install import install_files
from annhist.io import NPZ_READ_ERRORS, check_declared_sizes

__all__ = ["usps", "USPSData", "DataFallbackWarning", "data_dir", "read_usps_text", "read_usps_npz",
           "import_usps", "find_usps", "source_note", "STAND_IN_NAME", "GET_USPS"]

N_TRAIN, N_TEST = 7291, 2007
_TEXT_NAMES = (("zip.train.gz", "zip.test.gz"), ("zip.train", "zip.test"))
STAND_IN_NAME = "sklearn digits (stand-in)"
# How a reader gets the real digits (MyST Markdown: used in the book's notes).
GET_USPS = ("To use the real USPS digits, run `annhist data fetch usps` (it downloads and verifies "
            "them; offline, `annhist data import usps zip.train.gz zip.test.gz` installs a copy made "
            "elsewhere), then rebuild the book with `make book-force`.")


class DataFallbackWarning(UserWarning):
    """The real data set was not found; a stand-in is used (the message says which)."""


class USPSData(tuple):
    """``((X_train, y_train), (X_test, y_test))`` that also tells where it came from.

    Attributes
    ----------
    source : "usps" or "sklearn-digits" (the fallback).
    path : the file read, or None for the fallback.
    """

    def __new__(cls, train: tuple[np.ndarray, np.ndarray], test: tuple[np.ndarray, np.ndarray], source: str,
                path: Path | None) -> "USPSData":
        obj = super().__new__(cls, (train, test))
        obj.source, obj.path = source, path
        return obj

    @property
    def is_fallback(self) -> bool:
        return self.source != "usps"

    @property
    def name(self) -> str:
        """``"USPS"``, or ``STAND_IN_NAME`` (``"sklearn digits (stand-in)"``) for the fallback."""
        return "USPS" if self.source == "usps" else STAND_IN_NAME


def data_dir() -> Path:
    """The data folder: ``$ANNHIST_DATA``, else ``$XDG_CACHE_HOME/annhist``, else ``~/.cache/annhist``."""
    env = os.environ.get("ANNHIST_DATA")
    if env:
        return Path(env).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache).expanduser() / "annhist"


def _check(X: np.ndarray, y: np.ndarray, where: str) -> tuple[np.ndarray, np.ndarray]:
    """Shared checks of a split: 16x16 finite grey values in [-1, 1], labels 0-9."""
    if X.ndim == 2 and X.shape[1] == 256:
        X = X.reshape(-1, 16, 16)                                        # (N, 256) -> (N, 16, 16)
    if X.ndim != 3 or X.shape[1:] != (16, 16) or X.shape[0] == 0:
        raise ValueError(f"{where}: images must have shape (N, 16, 16) or (N, 256). Got {X.shape}.")
    if y.shape != (X.shape[0],):
        raise ValueError(f"{where}: {X.shape[0]} images but labels of shape {y.shape}.")
    if X.dtype.kind not in "fiu" or not np.all(np.isfinite(X)):
        raise ValueError(f"{where}: the images hold NaN, infinite or non-numeric values.")
    if X.min() < -1.0 - 1e-6 or X.max() > 1.0 + 1e-6:
        raise ValueError(f"{where}: grey values must lie in [-1, 1]. Got [{X.min():g}, {X.max():g}].")
    bad = np.unique(y[(y != np.round(y)) | (y < 0) | (y > 9)]) if y.dtype.kind in "fiu" else y[:1]
    if bad.size:
        raise ValueError(f"{where}: labels must be digits 0-9. Got {bad[:5].tolist()}.")
    return X.astype(np.float32), y.astype(np.uint8)


def read_usps_text(path: str | os.PathLike) -> tuple[np.ndarray, np.ndarray]:
    """Read one ``zip.train``/``zip.test`` file (gzip-compressed or plain) -> ``(X (N,16,16), y (N,))``.

    Each line: the label (e.g. ``6.0000``), then 256 grey values in [-1, 1], row by row.
    Any malformed line raises ``ValueError`` naming the file and the line, as does a line longer than
    ``libsvm.MAX_LINE`` characters or more than ``libsvm.MAX_DIGITS`` digits.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"No such file: {str(path)!r}.")
    gz = _magic(path) == b"\x1f\x8b"                                        # gzip magic number
    rows = []
    try:
        with (gzip.open(path, "rt", encoding="ascii") if gz else open(path, encoding="ascii")) as fh:
            for lineno, line in libsvm.digit_lines(fh, repr(str(path))):
                fields = line.split()
                if len(fields) != 257:
                    raise ValueError(f"{str(path)!r}, line {lineno}: expected a label and 256 values, "
                                     f"got {len(fields)} field{'s' * (len(fields) != 1)}.")
                try:
                    rows.append(np.array(fields, dtype=float))
                except ValueError:
                    raise ValueError(f"{str(path)!r}, line {lineno}: a field is not a number.") from None
    except (OSError, EOFError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
        raise ValueError(f"{str(path)!r} is not a readable USPS text file (corrupt or truncated?): {exc}") from None
    if not rows:
        raise ValueError(f"{str(path)!r} holds no digits.")
    data = np.stack(rows)
    return _check(data[:, 1:], data[:, 0], repr(str(path)))


def read_usps_npz(path: str | os.PathLike) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Read a ``usps.npz`` (``X_train``, ``y_train``, ``X_test``, ``y_test``), never unpickling; an array whose
    header declares more data than the file holds is refused unallocated (:func:`annhist.io.check_declared_sizes`)."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"No such file: {str(path)!r}.")
    keys = ("X_train", "y_train", "X_test", "y_test")
    if _magic(path) != b"PK":                                             # an .npz is a zip archive
        raise ValueError(f"{str(path)!r} is not a readable .npz file (not a zip archive).")
    try:
        with np.load(path, allow_pickle=False) as data:
            check_declared_sizes(data.zip)                                 # before numpy allocates what they declare
            missing = [k for k in keys if k not in data.files]
            if missing:
                raise ValueError(f"{str(path)!r} lacks the array(s) {missing}.")
            arrays = {k: data[k] for k in keys}
    except NPZ_READ_ERRORS as exc:
        raise ValueError(f"{str(path)!r} is not a readable .npz file (corrupt or truncated?): {exc}") from None
    except ValueError as exc:
        raise ValueError(f"{str(path)!r} is not a valid USPS .npz file: {exc}") from None
    where = repr(str(path))
    return (_check(arrays["X_train"], arrays["y_train"], where + " (train)"),
            _check(arrays["X_test"], arrays["y_test"], where + " (test)"))


def _magic(path: Path) -> bytes:
    """A file's first two bytes: ``b"PK"`` for a zip (.npz) archive, ``b"\\x1f\\x8b"`` for gzip."""
    with open(path, "rb") as fh:
        return fh.read(2)


def find_usps(folder: str | os.PathLike | None = None) -> list[Path] | None:
    """The USPS file(s) present in ``folder`` (default :func:`data_dir`), or None."""
    folder = data_dir() if folder is None else Path(folder)
    if (folder / "usps.npz").is_file():
        return [folder / "usps.npz"]
    for train, test in _TEXT_NAMES:
        if (folder / train).is_file() and (folder / test).is_file():
            return [folder / train, folder / test]
    return None


def _digits_fallback() -> USPSData:
    """scikit-learn's 1,797 8x8 digits, enlarged to 16x16 (each pixel a 2x2 block), in [-1, 1].

    Split in file order: the first 1,409 (78.4 %, USPS's share of training digits) train,
    the other 388 test.
    """
    from annhist.datasets.classic import digits

    X, y = digits()                                                       # (1797, 8, 8) in [0, 16]
    X = np.kron(X, np.ones((1, 2, 2))) / 8.0 - 1.0                        # (1797, 16, 16) in [-1, 1]
    X, y = X.astype(np.float32), y.astype(np.uint8)
    k = 1409
    return USPSData((X[:k], y[:k]), (X[k:], y[k:]), "sklearn-digits", None)


def usps(*, folder: str | os.PathLike | None = None, fallback: bool = True) -> USPSData:
    """The USPS digits: ``(X_train, y_train), (X_test, y_test) = usps()``.

    Parameters
    ----------
    folder : path, optional
        Where to look (default :func:`data_dir`).
    fallback : bool, default True
        When the files are absent, warn (:class:`DataFallbackWarning`) and return
        scikit-learn's 8x8 digits enlarged to 16x16; with False, raise ``FileNotFoundError``.

    Returns
    -------
    USPSData
        ``X`` float32 (N, 16, 16) in [-1, 1], ``y`` uint8 in 0-9; ``.source`` is ``"usps"``
        or ``"sklearn-digits"``.
    """
    where = data_dir() if folder is None else Path(folder)
    files = find_usps(where)
    if files is None:
        msg = (f"The USPS digits were not found in {str(where)!r} (run 'annhist data fetch usps', or "
               f"'annhist data import usps zip.train.gz zip.test.gz', or set ANNHIST_DATA).")
        if not fallback:
            raise FileNotFoundError(msg)
        warnings.warn(msg + " Using scikit-learn's 8x8 digits enlarged to 16x16 instead.", DataFallbackWarning,
                      stacklevel=2)
        return _digits_fallback()
    if len(files) == 1:
        train, test = read_usps_npz(files[0])
    else:
        train, test = read_usps_text(files[0]), read_usps_text(files[1])
    return USPSData(train, test, "usps", files[0])


def import_usps(files: Sequence[str | os.PathLike], *, folder: str | os.PathLike | None = None,
                expected: Sequence[str] | None | str = "usps") -> list[Path]:
    """Check the user's USPS download and copy it into the data folder; return the new paths.

    ``files`` is one ``.npz`` or two text files whose names contain ``train`` and ``test``.
    Every file is read and checked in full before anything is written: its format, and that its digits'
    content digests (:func:`annhist.datasets.libsvm.digits_sha256`) are ``expected``, by default the USPS
    set's (``None``: any digits, which the experiments will then call USPS). Each copy goes to a temporary
    file in the data folder and is renamed into place, so a failure leaves the folder as it was. A previous
    copy in the other format is removed afterwards.
    """
    paths = [Path(f) for f in files]
    if len(paths) == 1:
        if paths[0].is_file() and not paths[0].name.lower().endswith(".npz") and _magic(paths[0]) != b"PK":
            raise ValueError(f"{str(paths[0])!r} is not an .npz file, and the text format comes in two files: "
                             f"give both the training and the test file (zip.train.gz and zip.test.gz).")
        splits = read_usps_npz(paths[0])
        targets = [("usps.npz", paths[0])]
    elif len(paths) == 2:
        by_role = {}
        for p in paths:
            role = "train" if "train" in p.name.lower() else "test" if "test" in p.name.lower() else None
            if role is None or role in by_role:
                raise ValueError(f"Cannot tell the training file from the test file: {[str(p) for p in paths]}. "
                                 "Name them like zip.train.gz and zip.test.gz.")
            by_role[role] = p
        splits = (read_usps_text(by_role["train"]), read_usps_text(by_role["test"]))
        targets = []
        for role in ("train", "test"):
            gz = _magic(by_role[role]) == b"\x1f\x8b"
            targets.append((f"zip.{role}.gz" if gz else f"zip.{role}", by_role[role]))
    else:
        raise ValueError(f"The 'files' parameter of import_usps must be one .npz file or two text files "
                         f"(train and test). Got {len(paths)} file(s).")
    _check_digests(splits, paths, libsvm.USPS_SHA256 if expected == "usps" else expected)
    dest = data_dir() if folder is None else Path(folder)
    return install_files(targets, dest, stale=["usps.npz", *[n for pair in _TEXT_NAMES for n in pair]])


def _check_digests(splits: Any, paths: list[Path], expected: Sequence[str] | None) -> None:
    """A ValueError naming the files when their digits are not the ones ``expected`` (None: any digits)."""
    if expected is None:
        return
    (X, y), (Xt, yt) = splits
    if (libsvm.digits_sha256(X, y), libsvm.digits_sha256(Xt, yt)) != tuple(expected):
        raise ValueError(f"{', '.join(repr(str(p)) for p in paths)}: their {len(y):,} training and {len(yt):,} test "
                         f"digits are not the USPS digits ({N_TRAIN:,} and {N_TEST:,}; content SHA-256 mismatch). "
                         f"'annhist data fetch usps' downloads the real ones.")


def source_note(data: USPSData) -> str:
    """One line for a page saying which digits ``data`` holds; for the stand-in a MyST ``{note}`` box."""
    (_, y), (_, yt) = data
    if not data.is_fallback:
        return f"Data: the USPS zip-code digits, {len(y):,} training and {len(yt):,} test images, 16x16."
    return (f"```{{note}}\nThe USPS digits are not installed on the machine that built this page, so it "
            f"uses a stand-in: scikit-learn's 8x8 digits enlarged to 16x16, {len(y):,} training and "
            f"{len(yt):,} test images. Every number computed from them is for the stand-in, not for "
            f"the paper's data. {GET_USPS}\n```")
