"""``annhist data``: where the data folder is, downloading into it, importing a user's download.

``annhist data fetch usps`` downloads the USPS digits from their public sources, verifies them
and installs them in the data folder (``$ANNHIST_DATA``, default ``~/.cache/annhist``); it
exits with status 1 and one line saying what to do when it cannot. ``annhist data import usps
zip.train.gz zip.test.gz`` (or ``usps.npz``) checks files downloaded elsewhere and copies
them there. A copy already there is replaced only with ``--force`` (fetch replaces one that
cannot be read). ``annhist data info`` says what is there, and whether it can be read.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from annhist.cli.common import Parser, UsageError

__all__ = ["add_command"]


def _folder(args: argparse.Namespace) -> str:
    """The data folder of ``--data-dir`` (else the default); a path that is a file is a usage error."""
    from annhist.datasets.usps import data_dir

    folder = data_dir() if args.data_dir is None else args.data_dir
    if os.path.exists(folder) and not os.path.isdir(folder):
        command = " ".join(filter(None, ("annhist data", args.data_command, getattr(args, "dataset", None))))
        raise UsageError(f"{command}: the data folder {str(folder)!r} is a file, not a folder")
    return folder


def _unreadable(folder: str | os.PathLike) -> str | None:
    """Why the USPS copy in ``folder`` cannot be read (None when it can, or when there is none)."""
    from annhist.datasets.usps import usps

    try:
        usps(folder=folder, fallback=False)
    except FileNotFoundError:
        return None
    except (ValueError, OSError) as exc:
        return str(exc)
    return None


def _cmd_import(args: argparse.Namespace) -> int:
    from annhist.datasets.usps import find_usps, import_usps

    existing = find_usps(_folder(args))
    for f in args.files:                                   # before the files are told apart by their contents
        if not os.path.isfile(f):
            raise UsageError(f"annhist data import {args.dataset}: " +
                             (f"{f!r} is a folder, not a file" if os.path.isdir(f) else f"No such file: {f!r}"))
    if existing and not args.force:                        # never replace a copy silently
        raise UsageError(f"annhist data import {args.dataset}: the data folder already holds "
                         f"{', '.join(p.name for p in existing)}; pass --force to replace it")
    try:
        written = import_usps(args.files, folder=args.data_dir)
    except ValueError as exc:
        raise UsageError(f"annhist data import {args.dataset}: {exc}") from None
    except OSError as exc:
        raise UsageError(f"annhist data import {args.dataset}: cannot write the data folder: "
                         f"{exc.strerror or exc}") from None
    for path in written:
        print(f"imported {path}")
    return 0


def _cmd_fetch(args: argparse.Namespace) -> int:
    import sys

    from annhist.datasets.fetch import FetchError, default_sources, fetch_usps, folder_problem
    from annhist.datasets.usps import find_usps

    for flag, url in (("--esl-url", args.esl_url), ("--libsvm-url", args.libsvm_url)):
        if url is not None and not url.strip():          # was read as "use the default URL"
            raise UsageError(f"annhist data fetch {args.dataset}: {flag} must be a non-empty URL. Got {url!r}")
    folder = _folder(args)
    existing = find_usps(folder)
    if existing and not args.force:
        problem = _unreadable(folder)
        if not problem:
            print(f"the USPS digits are already installed: {', '.join(str(p) for p in existing)} "
                  "(--force downloads them again)")
            return 0
        print(f"the copy in the data folder is unreadable, downloading it again ({problem})")
    problem = folder_problem(folder)
    if problem:                                          # before anything is downloaded
        raise UsageError(f"annhist data fetch {args.dataset}: cannot write the data folder {str(folder)!r}: "
                         f"{problem}")
    try:
        fetch_usps(folder, sources=default_sources(args.esl_url, args.libsvm_url))
    except FetchError as exc:
        print(f"error: annhist data fetch {args.dataset}: {exc}", file=sys.stderr)
        return 1
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    from annhist.datasets.usps import find_usps

    folder = _folder(args)
    files = find_usps(folder)
    problem = _unreadable(folder) if files else None
    print(f"data folder: {folder}")
    print("usps: " + (", ".join(str(p) for p in files) if files else
                      "not found (the experiments fall back to scikit-learn's 8x8 digits; "
                      "'annhist data fetch usps' downloads the real set)"))
    if problem:
        print(f"  present but unreadable: {problem}\n  the experiments will fail on it: "
              "'annhist data fetch usps --force' downloads the digits again, or 'annhist data import usps "
              "--force zip.train.gz zip.test.gz' installs a copy made elsewhere")
    return 0


def add_command(subparsers: Any) -> None:
    """Add ``annhist data`` (with ``fetch``, ``import`` and ``info``) to the CLI's subparsers."""
    p = subparsers.add_parser("data", help="the data folder: fetch or import a dataset, show what is there",
                              description="Manage the data folder ($ANNHIST_DATA, default ~/.cache/annhist).")
    sub = p.add_subparsers(dest="data_command", metavar="ACTION", parser_class=Parser)
    q = sub.add_parser("import", help="check a dataset download and copy it into the data folder",
                       description="Check the files (their format, and that they hold the 7,291 and 2,007 "
                                   "USPS digits, by the content digests fetch checks) and copy them into the "
                                   "data folder. USPS: the public zip.train.gz and zip.test.gz (or plain), or one "
                                   "usps.npz.")
    q.add_argument("dataset", choices=["usps"], help="which dataset")
    q.add_argument("files", nargs="+", metavar="FILE", help="the downloaded file(s)")
    q.add_argument("--data-dir", metavar="DIR", help="the data folder (default $ANNHIST_DATA or ~/.cache/annhist)")
    q.add_argument("--force", action="store_true", help="replace a copy already in the data folder")
    q.set_defaults(func=_cmd_import)
    q = sub.add_parser("fetch", help="download, verify and install a dataset from its public sources",
                       description="Download the USPS digits (the ESL data page, else the LIBSVM mirror), "
                                   "check them against the recorded SHA-256 digests and install them in "
                                   "the data folder. Exit status 1, data folder unchanged, when that fails.")
    q.add_argument("dataset", choices=["usps"], help="which dataset")
    q.add_argument("--data-dir", metavar="DIR", help="the data folder (default $ANNHIST_DATA or ~/.cache/annhist)")
    q.add_argument("--force", action="store_true", help="download again even when a copy is installed")
    q.add_argument("--esl-url", metavar="URL", help="base URL of zip.train.gz/zip.test.gz "
                                                     "(default $ANNHIST_USPS_ESL_URL or the ESL data page)")
    q.add_argument("--libsvm-url", metavar="URL", help="base URL of usps.bz2/usps.t.bz2 "
                                                        "(default $ANNHIST_USPS_LIBSVM_URL or the LIBSVM page)")
    q.set_defaults(func=_cmd_fetch)
    q = sub.add_parser("info", help="show the data folder and the datasets found there")
    q.add_argument("--data-dir", metavar="DIR", help="the data folder to inspect")
    q.set_defaults(func=_cmd_info)

    def _need_action(args: argparse.Namespace) -> int:
        raise UsageError("annhist data: choose an action: fetch, import or info (see 'annhist data --help')")

    p.set_defaults(func=_need_action)
