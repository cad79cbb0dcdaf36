"""Execute the book's chapters side by side, into Jupyter Book's execution cache.

Jupyter Book 1 (myst-nb, ``execute_notebooks: cache``) executes a chapter when Sphinx reads it, one
chapter after another. Before Sphinx reads them, ``annhist book`` runs this module: every chapter whose
code cells are not in the cache yet is executed here, on every core (one worker per core, the longest
chapters first), and stored in the cache exactly as myst-nb would store it -- the same reader, the same
working directory (``chapters/``), time limit and environment. Sphinx then finds every chapter in the
cache and only renders it. Each worker reuses one kernel, reset before each chapter to what a fresh
kernel is (see :class:`_Kernel`).

Chapters are independent (each sees a fresh kernel), with one exception: a chapter in ``RUN_LAST``
reads the runs the other chapters made (the "What we reproduced" page, through the result cache of
:mod:`annhist.experiments.cache`), so it starts when they have finished; the experiments that page
shows and no chapter runs (``PAGE_RUNS``) are run after the chapters, into that result cache (keyed
on the experiment, its settings and annhist's sources). Sphinx starts before the last chapters have
finished and waits for each (:mod:`annhist.bookwait`). A chapter that fails here is not stored: Sphinx
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

__all__ = ["RUN_LAST", "blas_threads_per_job", "chapters", "execute_all", "execute_notebook", "toc_files"]

RUN_LAST = ("11-reproductions",)      # reads the other chapters' runs from the result cache
TIMEOUT = 300                         # seconds per cell, as book/_config.yml (execute: timeout)
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


# A kernel costs about 1.5 s to start and the chapters' imports (numpy, scipy, scikit-learn, matplotlib,
# annhist) 2-4 s more: a third of the build when each of 14 chapters pays them. So each worker keeps
# one kernel, which imports those once, and puts it back as a fresh kernel would be before every
# chapter: an empty namespace and a new history session (prompts from 1: ``InteractiveShell.reset(
# new_session=True)``), no open figure, no "already shown" warning records. What stays is what imports
# leave: modules and their caches, which a chapter cannot see -- unless a chapter changed a global
# setting (the warning filters or matplotlib's rcParams differ from what they were after the imports):
# then the kernel is replaced. The tests execute notebooks this way and in fresh kernels and compare the outputs
# (tests/test_bookexec.py); ``ANNHIST_REEXECUTE_CHAPTERS=1`` compares every chapter.
WARM_MODULES = ("numpy", "scipy", "sklearn", "matplotlib.pyplot", "IPython.display", "annhist.experiments")
_WARM = """
import importlib as _importlib, sys as _sys, types as _types, warnings as _warnings
for _name in %r:
    _importlib.import_module(_name)
import matplotlib as _mpl
with _warnings.catch_warnings():
    _warnings.simplefilter("ignore")               # reading deprecated keys may warn
    _rc = _mpl.rcParams.copy()
_sys.modules["_annhist_fresh"] = _types.SimpleNamespace(filters=list(_warnings.filters), rc=_rc)
"""
_RESET = """
def _annhist_fresh():
    import gc, sys, warnings
    import matplotlib, matplotlib.pyplot as plt
    fresh = sys.modules["_annhist_fresh"]
    plt.close("all")
    filters = list(warnings.filters)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same = filters == fresh.filters and matplotlib.rcParams.copy() == fresh.rc
    for module in list(sys.modules.values()):
        registry = getattr(module, "__warningregistry__", None)
        if isinstance(registry, dict):
            registry.clear()
    get_ipython().reset(new_session=True)
    gc.collect()
    print("annhist-kernel:", "fresh" if same else "changed")
_annhist_fresh()
"""


class _Kernel:
    """One kernel, reused for chapter after chapter (see above); started on first use."""

    def __init__(self, cwd: str):
        from jupyter_client.manager import KernelManager

        self.km = KernelManager(kernel_name="python3")
        self.km.start_kernel(cwd=cwd)
        self.kc = self.km.blocking_client()
        self.kc.start_channels()
        try:
            self.kc.wait_for_ready(timeout=60)
            self._run(_WARM % (tuple(WARM_MODULES),))
            self.reset()                               # the imports' names go too
        except BaseException:
            self.shutdown()
            raise

    def _run(self, code: str) -> str:
        printed: list[str] = []

        def hook(msg):
            if msg["msg_type"] == "stream":
                printed.append(msg["content"]["text"])

        reply = self.kc.execute_interactive(code, store_history=False, timeout=120, output_hook=hook)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"preparing the kernel failed: {reply['content'].get('evalue')}")
        return "".join(printed)

    def reset(self) -> bool:
        """Make the kernel as a fresh one; False if a chapter changed a global setting (replace it)."""
        return "annhist-kernel: fresh" in self._run(_RESET)

    def alive(self) -> bool:
        return self.km.is_alive()

    def shutdown(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


_KERNELS: dict[str, _Kernel] = {}


def _kernel(cwd: str) -> _Kernel:
    """This worker's kernel for ``cwd``, as fresh for the next chapter (a new one if it died or a
    chapter changed a global setting)."""
    kernel = _KERNELS.get(cwd)
    if kernel is not None and not (kernel.alive() and kernel.reset()):
        _KERNELS.pop(cwd).shutdown()
        kernel = None
    if kernel is None:
        from multiprocessing import util

        kernel = _KERNELS[cwd] = _Kernel(cwd)
        util.Finalize(kernel, kernel.shutdown, exitpriority=10)   # run when the worker process exits
    return kernel


def execute_notebook(nb, cwd: str, *, reuse: bool = True):
    """Execute ``nb`` in ``cwd`` as myst-nb would (time limit, errors stop it): in this process's
    reused kernel (``reuse=True``) or in a fresh one. Returns jupyter-cache's ``ExecutionResult``."""
    from jupyter_cache.executors.utils import single_nb_execution

    options = {}
    if reuse:
        try:
            options["km"] = _kernel(cwd).km
        except (RuntimeError, TimeoutError) as exc:     # no reusable kernel: a fresh one, as myst-nb would
            print(f"annhist book: a fresh kernel for this chapter ({exc})", file=sys.stderr, flush=True)
            _KERNELS.pop(cwd, None)
            reuse = False
    result = single_nb_execution(nb, cwd=cwd, timeout=TIMEOUT, allow_errors=False, meta_override=True, **options)
    if reuse and result.exc_string is not None:         # a failed chapter may leave anything behind
        _KERNELS.pop(cwd).shutdown()
    return result


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


def _prefetch(name: str, options: dict) -> tuple[None, float, str | None]:
    """Run one of the page's own experiments (in a worker process) into the build's result cache."""
    from annhist import experiments

    start = time.perf_counter()
    experiments.run_dict(name, seed=0, **options)          # a hit costs nothing; a run is stored
    return None, time.perf_counter() - start, None


def _page_runs() -> list[tuple[str, dict]]:
    """The runs of the "What we reproduced" page that no chapter makes (``PAGE_RUNS``), made so that
    the page, executed last, finds every run in the cache. Imported before the workers start."""
    from annhist.experiments.claims import PAGE_RUNS

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
    from jupyter_cache import get_cache

    cache = get_cache(str(book / "_build" / ".jupyter_cache"))
    times_file = book / "_build" / SECONDS_FILE
    seconds: dict[str, float] = {}
    for known in (book / DEFAULT_SECONDS_FILE, times_file):          # the last build's win
        with contextlib.suppress(OSError, TypeError, ValueError):
            seconds.update(json.loads(known.read_text(encoding="utf-8")))
    todo = [p for p in chapters(book) if not _cached(cache, p)]
    last = [(p.stem, _execute, (p,), 0.0) for p in todo if p.stem in RUN_LAST]
    queue = _longest_first([(p.stem, _execute, (p,)) for p in todo if p.stem not in RUN_LAST], seconds)
    if last:
        queue += _longest_first([(f"run {name}", _prefetch, (name, opts)) for name, opts in _page_runs()], seconds)
    done: dict[str, float] = {}
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        _run(pool, queue, cache, done, jobs, ready=True, then=tuple(job[0] for job in last))
        _run(pool, last, cache, done, jobs)
    if done:
        times_file.write_text(json.dumps({**seconds, **done}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return done


if __name__ == "__main__":
    execute_all(Path(sys.argv[1]).resolve(), int(sys.argv[2]) if len(sys.argv) > 2 else os.cpu_count() or 1)
