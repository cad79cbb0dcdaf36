"""Shared by every test: no result cache unless a test sets one, and the book build's cached runs.

``make test`` runs the suite on every core (pytest-xdist, ``--dist loadgroup``): each test is
independent of the others' order and writes only below its own ``tmp_path``; the tests that
share an expensive fixture (the built book in a browser) or an order (the chapters, whose runs
the reproductions chapter reads back) carry ``pytest.mark.xdist_group`` and run in one worker.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import zipfile
from pathlib import Path
from typing import Any

import pytest

from annhist import experiments
from annhist.experiments import cache

ROOT = Path(__file__).resolve().parents[1]
BUILD_RESULTS = ROOT / "book" / "_build" / ".annhist-results"


@pytest.fixture(autouse=True)
def _no_result_cache(monkeypatch):
    """An ``ANNHIST_RESULT_CACHE`` in the caller's environment must not make a test read old runs."""
    monkeypatch.delenv(cache.ENV_VAR, raising=False)


def built_result(name: str, seed: int = 0, **options: Any) -> dict[str, Any] | None:
    """The run ``name(seed, **options)`` as the last book build made it with *these* sources, or None.

    Tests that prove a run is reproducible compare a fresh run with this one (made in another
    process, by the chapters) instead of running the experiment twice; without a built book,
    or after a change to annhist's sources, it is None and they run it twice.
    """
    key = cache.cache_key(experiments.get(name), seed, options)
    return cache.load(BUILD_RESULTS, key)


def shared_tmp(tmp_path_factory) -> Path:
    """A folder that all xdist workers of this session share (one session's, never another's)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def session_results(tmp_path_factory) -> Path:
    """This test session's result cache (shared by its xdist workers): the runs that its chapter
    executions and :func:`fresh_result` made, keyed like the build's (sources hash included)."""
    return shared_tmp(tmp_path_factory) / "annhist-results"


def fresh_result(folder: Path, name: str, seed: int = 0, **options: Any) -> dict[str, Any]:
    """The run ``name(seed, **options)`` as made in *this* test session with the current sources.

    A test that compares a fresh run with the book build's run needs one fresh run, not one per
    test: the first test (or executed chapter) that asks runs it and stores it in the session's
    folder, and the others read it. It is never the build's run: that folder is this session's.
    """
    exp = experiments.get(name)
    key = cache.cache_key(exp, seed, options)
    hit = cache.load(folder, key)
    if hit is not None:
        return hit
    result = json.loads(json.dumps(experiments.run(name, seed, **options).to_dict()))   # as a stored entry
    cache.store(folder, key, result)
    return result


def run_main(argv: list[str]) -> tuple[int, str, str]:
    """``annhist ARGV`` in this process: (exit status, stdout, stderr). ``annhist.cli.main`` is what
    the ``annhist`` script and ``python -m annhist`` call (test_cli runs the process once); a new
    process for each case would be 1.5 s of imports."""
    from annhist.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:                    # argparse's --help/--version exit through SystemExit
            code = exc.code if isinstance(exc.code, int) else 0
    return code, out.getvalue(), err.getvalue()


#: Array headers a corrupt .npz may carry: numpy parses a version 1.0 header as Python text, and these
#: once escaped annhist's readers as a tokenizer or syntax error instead of a ValueError.
CORRUPT_NPY_HEADERS = [b"{'descr': '<f8', 'fortran_order': False, 'shape': (2,",       # unclosed
                       b"{'descr': '<f8', 'fortran_order': False, 'shape': (2,)}}",    # extra brace
                       b"{'descr': '<f8', 'fortran_order': False}"]                    # no shape


@contextlib.contextmanager
def within(seconds: float):
    """Fail with a TimeoutError instead of hanging: a refusal must come before the work, and the old code
    of some tests' cases started work that ran for minutes or for ever."""
    def alarm(*_):
        raise TimeoutError(f"took more than {seconds} s")
    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def write_npz_with_header(path: Path, names: list[str], header: bytes) -> Path:
    """An .npz whose arrays ``names`` each hold ``header`` as their .npy header (version 1.0) and 16 bytes."""
    pad = 64 - (10 + len(header) + 1) % 64
    npy = b"\x93NUMPY\x01\x00" + (len(header) + pad + 1).to_bytes(2, "little") + header + b" " * pad + b"\n" + bytes(16)
    with zipfile.ZipFile(path, "w") as z:
        for name in names:
            z.writestr(f"{name}.npy", npy)
    return path

# Fixtures shared by the built-book tests: the built HTML, a local server, headless Chromium.
from test_book import browser, built, server  # noqa: E402,F401

