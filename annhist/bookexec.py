"""Execute the book's chapters side by side, into Jupyter Book's execution cache.

Jupyter Book 1 (myst-nb, ``execute_notebooks: cache``) executes a chapter when Sphinx reads it,
one chapter after another. Before Sphinx starts, ``annhist book`` runs this module: every
chapter whose code cells are not in the cache yet is executed here, on every core (one kernel
per chapter, the longest chapters first), and stored in the cache exactly as myst-nb would
store it -- the same reader, the same working directory (``chapters/``), time limit and
environment. Sphinx then finds every chapter in the cache and only renders it.

Chapters are independent (each runs in its own kernel), with one exception: a chapter in
``RUN_LAST`` reads the runs the other chapters made (the "What we reproduced" page, through
the result cache of :mod:`annhist.experiments.cache`), so it starts when they have finished;
the experiments that page shows and no chapter runs (``PAGE_RUNS``) are run beside the
chapters, into that result cache (keyed on the experiment, its settings and annhist's sources).
A chapter that fails here is not stored: Sphinx executes it again and reports the failing
cell, as without this step. Run as ``python -m annhist.bookexec BOOK_DIR [JOBS]``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

__all__ = ["RUN_LAST", "chapters", "execute_all", "toc_files"]

RUN_LAST = ("11-reproductions",)      # reads the other chapters' runs from the result cache
TIMEOUT = 300                         # seconds per cell, as book/_config.yml (execute: timeout)
SECONDS_FILE = ".annhist-chapter-seconds.json"   # last build's times: the longest chapters start first


def toc_files(book: Path) -> list[str]:
    """Every file of the table of contents (``_toc.yml``, jb-book format) in reading order: the
    root, then each part's chapters, each followed by its ``sections`` (at any depth)."""
    import yaml

    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"], *_toc_entries(toc)]


def _toc_entries(item: dict) -> Iterator[str]:
    for key in ("parts", "subtrees", "chapters", "sections"):
        for entry in item.get(key, []):
            if "file" in entry:
                yield entry["file"]
            yield from _toc_entries(entry)


def chapters(book: Path) -> list[Path]:
    """The chapter files of the table of contents that are notebooks (MyST Markdown with a kernel)."""
    paths = [book.parent / f"{name}.md" for name in toc_files(book)]
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


def _cost(job: tuple, seconds: dict[str, float]) -> float:
    """A job's expected seconds: the last build's, else a guess (a chapter's size in kB; 10 s a run)."""
    label, _, args = job
    return seconds.get(label, args[0].stat().st_size / 1000.0 if isinstance(args[0], Path) else 10.0)


def _store(cache, path: Path, nb, seconds: float) -> None:
    from jupyter_cache.base import CacheBundleIn

    cache.cache_notebook_bundle(CacheBundleIn(nb, str(path), data={"execution_seconds": seconds}),
                                check_validity=False, overwrite=True)


def _prefetch(name: str, options: dict) -> tuple[None, float, str | None]:
    """Run one of the page's own experiments (in a worker process) into the build's result cache."""
    import time

    from annhist import experiments

    start = time.perf_counter()
    experiments.run_dict(name, seed=0, **options)          # a hit costs nothing; a run is stored
    return None, time.perf_counter() - start, None


def _page_runs() -> list[tuple[str, dict]]:
    """The runs of the "What we reproduced" page that no chapter makes (``PAGE_RUNS``): the build
    makes them beside the chapters, so the page, executed last, finds every run in the cache.
    Imported here, before the workers start: they inherit the imported registry."""
    from annhist.experiments.claims import PAGE_RUNS

    return sorted(PAGE_RUNS.items())


def _cached(cache, path: Path) -> bool:
    try:
        cache.match_cache_notebook(_read(path))
    except KeyError:
        return False
    return True


def _run(pool, queue: list, cache, done: dict, jobs: int) -> None:
    """Keep ``jobs`` workers busy with ``queue`` (longest first): chapters, then the page's runs."""
    running: dict = {}
    while queue or running:
        while queue and len(running) < jobs:
            label, fn, args = queue.pop(0)
            running[pool.submit(fn, *args)] = (label, args)
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in finished:
            label, args = running.pop(future)
            nb, secs, error = future.result()
            print(f"annhist book: executed {label} in {secs:.1f} s" + (" (FAILED)" if error else ""), flush=True)
            if error is None:
                if nb is not None:
                    _store(cache, args[0], nb, secs)
                done[label] = round(secs, 1)


def execute_all(book: Path, jobs: int) -> dict[str, float]:
    """Execute (``jobs`` at a time) every chapter not in ``book/_build/.jupyter_cache`` and store it
    there; return the seconds of each chapter executed. Failures are left to Sphinx."""
    from jupyter_cache import get_cache

    cache = get_cache(str(book / "_build" / ".jupyter_cache"))
    times_file = book / "_build" / SECONDS_FILE
    try:
        seconds = dict(json.loads(times_file.read_text(encoding="utf-8")))
    except (OSError, TypeError, ValueError):
        seconds = {}
    todo = [p for p in chapters(book) if not _cached(cache, p)]
    last = [(p.stem, _execute, (p,)) for p in todo if p.stem in RUN_LAST]
    queue = [(p.stem, _execute, (p,)) for p in todo if p.stem not in RUN_LAST]
    if last:
        queue += [(f"run {name}", _prefetch, (name, opts)) for name, opts in _page_runs()]
    queue.sort(key=lambda job: -_cost(job, seconds))
    done: dict[str, float] = {}
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        _run(pool, queue, cache, done, jobs)
        _run(pool, last, cache, done, jobs)
    if done:
        times_file.write_text(json.dumps({**seconds, **done}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return done


if __name__ == "__main__":
    execute_all(Path(sys.argv[1]).resolve(), int(sys.argv[2]) if len(sys.argv) > 2 else os.cpu_count() or 1)
