"""Build the executed book: ``annhist book`` and ``make book``.

Jupyter Book's execution cache (jupyter-cache) only looks at a notebook's code cells, so a
change to annhist's own sources would leave stale outputs. Before each build we hash the
package's sources and, when the hash changed, clear the cache so every chapter re-executes.
In CI (``CI`` set) or with ``force=True`` the cache is always cleared.

While the chapters execute, ``ANNHIST_RESULT_CACHE`` names ``book/_build/.annhist-results``:
each ``annhist.experiments.run`` writes its result there as JSON, keyed on the experiment, its
seed and options and the same sources hash, and the "What we reproduced" page reads the
runs the chapters made instead of repeating them (:mod:`annhist.experiments.cache`). The
folder is emptied whenever every chapter re-executes.

A chapter that fails to execute fails the build; its error report (the chapter and the
failing cell with its traceback) is printed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from annhist.experiments.cache import ENV_VAR as RESULT_CACHE_VAR
from annhist.experiments.cache import sources_hash

__all__ = ["find_root", "sources_hash", "build_book"]


def find_root(start: str | os.PathLike | None = None) -> Path:
    """The project folder that holds ``book/_config.yml``."""
    candidates = []
    if start is not None:
        candidates.append(Path(start).resolve())
    candidates.append(Path(__file__).resolve().parents[1])
    cwd = Path.cwd().resolve()
    candidates.extend([cwd, *cwd.parents])
    for c in candidates:
        if (c / "book" / "_config.yml").is_file():
            return c
    raise FileNotFoundError("Cannot find book/_config.yml: run 'annhist book' from the annhist project folder "
                            "(or pass --root).")


def _print_reports(build_dir: Path) -> int:
    report_dir = build_dir / "html" / "reports"
    reports = sorted(report_dir.rglob("*.err.log")) if report_dir.is_dir() else []
    for rep in reports:
        chapter = rep.relative_to(build_dir / "html" / "reports").as_posix().removesuffix(".err.log")
        print(f"\n=== chapter {chapter} failed to execute; the failing cell and its error:\n", file=sys.stderr)
        print(rep.read_text(errors="replace")[-6000:], file=sys.stderr)
    return len(reports)


def build_book(*, force: bool = False, root: str | os.PathLike | None = None) -> int:
    """Execute every chapter and write the HTML book; return the exit status."""
    root = find_root(root)
    book = root / "book"
    build_dir = book / "_build"
    cache = build_dir / ".jupyter_cache"
    stamp = build_dir / ".annhist-sources.sha256"
    results = build_dir / ".annhist-results"
    digest = sources_hash(Path(__file__).resolve().parent)
    force = force or bool(os.environ.get("CI"))
    rebuild_all = force or not stamp.is_file() or stamp.read_text().strip() != digest
    if rebuild_all:
        # Sphinx re-reads only changed sources, and jupyter-cache keys on code cells: both must
        # be told that the code the chapters import has changed.
        reason = "forced" if force else "annhist's sources changed"
        print(f"annhist book: {reason}; every chapter re-executes.")
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(results, ignore_errors=True)
    # A previous failure's reports would be shown again; start clean.
    shutil.rmtree(build_dir / "html" / "reports", ignore_errors=True)
    exe = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(exe) if exe.exists() else "jupyter-book", "build", str(book), "--builder", "html",
           "-W", "-n", "--keep-going"] + (["--all"] if rebuild_all else [])
    # ANNHIST_BOOK: explorables render their static, offline form (annhist.plotting.explorable).
    env = dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION="1", MPLBACKEND="Agg", ANNHIST_BOOK="1",
               **{RESULT_CACHE_VAR: str(results)})
    print("annhist book: " + " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, cwd=root, env=env)
    failed = _print_reports(build_dir)
    if proc.returncode != 0 or failed:
        print(f"annhist book: the build FAILED (exit status {proc.returncode}, {failed} chapter(s) failed to "
              f"execute).", file=sys.stderr)
        return 1
    build_dir.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest + "\n")
    print(f"annhist book: built {build_dir / 'html' / 'index.html'}")
    return 0
