"""Download the USPS digits from their public sources: ``annhist data fetch usps``.

Two public copies of the same 7,291 training and 2,007 test digits are tried in turn, with
pooch (Uieda et al. 2020) doing the HTTP work and the file-hash check:

1. the *Elements of Statistical Learning* data page (Hastie, Tibshirani & Friedman 2009),
   ``zip.train.gz`` and ``zip.test.gz``: one digit a line, the label then 256 grey values in
   [-1, 1] with three decimals -- the format :func:`annhist.datasets.usps.read_usps_text` reads;
2. as a mirror, the LIBSVM multiclass collection (Chang & Lin), ``usps.bz2`` and
   ``usps.t.bz2``: one digit a line in LIBSVM's sparse ``label index:value`` format, labels
   1-10 for the digits 0-9, pixels numbered 1-256 (a missing index means the value 0).

Whatever came down, the digits themselves are then checked against the SHA-256 *content
digests* below (labels and the grey values in thousandths, see :func:`digits_sha256`), so a
copy is installed only when it holds exactly the split and the pixels of the ESL files. The
check is made in a temporary folder; the data folder (:func:`annhist.datasets.usps.data_dir`)
is written only by :func:`annhist.datasets.usps.import_usps`, atomically, so a failed or
refused download leaves it as it was.

The base URLs can be replaced (for a local mirror, or the tests' local server) with the
arguments of :func:`default_sources` or the environment variables ``ANNHIST_USPS_ESL_URL``
and ``ANNHIST_USPS_LIBSVM_URL``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from annhist.datasets.libsvm import USPS_SHA256, digits_sha256, libsvm_to_pixels, read_libsvm, write_esl_text
from annhist.datasets.usps import N_TEST, N_TRAIN, data_dir, import_usps, read_usps_text

__all__ = ["ESL_URL", "LIBSVM_URL", "USPS_SHA256", "FetchError", "Source",
           "default_sources", "digits_sha256", "fetch_usps", "folder_problem", "libsvm_to_pixels", "read_libsvm"]


ESL_URL = "https://hastie.su.domains/ElemStatLearn/datasets/"
LIBSVM_URL = "https://www.csie.ntu.edu.tw/~cjlin/libsvmtools/datasets/multiclass/"

# File hashes passed to pooch (None: pooch does not check the file; the content digest does).
# ESL zip.train.gz / zip.test.gz: no published hash was found (searched public code and
# pages), and a .gz file's bytes (header, compression level) cannot be rebuilt from the
# digits, so none is pinned; `annhist data fetch usps` prints the SHA-256 of what it got.
ESL_FILES = (("zip.train.gz", None), ("zip.test.gz", None))
# LIBSVM usps.bz2 / usps.t.bz2: SHA-256 as pinned by torchvision's prototype USPS dataset
# (pytorch/vision, torchvision/prototype/datasets/_builtin/usps.py); the same files' MD5,
# ec16c51db3855ca6c91edd34d0e9b197 / 8ea070ee2aca1ac39742fdd1ef5ed118, are pinned by
# torchvision.datasets.USPS. NOT verified here (no network): taken as published.
LIBSVM_FILES = (("usps.bz2", "sha256:3771e9dd6ba685185f89867b6e249233dd74652389f263963b3b741e994b034f"),
                ("usps.t.bz2", "sha256:a9c0164e797d60142a50604917f0baa604f326e9a689698763793fa5d12ffc4e"))

class FetchError(Exception):
    """The download failed or was refused; the message is one line saying what to do."""


@dataclass(frozen=True)
class Source:
    """One public copy: a name, a base URL, its format and its (train, test) files.

    ``files`` holds ``(file name, pooch known_hash or None)`` for the training and the test
    file; ``kind`` is ``"esl"`` (text, :func:`annhist.datasets.usps.read_usps_text`) or ``"libsvm"``.
    """

    name: str
    base_url: str
    kind: str
    files: tuple[tuple[str, str | None], tuple[str, str | None]]

    def url(self, fname: str) -> str:
        return self.base_url.rstrip("/") + "/" + fname


def default_sources(esl_url: str | None = None, libsvm_url: str | None = None) -> list[Source]:
    """The ESL page, then the LIBSVM mirror; a URL argument or environment variable replaces a base URL.

    An empty (or blank) URL argument is refused: it was silently read as "use the default".
    """
    for name, url in (("esl_url", esl_url), ("libsvm_url", libsvm_url)):
        if url is not None and (not isinstance(url, str) or not url.strip()):
            raise ValueError(f"The '{name}' parameter of default_sources must be a non-empty URL (or None for the "
                             f"default). Got {url!r} instead.")
    esl = esl_url or os.environ.get("ANNHIST_USPS_ESL_URL") or ESL_URL
    libsvm = libsvm_url or os.environ.get("ANNHIST_USPS_LIBSVM_URL") or LIBSVM_URL
    return [Source("ESL", esl, "esl", ESL_FILES), Source("LIBSVM", libsvm, "libsvm", LIBSVM_FILES)]


def _reason(exc: BaseException, url: str) -> str:
    """A short reason for a failed download (no traceback, no temporary paths)."""
    import requests

    host = urllib.parse.urlsplit(url).netloc or url
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return f"{url} answered HTTP {exc.response.status_code}"
    if isinstance(exc, (requests.ConnectionError, requests.Timeout)):
        return f"cannot reach {host} (no network?)"
    if isinstance(exc, ValueError) and "hash" in str(exc).lower():
        return f"{url.rsplit('/', 1)[-1]} does not have the pinned hash (changed or corrupted), refused"
    return f"{type(exc).__name__} for {url}: {exc}"


def _download(source: Source, folder: Path, timeout: float, say: Callable[[str], None]) -> list[Path]:
    import pooch
    import requests

    paths = []
    for fname, known_hash in source.files:
        url = source.url(fname)
        say(f"downloading {url}")
        try:
            path = pooch.retrieve(url, known_hash, fname=fname, path=folder, progressbar=False,
                                  downloader=pooch.HTTPDownloader(timeout=timeout, progressbar=False))
        except (requests.RequestException, ValueError, OSError) as exc:
            raise FetchError(_reason(exc, url)) from None
        paths.append(Path(path))
    return paths


def _install_from(source: Source, work: Path, dest: Path, expected: Sequence[str], timeout: float,
                  say: Callable[[str], None]) -> list[Path]:
    """Download ``source`` into ``work``, check its digits, install them into ``dest``."""
    train_file, test_file = _download(source, work, timeout, say)
    for path in (train_file, test_file):
        say(f"  {path.name}: {len(path.read_bytes()):,} bytes, SHA-256 {_file_sha256(path)}")
    try:
        if source.kind == "esl":
            (X, y), (Xt, yt) = read_usps_text(train_file), read_usps_text(test_file)
            if (digits_sha256(X, y), digits_sha256(Xt, yt)) != tuple(expected):
                raise ValueError(f"its {len(y):,} training and {len(yt):,} test digits are not the USPS digits "
                                 f"({N_TRAIN:,} and {N_TEST:,}; content SHA-256 mismatch)")
            files = [train_file, test_file]
        else:
            train, test = read_libsvm(train_file), read_libsvm(test_file)
            X, Xt, scaling = libsvm_to_pixels(train, test, expected)
            say(f"  LIBSVM values read {scaling}; converted to the ESL grey values")
            files = [write_esl_text(work / "zip.train", X, train[1]), write_esl_text(work / "zip.test", Xt, test[1])]
    except ValueError as exc:
        raise FetchError(str(exc).replace(str(work) + os.sep, "").rstrip(".") + ", refused") from None
    return import_usps(files, folder=dest, expected=expected)


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_problem(folder: str | os.PathLike) -> str | None:
    """Why no file can be written in ``folder`` (None when one can), found without leaving a trace.

    Folders that do not exist yet are made for the test and removed again; a temporary file
    (never visible under a name) is opened in the folder.
    """
    folder, missing, created = Path(folder), [], []
    probe = folder
    while not probe.exists() and probe != probe.parent:               # the folders the install would make
        missing.append(probe)
        probe = probe.parent
    try:
        for d in reversed(missing):
            d.mkdir()
            created.append(d)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return ("cannot make it: " if len(created) < len(missing) else "") + (exc.strerror or str(exc))
    finally:
        for d in reversed(created):
            d.rmdir()
    return None


def fetch_usps(folder: str | os.PathLike | None = None, *, sources: Sequence[Source] | None = None,
               expected: Sequence[str] = USPS_SHA256, timeout: float = 30.0,
               say: Callable[[str], None] = print) -> list[Path]:
    """Download, verify and install the USPS digits; return the installed file(s).

    Parameters
    ----------
    folder : path, optional
        The data folder (default :func:`annhist.datasets.usps.data_dir`).
    sources : sequence of Source, optional
        Tried in order until one succeeds (default :func:`default_sources`).
    expected : (str, str)
        The content digests (:func:`digits_sha256`) of the training and test split.
    timeout : float
        Seconds to wait for a server.
    say : callable
        Receives one progress line at a time.

    Raises
    ------
    FetchError
        When no source gave the USPS digits: a one-line message with every source's reason
        and what to do instead. The data folder is then unchanged.
    """
    import pooch

    dest = data_dir() if folder is None else Path(folder)
    sources = default_sources() if sources is None else list(sources)
    problem = folder_problem(dest)
    if problem:                                        # before anything is downloaded
        raise FetchError(f"cannot write the data folder {str(dest)!r}: {problem}")
    reasons = []
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel("WARNING")                         # pooch's INFO lines; our own lines say what happens
    try:
        with tempfile.TemporaryDirectory(prefix="annhist-usps-") as tmp:
            for source in sources:
                work = Path(tmp) / source.name
                try:
                    written = _install_from(source, work, dest, expected, timeout, say)
                except FetchError as exc:
                    reasons.append(f"{source.name}: {exc}")
                    say(f"  {source.name} failed: {exc}")
                    continue
                except OSError as exc:
                    raise FetchError(f"cannot write the data folder {str(dest)!r}: {exc.strerror or exc}") from None
                say(f"installed the USPS digits from {source.name}: " + ", ".join(str(p) for p in written))
                return written
    finally:
        logger.setLevel(level)
    raise FetchError(f"could not get the USPS digits ({'; '.join(reasons)}). Offline: download zip.train.gz "
                     f"and zip.test.gz from {ESL_URL} elsewhere and run 'annhist data import usps "
                     f"zip.train.gz zip.test.gz' (or copy them into {dest})")
