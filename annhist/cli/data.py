"""``annhist data``: where the data folder is, and importing a user's download into it.

``annhist data import usps zip.train.gz zip.test.gz`` (or ``usps.npz``) checks the files
and copies them into the data folder (``$ANNHIST_DATA``, default ``~/.cache/annhist``); a copy
already there is replaced only with ``--force``. ``annhist data info`` says what is there.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from annhist.cli.common import UsageError

__all__ = ["add_command"]


def _cmd_import(args: argparse.Namespace) -> int:
    from annhist.datasets.usps import data_dir, find_usps, import_usps

    existing = find_usps(data_dir() if args.data_dir is None else args.data_dir)
    inputs_exist = all(os.path.isfile(f) for f in args.files)     # else import_usps names the missing one
    if existing and inputs_exist and not args.force:   # never replace a copy silently
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


def _cmd_info(args: argparse.Namespace) -> int:
    from annhist.datasets.usps import data_dir, find_usps

    folder = data_dir() if args.data_dir is None else args.data_dir
    files = find_usps(folder)
    print(f"data folder: {folder}")
    print("usps: " + (", ".join(str(p) for p in files) if files else
                      "not found (the experiments fall back to scikit-learn's 8x8 digits)"))
    return 0


def add_command(subparsers: Any) -> None:
    """Add ``annhist data`` (with ``import`` and ``info``) to the CLI's subparsers."""
    p = subparsers.add_parser("data", help="the data folder: import a download, show what is there",
                              description="Manage the data folder ($ANNHIST_DATA, default ~/.cache/annhist).")
    sub = p.add_subparsers(dest="data_command", metavar="ACTION")
    q = sub.add_parser("import", help="check a dataset download and copy it into the data folder",
                       description="Check the files and copy them into the data folder. USPS: the public "
                                   "zip.train.gz and zip.test.gz (or plain), or one usps.npz.")
    q.add_argument("dataset", choices=["usps"], help="which dataset")
    q.add_argument("files", nargs="+", metavar="FILE", help="the downloaded file(s)")
    q.add_argument("--data-dir", metavar="DIR", help="the data folder (default $ANNHIST_DATA or ~/.cache/annhist)")
    q.add_argument("--force", action="store_true", help="replace a copy already in the data folder")
    q.set_defaults(func=_cmd_import)
    q = sub.add_parser("info", help="show the data folder and the datasets found there")
    q.add_argument("--data-dir", metavar="DIR", help="the data folder to inspect")
    q.set_defaults(func=_cmd_info)

    def _need_action(args: argparse.Namespace) -> int:
        raise UsageError("annhist data: choose an action: import or info (see 'annhist data --help')")

    p.set_defaults(func=_need_action)
