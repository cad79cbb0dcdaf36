"""What the book costs: cold and warm build times, each chapter's execution time and peak memory.

``python -m benchmarks --book`` (``make bench``) copies the repository's ``book/``,
``chapters/`` and ``annhist/`` into a temporary folder and measures there -- never in
``book/_build`` -- with that copy of annhist first on the children's ``PYTHONPATH`` (one
snapshot of the code for every measurement, whatever happens to the working tree meanwhile):

1. **Chapters.** Every ``chapters/*.md`` is executed top to bottom (jupytext + nbclient, as
   ``tests/test_chapters.py`` does) in a fresh child process with a fresh kernel, one
   chapter at a time. Two probe cells are added, one before the chapter's first cell and one
   after its last. Reported: ``cells_s``, the time from the first probe to the last (every
   cell of the chapter, imports included, kernel start-up excluded); ``wall_s``, the child's
   whole run (kernel start-up and shut-down included); and ``peak_rss_mib``, the kernel
   process's peak resident set size -- ``getrusage(RUSAGE_SELF).ru_maxrss``, the high-water
   mark of the physical memory the kernel held, which includes the Python interpreter,
   numpy, matplotlib and every module the chapter imports. (Memory of processes that a
   chapter starts is not in it; none of ours does. The JSON's ``children_peak_rss_mib`` is the
   largest child the kernel waited for -- ipykernel starts one, ~49 MiB, at start-up.) An
   empty notebook is measured the same way, as the baseline that every chapter pays. As in the
   build, the chapters share one result cache (``ANNHIST_RESULT_CACHE``, a fresh folder of this
   run; :mod:`annhist.experiments.cache`), in order: a chapter's cost is its cost in a build where
   the chapters before it ran (the reproductions page reads their runs back). With ``--chapters``
   only the chosen chapters run, so a page that reads runs of skipped chapters makes them itself.
2. **Cold build.** ``annhist.bookbuild.build_book(force=True, root=COPY)``: the execution cache
   is cleared, every chapter re-executes, Sphinx writes the whole HTML book.
3. **Warm build.** The same call again without ``force``, nothing changed: what ``make book``
   costs when nothing needs re-executing (skipped when the cold build failed: a failed build
   writes no sources stamp, so the next one is cold again). Also reported: jupyter-cache's
   own execution time of each chapter during the cold build, and how many notebooks each
   build executed.

These children run with the environment ``make book`` would see (the OPENBLAS_* variables that
the benchmark runner changes for its own timing are put back as they were), without ``CI``
(which would make every build cold).

``python -m benchmarks.book --run-chapter PATH`` is the child that executes one chapter.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from annhist.experiments.cache import ENV_VAR as RESULT_CACHE_VAR

ROOT = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns("_build", ".jupyter_cache", ".ipynb_checkpoints", "__pycache__")
ORIGINAL_ENV = "ANNHIST_BENCH_ORIGINAL_ENV"    # set by the runner when it removed variables

_START = "import time as _bench_time\n_bench_t0 = _bench_time.perf_counter()"
_PROBE = """import json as _bench_json, resource as _bench_resource
print("ANNHIST-BENCH " + _bench_json.dumps({
    "cells_s": _bench_time.perf_counter() - _bench_t0,
    "maxrss_kib": _bench_resource.getrusage(_bench_resource.RUSAGE_SELF).ru_maxrss,
    "children_maxrss_kib": _bench_resource.getrusage(_bench_resource.RUSAGE_CHILDREN).ru_maxrss,
    "annhist_file": getattr(__import__("sys").modules.get("annhist"), "__file__", None)}))"""


def book_env(snapshot: Path | None = None) -> dict[str, str]:
    """The environment of ``make book``: ours, with the variables the runner removed put back.

    With ``snapshot``, the copy of annhist in that folder is imported instead of the working tree's.
    """
    env = dict(os.environ)
    for key, value in json.loads(env.pop(ORIGINAL_ENV, "{}")).items():   # None: the runner added it
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    env.pop("CI", None)
    env.update(MPLBACKEND="Agg", PYDEVD_DISABLE_FILE_VALIDATION="1")
    if snapshot is not None:
        env["PYTHONPATH"] = str(snapshot)
    return env


def copy_sources(dst: Path) -> Path:
    """Copy ``book/`` (without ``_build``), ``chapters/`` and the ``annhist`` package into ``dst``.

    ``book/chapters`` stays a symlink. The package is copied too, and put first on the
    children's ``PYTHONPATH``: the book is built from one snapshot of the code, even while
    someone edits the working tree (an edit between the cold and the warm build would change
    ``build_book``'s sources hash and make the warm build re-execute everything).
    """
    for name in ("book", "chapters", "annhist"):
        shutil.copytree(ROOT / name, dst / name, symlinks=True, ignore=IGNORE)
    return dst


# ----------------------------------------------------------------------------- one chapter (child)
def run_chapter(path: Path) -> dict[str, Any]:
    """Execute one chapter in a fresh kernel; return times and the kernel's peak memory."""
    import jupytext
    import nbclient
    import nbformat

    nb = jupytext.read(path) if path.stat().st_size else nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(_START), *nb.cells, nbformat.v4.new_code_cell(_PROBE)]
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    t0 = time.perf_counter()
    client.execute()
    wall = time.perf_counter() - t0
    text = "".join(o.get("text", "") for o in nb.cells[-1].get("outputs", []) if o["output_type"] == "stream")
    probe = json.loads(text.split("ANNHIST-BENCH ", 1)[1])
    return {"cells_s": probe["cells_s"], "wall_s": wall, "peak_rss_mib": probe["maxrss_kib"] / 1024,
            "children_peak_rss_mib": probe["children_maxrss_kib"] / 1024, "annhist_file": probe["annhist_file"],
            "code_cells": sum(c["cell_type"] == "code" for c in nb.cells) - 2}


def _child_chapter(path: Path, env: dict[str, str], timeout: float = 900) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.book", "--run-chapter", str(path)]
    try:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": "failed", "error": f"timed out after {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"status": "failed", "error": (proc.stderr or proc.stdout).strip()[-1500:]}
    return {"status": "ok", **json.loads(proc.stdout.strip().splitlines()[-1])}


# ----------------------------------------------------------------------------- builds
def _build(root: Path, *, force: bool, env: dict[str, str], log: Path) -> dict[str, Any]:
    code = ("import sys\nfrom annhist.bookbuild import build_book\n"
            f"sys.exit(build_book(force={force!r}, root={str(root)!r}))")
    t0 = time.perf_counter()
    with log.open("w") as fh:
        try:
            proc = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, stdout=fh,
                                  stderr=subprocess.STDOUT, timeout=3600)
            rc = proc.returncode
        except subprocess.TimeoutExpired:
            rc = -1
    row: dict[str, Any] = {"seconds": time.perf_counter() - t0, "status": "ok" if rc == 0 else "failed",
                           "returncode": rc}
    if rc != 0:
        text = re.sub(r"\x1b\[[0-9;]*m", "", log.read_text(errors="replace"))    # no terminal colours
        row["problems"] = [line.strip() for line in text.splitlines()
                           if re.search(r"WARNING|ERROR|Error:|failed to execute", line)][:10]
        row["log_tail"] = text[-3000:]
    text = log.read_text(errors="replace")
    row["messages"] = [line.strip() for line in text.splitlines() if line.startswith("annhist book:")][:4]
    # Chapters run side by side before Sphinx ("annhist book: executed NAME in S s"; the page's own
    # runs are "run NAME"); Sphinx executes a chapter itself only if that failed.
    row["notebooks_executed"] = (len(re.findall(r"annhist book: executed (?!run )", text))
                                 + len(re.findall(r"Executing notebook using", text)))
    row["notebooks_from_cache"] = len(re.findall(r"Using cached notebook", text))
    return row


def _cache_times(root: Path) -> dict[str, float]:
    """jupyter-cache's execution time of each chapter during the build in ``root``."""
    try:
        from jupyter_cache import get_cache
        records = get_cache(root / "book" / "_build" / ".jupyter_cache").list_cache_records()
        return {Path(r.uri).stem: float(r.data.get("execution_seconds", float("nan"))) for r in records}
    except Exception:   # noqa: BLE001 - an optional cross-check; never fail the benchmark for it
        return {}


def measure_book(*, chapters: str = "", build: bool = True,
                 progress: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """Chapters (each in a fresh kernel), then a cold and a warm build, in a temporary copy."""
    with tempfile.TemporaryDirectory(prefix="annhist-bench-book-") as tmp:
        root = copy_sources(Path(tmp))
        env = book_env(root)
        out: dict[str, Any] = {"environment": {k: env.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                                                                        "OPENBLAS_THREAD_TIMEOUT")},
                               "annhist": "a copy of the working tree's package, taken at the start"}
        empty = root / "empty.md"
        empty.write_text("")
        progress("book: an empty notebook (baseline kernel) ...")
        out["baseline"] = _child_chapter(empty, env)
        rows = []
        chapter_env = dict(env, **{RESULT_CACHE_VAR: str(Path(tmp) / "annhist-results")})   # as in the build
        for path in sorted((root / "chapters").glob("*.md")):
            if chapters and chapters not in path.stem:
                continue
            progress(f"book: executing {path.stem} in a fresh kernel ...")
            rows.append({"chapter": path.stem, **_child_chapter(path, chapter_env)})
        out["chapters"] = rows
        if build:
            progress("book: cold build (cache cleared, every chapter executes) ...")
            out["cold_build"] = _build(root, force=True, env=env, log=Path(tmp) / "cold.log")
            cached = _cache_times(root)
            if out["cold_build"]["status"] == "ok":
                progress("book: warm build (nothing changed) ...")
                out["warm_build"] = _build(root, force=False, env=env, log=Path(tmp) / "warm.log")
            else:    # a failed build leaves no sources stamp: the next one would re-execute everything
                out["warm_build"] = {"status": "skipped", "reason": "the cold build failed", "seconds": None}
            for row in rows:
                if row["chapter"] in cached:
                    row["cold_build_exec_s"] = cached[row["chapter"]]
    return out


# ----------------------------------------------------------------------------- report
def format_book(book: dict[str, Any], *, markdown: bool = False) -> str:
    """The book measurements as a text (or Markdown) table."""
    def fmt(r: dict[str, Any], key: str, spec: str) -> str:
        return format(r[key], spec) if r.get(key) is not None else "-"

    head = ["chapter", "cells (s)", "with kernel start (s)", "in cold build (s)", "peak RSS (MiB)"]
    body = []
    base = book.get("baseline", {})
    for r in [{"chapter": "(empty notebook)", **base}, *book.get("chapters", [])]:
        if r.get("status") != "ok":
            body.append([r["chapter"], "FAILED: " + str(r.get("error", "")).splitlines()[-1][:60], "", "", ""])
            continue
        body.append([r["chapter"], fmt(r, "cells_s", ".2f"), fmt(r, "wall_s", ".2f"),
                     fmt(r, "cold_build_exec_s", ".2f"), fmt(r, "peak_rss_mib", ".0f")])
    lines = _table(head, body, markdown)
    for key, label in (("cold_build", "cold build (cache cleared)"), ("warm_build", "warm build (nothing changed)")):
        if key in book:
            b = book[key]
            if b["status"] == "skipped":
                lines.append(f"{'- ' if markdown else ''}{label}: not run ({b['reason']})")
                continue
            status = "" if b["status"] == "ok" else f"  FAILED (exit {b['returncode']}): " + \
                "; ".join(b.get("problems", [])[:2])[:200]
            ran = f" ({b['notebooks_executed']} notebooks executed)" if "notebooks_executed" in b else ""
            lines.append(f"{'- ' if markdown else ''}{label}: {b['seconds']:.1f} s{ran}{status}")
    return "\n".join(lines)


def _table(head: list[str], body: list[list[str]], markdown: bool, left: tuple[int, ...] = (0,)) -> list[str]:
    """A text (or Markdown) table; the columns in ``left`` are text, aligned left, the others numbers."""
    if markdown:
        rule = "|" + "|".join("---" if i in left else "---:" for i in range(len(head))) + "|"
        return ["| " + " | ".join(head) + " |", rule, *("| " + " | ".join(r) + " |" for r in body), ""]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body)]
    last = len(head) - 1 if len(head) - 1 in left else -1   # a last text column is free text: never padded

    def row(r: list[str]) -> str:
        return "  ".join(str(x).ljust(w) if i in left and i != last else str(x) if i == last else str(x).rjust(w)
                         for i, (x, w) in enumerate(zip(r, widths))).rstrip()
    return [row(head), "-" * max(len(row(r)) for r in [head, *body]), *map(row, body)]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 2 and args[0] == "--run-chapter":
        print(json.dumps(run_chapter(Path(args[1]))))
        return 0
    print("usage: python -m benchmarks.book --run-chapter PATH   (the book measurements run from "
          "`python -m benchmarks --book`)", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
