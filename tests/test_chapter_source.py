"""Checks of the chapters' Markdown that need no build: what the Markdown parser would misread."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CHAPTERS = sorted((Path(__file__).resolve().parents[1] / "chapters").glob("*.md"))
LIST_ITEM = re.compile(r"\s*([+*-]|\d+[.)])\s")


def math_lines_read_as_list_items(text: str) -> list[int]:
    """Lines that continue an inline formula ($...$ opened on the line before) but start like a list item
    ("+ n_0$"): Markdown then ends the paragraph there, and the page shows raw LaTeX and a bullet."""
    found, open_math, in_code = [], False, False
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if stripped.startswith("```{code-cell}"):
            in_code = True
            continue
        if in_code:
            in_code = stripped != "```"
            continue
        if stripped.startswith("```") or stripped == "" or stripped.startswith("$$"):
            open_math = False
            continue
        if open_math and LIST_ITEM.match(line):
            found.append(number)
        if re.sub(r"`[^`]*`", "", line.replace("\\$", "")).count("$") % 2:
            open_math = not open_math
    return found


def test_the_check_finds_a_formula_broken_by_a_plus_at_the_start_of_a_line():
    broken = "the input $d_t = s_t\n+ n_{0,t}$. The output\n\n- a real list item\n"
    assert math_lines_read_as_list_items(broken) == [2]
    assert math_lines_read_as_list_items("the input\n$d_t = s_t + n_{0,t}$. And\n- a list\n") == []


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_line_of_an_inline_formula_starts_like_a_list_item(path):
    assert math_lines_read_as_list_items(path.read_text(encoding="utf-8")) == []


CODE_WIDTH = 80     # a code line fits its box at 1280 px (83 characters at 13 px; book/_static/annhist.css)
FENCE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")


def long_code_lines(text: str, width: int = CODE_WIDTH) -> list[int]:
    """Lines longer than ``width`` in code cells and in the text's code blocks (```` ```python ````, ```` ``` ````,
    also inside an exercise's solution), not counting a code cell's metadata (its ``---`` block of captions and
    alt text, not shown as code) or directives' text."""
    found, stack, meta = [], [], False
    for number, line in enumerate(text.split("\n"), 1):
        m = FENCE.match(line)
        if m and not meta:
            fence, info = m.group(1), m.group(2).strip()
            if stack and not info and fence == stack[-1][0]:
                stack.pop()
                continue
            if info or not stack or stack[-1][1].startswith("{"):
                stack.append((fence, info))
                meta = info.startswith("{code-cell}") and False
                first = info.startswith("{code-cell}")
                continue
        if not stack:
            continue
        info = stack[-1][1]
        if info.startswith("{") and not info.startswith(("{code-cell}", "{code-block}")):
            continue                                             # a directive's text (an exercise, a figure)
        if info.startswith("{code-cell}") and first and line == "---":
            meta, first = True, False
            continue
        first = False
        if meta:
            meta = line != "---"
            continue
        if len(line) > width:
            found.append(number)
    return found


def test_the_width_check_skips_the_metadata_and_finds_long_lines_in_cells_and_blocks():
    cell = "```{code-cell} ipython3\n---\nmystnb:\n  caption: " + "x" * 90 + "\n---\nprint(1)\n" + "y" * 81 + "\n```\n"
    assert long_code_lines(cell) == [7]
    assert long_code_lines("```python\n" + "z" * 81 + "\n```\n" + "w" * 90 + "\n") == [2]
    solution = "````{solution} ex\n" + "prose " * 20 + "\n```python\nok\n" + "v" * 85 + "\n```\n````\n"
    assert long_code_lines(solution) == [5]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_code_fits_the_page(path):
    assert long_code_lines(path.read_text(encoding="utf-8")) == []
