"""Execute the book's chapters side by side, into Jupyter Book's execution cache.

Jupyter Book 1 (myst-nb, ``execute_notebooks: cache``) executes a chapter when Sphinx reads it,
one chapter after another. Before Sphinx starts, ``annhist book`` runs this module: every
chapter whose code cells are not in the cache yet is executed here, on every core (one kernel
per chapter, the longest chapters first), and stored in the cache exactly as myst-nb would
store it -- the same reader, the same working directory (``chapters/``), time limit and
environment. Sphinx then finds every chapter in the cache and only renders it.

Chapters are independent (each runs in its own kernel), with one exception: a chapter in
``RUN_LAST`` reads the runs the other chapters made (the "What we reproduced" page, through
the result cache of :mod:`annhist.experiments.cache`), so it starts when they have finished.
A chapter that fails here is not stored: Sphinx executes it again and reports the failing
cell, as without this step. Run as ``python -m annhist.bookexec BOOK_DIR [JOBS]``.
"""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

__all__ = ["RUN_LAST", "chapters", "execute_all"]

RUN_LAST = ("11-reproductions",)      # reads the other chapters' runs from the result cache
TIMEOUT = 300                         # seconds per cell, as book/_config.yml (execute: timeout)
SECONDS_FILE = ".annhist-chapter-seconds.json"   # last build's times: the longest chapters start first


def chapters(book: Path) -> list[Path]:
    """The chapter files of the table of contents that are notebooks (MyST Markdown with a kernel)."""
    import yaml

    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]
    paths = [book.parent / f"{name}.md" for name in names]
    return [p for p in paths if p.is_file() and "kernelspec:" in p.read_text(encoding="utf-8")[:1000]]


def _read(path: Path):
    from myst_nb.core.read import read_myst_markdown_notebook

    return read_myst_markdown_notebook(path.read_text("utf8"), add_source_map=True, path=str(path))


def _execute(path: Path) -> tuple[dict, float, str | None]:
    """Run one chapter in a fresh kernel (in a worker process): the executed notebook, its time, its error."""
    from jupyter_cache.executors.utils import single_nb_execution

    result = single_nb_execution(_read(path), cwd=str(path.parent), timeout=TIMEOUT, allow_errors=False,
                                 meta_override=True)
    return result.nb, result.time, result.exc_string


def _order(todo: list[Path], seconds: dict[str, float]) -> list[Path]:
    """Longest first (last build's seconds, else the file's size as a guess); ``RUN_LAST`` at the end."""
    def cost(p: Path) -> float:
        return seconds.get(p.stem, p.stat().st_size / 1000.0)
    return sorted(todo, key=lambda p: (p.stem in RUN_LAST, -cost(p)))


def _store(cache, path: Path, nb, seconds: float) -> None:
    from jupyter_cache.base import CacheBundleIn

    cache.cache_notebook_bundle(CacheBundleIn(nb, str(path), data={"execution_seconds": seconds}),
                                check_validity=False, overwrite=True)


def execute_all(book: Path, jobs: int) -> dict[str, float]:
    """Execute (``jobs`` at a time) every chapter not in ``book/_build/.jupyter_cache`` and store it
    there; return the seconds of each chapter executed. Failures are left to Sphinx."""
    from jupyter_cache import get_cache

    cache = get_cache(str(book / "_build" / ".jupyter_cache"))
    todo = []
    for path in chapters(book):
        try:
            cache.match_cache_notebook(_read(path))
        except KeyError:
            todo.append(path)
    times_file = book / "_build" / SECONDS_FILE
    try:
        seconds = json.loads(times_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        seconds = {}
    todo = _order(todo, seconds if isinstance(seconds, dict) else {})
    first = [p for p in todo if p.stem not in RUN_LAST]
    done: dict[str, float] = {}
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        for batch in (first, [p for p in todo if p.stem in RUN_LAST]):
            futures = {pool.submit(_execute, p): p for p in batch}
            for future in as_completed(futures):
                path = futures[future]
                nb, secs, error = future.result()
                print(f"annhist book: executed {path.stem} in {secs:.1f} s" + (" (FAILED)" if error else ""),
                      flush=True)
                if error is None:
                    _store(cache, path, nb, secs)
                    done[path.stem] = round(secs, 1)
    if done:
        times_file.write_text(json.dumps({**seconds, **done}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return done


if __name__ == "__main__":
    execute_all(Path(sys.argv[1]).resolve(), int(sys.argv[2]) if len(sys.argv) > 2 else os.cpu_count() or 1)
