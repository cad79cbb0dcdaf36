"""The bibliography parses, has each key once, and holds every key a chapter cites."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIB = ROOT / "book" / "references.bib"

pybtex = pytest.importorskip("pybtex.database", reason="pybtex comes with the book toolchain (make venv)")


def test_references_bib_parses_with_unique_keys():
    text = BIB.read_text()
    keys = re.findall(r"(?m)^@\w+\{([^,\s]+),", text)
    dup = [k for k, n in Counter(keys).items() if n > 1]
    assert not dup, f"keys defined twice in references.bib: {dup}"
    db = pybtex.parse_file(str(BIB))                 # raises on an unclosed entry, naming the line
    assert len(db.entries) == len(keys)


def test_every_cited_key_is_in_the_bibliography():
    known = set(re.findall(r"(?m)^@\w+\{([^,\s]+),", BIB.read_text()))
    missing = []
    for chapter in sorted((ROOT / "chapters").glob("*.md")):
        for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", chapter.read_text()):
            missing += [f"{chapter.name}: {k.strip()}" for k in group.split(",") if k.strip() not in known]
    assert not missing, missing
