"""Execute every chapter top to bottom as a notebook: a failing cell fails the suite.

Each chapter is a MyST-Markdown notebook (jupytext); it is read with jupytext and run
with nbclient in a fresh kernel whose working directory is ``chapters/``. The test id is
the chapter's file name, and a failure names the cell.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

jupytext = pytest.importorskip("jupytext", reason="jupytext is in the 'test' extra")
nbclient = pytest.importorskip("nbclient", reason="nbclient is in the 'test' extra")

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"
FILES = sorted(p for p in CHAPTERS.glob("*.md"))


def execute_chapter(path: Path):
    """Execute one chapter and return the executed notebook."""
    nb = jupytext.read(path)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    os.environ.setdefault("MPLBACKEND", "Agg")
    client.execute()
    return nb


@pytest.mark.slow
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_chapter_executes(path: Path) -> None:
    try:
        execute_chapter(path)
    except nbclient.exceptions.CellExecutionError as exc:
        pytest.fail(f"chapter {path.name}: a cell failed:\n{exc}", pytrace=False)


def test_every_chapter_has_a_jupytext_header() -> None:
    assert FILES, "no chapters found"
    for path in FILES:
        head = path.read_text(encoding="utf-8").split("---", 2)[1]
        assert "format_name: myst" in head and "kernelspec" in head, path.name
