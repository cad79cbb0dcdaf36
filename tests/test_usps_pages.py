"""What the book's pages say about the data: a note box for the stand-in, never a warning on stderr.

The chapters' own code cells are run here (read with jupytext), with the USPS digits absent
(``ANNHIST_DATA`` an empty folder) or replaced by a small synthetic set; the reproductions
cell runs only the convolutional-network claims, for one pass, to stay fast.
"""

import ast
import warnings
from pathlib import Path

import jupytext
import numpy as np
import pytest
from IPython.display import Markdown

from annhist import experiments
from annhist.datasets.usps import GET_USPS, STAND_IN_NAME, source_note, usps
from annhist.experiments import reproductions
from annhist.experiments.reproductions import (
    CLAIMS,
    STAND_IN_VERDICT,
    reproduce,
    stand_in_note,
    to_markdown,
)

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"
CNN_CLAIMS = tuple(c for c in CLAIMS if c.experiment in ("lecun1989", "lenet5"))


def one_pass(name, seed=0, **options):
    return experiments.run(name, seed=seed, **{**options, "epochs": 1})


@pytest.fixture
def no_usps(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNHIST_DATA", str(tmp_path / "empty"))


@pytest.fixture
def tiny_usps(tmp_path, monkeypatch):
    """A small synthetic set in the data folder, standing for the real USPS digits."""
    rng = np.random.default_rng(0)
    folder = tmp_path / "data"
    folder.mkdir()
    X = np.round(rng.uniform(-1, 1, (60, 16, 16)), 3).astype(np.float32)
    y = np.arange(60, dtype=np.uint8) % 10
    np.savez(folder / "usps.npz", X_train=X[:40], y_train=y[:40], X_test=X[40:], y_test=y[40:])
    monkeypatch.setenv("ANNHIST_DATA", str(folder))


def run_cell(chapter: str, marker: str, monkeypatch) -> tuple[list, object, list]:
    """Run the chapter's code cell containing ``marker``; return (displayed objects, last value, warnings)."""
    nb = jupytext.read(CHAPTERS / chapter)
    (source,) = [c.source for c in nb.cells if c.cell_type == "code" and marker in c.source]
    tree = ast.parse(source)
    last = tree.body.pop() if isinstance(tree.body[-1], ast.Expr) else None
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *objs, **kw: shown.extend(objs))
    env: dict = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exec(compile(tree, chapter, "exec"), env)  # noqa: S102 - the chapter's own cell
        value = eval(compile(ast.Expression(last.value), chapter, "eval"), env) if last else None
    return shown, value, caught


def row_line(markdown: str, quantity: str) -> str:
    (line,) = [s for s in markdown.splitlines() if quantity in s]
    return line


def test_reproductions_page_without_the_data_says_so_in_each_row_and_in_a_note(no_usps, monkeypatch):
    monkeypatch.setattr(reproductions, "reproduce", lambda seed=0: reproduce(CNN_CLAIMS, seed=seed, run=one_pass))
    shown, table, caught = run_cell("11-reproductions.md", "stand_in_note(rows)", monkeypatch)
    assert [str(w.message) for w in caught] == []                           # nothing for stderr
    (note,) = shown
    assert isinstance(note, Markdown) and note.data.startswith("```{note}") and note.data.endswith("```")
    assert "3 of the 8 values" in note.data and STAND_IN_NAME in note.data
    assert "annhist data fetch usps" in note.data and "make book-force" in note.data
    assert isinstance(table, Markdown)
    for quantity in ("zip-code net: test error", "zip-code net: training error", "LeNet-5: test error"):
        line = row_line(table.data, quantity)
        assert f"on **{STAND_IN_NAME}**" in line and line.endswith(f"| *{STAND_IN_VERDICT}* |"), line
    assert "| 0.05 on USPS |" in row_line(table.data, "zip-code net: test error")
    assert "| 0.0095 on MNIST |" in row_line(table.data, "LeNet-5: test error")
    for quantity in ("zip-code net: units", "LeNet-5: trainable parameters"):   # no data involved
        line = row_line(table.data, quantity)
        assert line.endswith("| reproduced |") and "stand-in" not in line


def test_with_usps_installed_rows_name_usps_and_there_is_no_note(tiny_usps):
    rows = reproduce(CNN_CLAIMS, run=one_pass)
    data_rows = [r for r in rows if r.claim.on_data]
    assert len(data_rows) == 3 and all(r.data == "USPS" and not r.stand_in for r in data_rows)
    assert all(r.verdict == "reported" for r in data_rows)
    assert stand_in_note(rows) == ""
    table = to_markdown(rows)
    assert "stand-in" not in table and "| 0.05 on USPS |" in table
    assert "on USPS | `annhist run lecun1989`" in row_line(table, "zip-code net: test error")


def test_convnets_chapter_shows_a_note_box_for_the_stand_in_and_no_warning(no_usps, monkeypatch):
    shown, value, caught = run_cell("09-convnets.md", "source_note(data)", monkeypatch)
    assert [str(w.message) for w in caught] == [] and shown == []
    assert isinstance(value, Markdown) and value.data.startswith("```{note}")
    assert "1,409 training and 388 test images" in value.data and GET_USPS in value.data


def test_source_note_for_the_real_digits_is_one_plain_line(tiny_usps):
    note = source_note(usps())
    assert note == "Data: the USPS zip-code digits, 40 training and 20 test images, 16x16."
