"""Execute every chapter top to bottom as a notebook: a failing cell fails the suite.

Each chapter is a MyST-Markdown notebook (jupytext); it is read with jupytext and run
with nbclient in a fresh kernel whose working directory is ``chapters/``. The test id is
the chapter's file name, and a failure names the cell.

Like the book build, the executions of one test session share a result cache (a fresh folder
of this session, never the build's): the reproductions chapter, executed last, reads the runs
that the chapters made in this session instead of repeating them, and its text must still
equal the build's, whose values came from the build's own runs. The chapters run in one
xdist worker, in order, so those runs exist when it executes.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from annhist.experiments import cache

jupytext = pytest.importorskip("jupytext", reason="jupytext is in the 'test' extra")
nbclient = pytest.importorskip("nbclient", reason="nbclient is in the 'test' extra")

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
BUILT = ROOT / "book" / "_build" / "jupyter_execute" / "chapters"
_IDS = re.compile(r"[0-9a-f]{32}|_anim_[0-9a-f]+|0x[0-9a-f]{6,}")
FILES = sorted(p for p in CHAPTERS.glob("*.md"))


def execute_chapter(path: Path, result_cache: Path | None = None):
    """Execute one chapter and return the executed notebook; with ``result_cache``, its
    experiment runs are shared through that folder as in the book build."""
    nb = jupytext.read(path)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("ANNHIST_BOOK", "1")   # explorables take their static (book) form
    if result_cache is None:
        client.execute()
        return nb
    os.environ[cache.ENV_VAR] = str(result_cache)        # the kernel inherits the environment
    try:
        client.execute()
    finally:
        del os.environ[cache.ENV_VAR]
    return nb


def text_outputs(cells) -> list[list[str]]:
    """Per code cell, its text outputs (streams, text/plain, text/markdown, text/html with
    random element ids masked); images and timings are left out."""
    out = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        texts: list[str] = []
        streams: list[str] = []
        for o in cell.get("outputs", []):
            if o["output_type"] == "stream":
                streams.append("".join(o["text"]))
            for mime in ("text/plain", "text/markdown", "text/html"):
                if mime in o.get("data", {}):
                    texts.append(mime + ":" + _IDS.sub("#", "".join(o["data"][mime])).rstrip())
        # The book merges stream outputs (nb_merge_streams): compare their concatenation.
        out.append(["streams:" + "".join(streams).rstrip(), *texts])
    return out


def built_from_these_sources(path: Path) -> bool:
    """True when the book build executed this chapter, as it is, with annhist's current sources."""
    built = BUILT / f"{path.stem}.ipynb"
    stamp = ROOT / "book" / "_build" / ".annhist-sources.sha256"
    return (built.is_file() and built.stat().st_mtime >= path.stat().st_mtime and stamp.is_file()
            and stamp.read_text().strip() == cache.package_hash())


@pytest.mark.slow
@pytest.mark.xdist_group("chapters")
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_chapter_executes_and_matches_the_book_build(path: Path, session_results: Path) -> None:
    """Executes the chapter; if the book was built, the text outputs of this run must equal
    the build's, cell by cell: two executions, identical results.

    ``make test`` right after ``make book`` would execute every chapter a second time (minutes):
    when the build executed this chapter from the current sources (a failing cell fails the
    build), the second execution runs only with ``ANNHIST_REEXECUTE_CHAPTERS=1``.
    """
    if built_from_these_sources(path) and not os.environ.get("ANNHIST_REEXECUTE_CHAPTERS"):
        # The build executed this chapter from the current sources: check what it kept -- every
        # code cell of the chapter executed, no error and no stderr -- instead of a second run
        # (ANNHIST_REEXECUTE_CHAPTERS=1 executes it again and compares the outputs).
        cells = json.loads((BUILT / f"{path.stem}.ipynb").read_text(encoding="utf-8"))["cells"]
        code = [c for c in cells if c["cell_type"] == "code"]
        source = path.read_text(encoding="utf-8").count("```{code-cell}")
        assert len(code) == source, f"{path.name}: the build kept {len(code)} code cells of {source}"
        assert all(c.get("execution_count") for c in code), f"{path.name}: a code cell was not executed"
        bad = [o for c in code for o in c.get("outputs", [])
               if o["output_type"] == "error" or o.get("name") == "stderr"]
        assert not bad, f"{path.name}: the build's outputs hold an error or stderr: {bad[:1]}"
        return
    try:
        nb = execute_chapter(path, session_results)
    except nbclient.exceptions.CellExecutionError as exc:
        pytest.fail(f"chapter {path.name}: a cell failed:\n{exc}", pytrace=False)
    built = BUILT / f"{path.stem}.ipynb"
    if built.is_file() and built.stat().st_mtime >= path.stat().st_mtime:
        previous = json.loads(built.read_text(encoding="utf-8"))
        mine = text_outputs(nb.cells)
        theirs = text_outputs(previous["cells"])
        assert len(mine) == len(theirs), f"{path.name}: cell count differs from the book build"
        for i, (a, b) in enumerate(zip(mine, theirs)):
            assert a == b, f"{path.name}: code cell {i} printed different text than in the book build"


def test_every_chapter_has_a_jupytext_header() -> None:
    assert FILES, "no chapters found"
    for path in FILES:
        head = path.read_text(encoding="utf-8").split("---", 2)[1]
        assert "format_name: myst" in head and "kernelspec" in head, path.name
