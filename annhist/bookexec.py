"""Execute the book's chapters side by side, into Jupyter Book's execution cache.

Jupyter Book 1 (myst-nb, ``execute_notebooks: cache``) executes a chapter when Sphinx reads it, one
chapter after another. Before Sphinx reads them, ``annhist book`` runs this module: every chapter whose
code cells are not in the cache yet is executed here, on every core (one worker per core, the longest
chapters first), and stored in the cache exactly as myst-nb would store it -- the same reader, the same
working directory (``chapters/``), time limit and environment. Sphinx then finds every chapter in the
cache and only renders it. Each worker reuses one kernel, reset before each chapter to what a fresh
kernel is (:mod:`annhist.bookkernel`).

Chapters are independent (each sees a fresh kernel), with one exception: a chapter in ``RUN_LAST``
reads the runs the other chapters made (the "What we reproduced" page, through the result cache of
:mod:`annhist.experiments.cache`), so it starts when they have finished; the experiments that page
shows and no chapter runs (``PAGE_RUNS``) are run after the chapters, in the workers' kernels, into
that result cache (keyed on the experiment, its settings and annhist's sources). When every chapter
executes (the cache was cleared), the workers start their kernels first, while this process reads
the chapters. Sphinx starts before the last chapters have finished and waits for each
(:mod:`annhist.bookwait`). A chapter that fails here is not stored: Sphinx
executes it again and reports the failing cell, as without this step. Each job's numpy BLAS gets its
share of the cores (:func:`blas_threads_per_job`). Run as ``python -m annhist.bookexec BOOK_DIR [JOBS]``.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

from annhist import bookwait
from annhist.bookkernel import TIMEOUT, execute_notebook, run_in_kernel
from annhist.bookkernel import kernel as _kernel

__all__ = ["RUN_LAST", "blas_threads_per_job", "chapters", "execute_all", "toc_files"]

RUN_LAST = ("11-reproductions",)      # reads the other chapters' runs from the result cache
SECONDS_FILE = ".annhist-chapter-seconds.json"   # last build's times: the longest chapters start first
# A fresh clone has no last build: the chapters' times kept in the repository (book/chapter-seconds.json).
DEFAULT_SECONDS_FILE = "chapter-seconds.json"


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
    """Run one chapter (in a worker process): the executed notebook, its time, its error."""
    result = execute_notebook(_read(path), str(path.parent))
    return result.nb, result.time, result.exc_string


def _longest_first(jobs: list, seconds: dict[str, float]) -> list:
    """``(label, fn, args, expected seconds)``, longest first: the last build's seconds, else a guess (a
    chapter: its size in kB; a run: 10)."""
    guess = {job[0]: job[2][0].stat().st_size / 1000.0 if isinstance(job[2][0], Path) else 10.0 for job in jobs}
    return sorted([(*job, seconds.get(job[0], guess[job[0]])) for job in jobs], key=lambda job: -job[3])


def _store(cache, path: Path, nb, seconds: float) -> None:
    from jupyter_cache.base import CacheBundleIn
    cache.cache_notebook_bundle(CacheBundleIn(nb, str(path), data={"execution_seconds": seconds}),
                                check_validity=False, overwrite=True)


def _warm(cwd: str) -> None:
    """Start this worker's kernel and its imports (in a worker process), so that its first chapter
    finds them done; a kernel that fails to start is left to that chapter (:func:`execute_notebook`)."""
    with contextlib.suppress(RuntimeError, TimeoutError):
        _kernel(cwd)


def _prefetch(name: str, options: dict, cwd: str) -> tuple[None, float, str | None]:
    """Run one of the page's own experiments into the build's result cache, in this worker's
    kernel, as fresh as for a chapter, whose imports (``annhist.bookkernel.WARM_MODULES``) are done;
    a hit costs nothing, a run is stored (the kernel has the cache's variable in its environment)."""
    start = time.perf_counter()
    code = (f"from annhist import experiments as _experiments\n"                 # (assigned: not echoed back)
            f"_stored = _experiments.run_dict({name!r}, seed=0, **{options!r})\n")
    try:
        run_in_kernel(cwd, code, timeout=TIMEOUT)
    except (RuntimeError, TimeoutError) as exc:           # the page runs it again and shows any error
        return None, time.perf_counter() - start, str(exc)
    return None, time.perf_counter() - start, None


def _page_runs() -> list[tuple[str, dict]]:
    """The runs of the "What we reproduced" page that no chapter makes (``PAGE_RUNS``), made so that
    the page, executed last, finds every run in the cache."""
    from annhist.buildkeys import PAGE_RUNS

    return sorted(PAGE_RUNS.items())


def _cached(cache, path: Path) -> bool:
    try:
        return cache.match_cache_notebook(_read(path)) is not None
    except KeyError:
        return False


def _run(pool, queue: list, cache, done: dict, jobs: int, ready: bool = False, then: tuple = ()) -> None:
    """Keep ``jobs`` workers busy with ``queue``, in its order; publish the chapters to come (``queue``'s,
    then ``then``: :func:`bookwait.publish`); with ``ready``, print :data:`bookwait.READY` once those
    of ``queue`` are expected to take at most ``bookwait.AHEAD_S`` seconds per worker."""
    running: dict = {}
    left = {job[0]: job[3] for job in queue if job[1] is _execute}     # chapters not finished
    while queue or running or ready:
        bookwait.publish([*left, *then])
        if ready and (not left or sum(left.values()) <= bookwait.AHEAD_S * jobs):
            print(bookwait.READY, flush=True)
            ready = False
            continue
        while queue and len(running) < jobs:
            label, fn, args, _ = queue.pop(0)
            running[pool.submit(fn, *args)] = (label, fn, args)
        for future in wait(running, return_when=FIRST_COMPLETED)[0]:
            label, fn, args = running.pop(future)
            nb, secs, error = future.result()
            print(f"annhist book: executed {label} in {secs:.1f} s" + (" (FAILED)" if error else ""), flush=True)
            if error is None:
                if nb is not None:
                    _store(cache, args[0], nb, secs)
                done[label] = round(secs, 1)
            left.pop(label, None)
    bookwait.publish(list(then))


def blas_threads_per_job(jobs: int) -> None:
    """Give each of ``jobs`` side-by-side jobs its share of the cores for numpy's BLAS (OpenBLAS, OpenMP),
    unless the environment already says how many threads to use. Set before numpy is imported here, so
    this process, its workers and their kernels all start with it. Else every kernel's BLAS starts a
    thread per core: two kernels on two cores ran four threads, the idle ones spinning (chapter 08: 9-9.5 s
    CPU with one BLAS thread, 13-14 s with two). The numbers do not change (every output checked, bit for bit).
    """
    share = str(max(1, (os.cpu_count() or 1) // max(1, jobs)))
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, share)


def execute_all(book: Path, jobs: int) -> dict[str, float]:
    """Execute (``jobs`` at a time) every chapter not in ``book/_build/.jupyter_cache`` and store it
    there; return the seconds of each chapter executed. Failures are left to Sphinx."""
    blas_threads_per_job(jobs)                        # first: before anything here imports numpy
    cache_dir = book / "_build" / ".jupyter_cache"
    every = not cache_dir.exists()                    # cleared: every chapter executes
    paths = chapters(book)
    times_file = book / "_build" / SECONDS_FILE
    seconds: dict[str, float] = {}
    for known in (book / DEFAULT_SECONDS_FILE, times_file):          # the last build's win
        with contextlib.suppress(OSError, TypeError, ValueError):
            seconds.update(json.loads(known.read_text(encoding="utf-8")))
    done: dict[str, float] = {}
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        if every and paths:
            # The workers start their kernels (~3 s of imports each) at once, while this process
            # opens the cache and reads the chapters (~1 s); else a core idled for 3 s.
            for _ in range(max(1, jobs)):
                pool.submit(_warm, str(paths[0].parent))
        from jupyter_cache import get_cache

        cache = get_cache(str(cache_dir))
        todo = [p for p in paths if not _cached(cache, p)]
        last = [(p.stem, _execute, (p,), 0.0) for p in todo if p.stem in RUN_LAST]
        queue = _longest_first([(p.stem, _execute, (p,)) for p in todo if p.stem not in RUN_LAST], seconds)
        if last:
            cwd = str(last[0][2][0].parent)
            queue += _longest_first([(f"run {name}", _prefetch, (name, opts, cwd))
                                     for name, opts in _page_runs()], seconds)
        _run(pool, queue, cache, done, jobs, ready=True, then=tuple(job[0] for job in last))
        _run(pool, last, cache, done, jobs)
    if done:
        times_file.write_text(json.dumps({**seconds, **done}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return done


if __name__ == "__main__":
    execute_all(Path(sys.argv[1]).resolve(), int(sys.argv[2]) if len(sys.argv) > 2 else os.cpu_count() or 1)
