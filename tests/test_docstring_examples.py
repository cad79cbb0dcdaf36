"""Every example in annhist's docstrings (``>>>``) runs and prints what it shows (the API pages show them)."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import numpy as np
import pytest

import annhist

ROOT = Path(annhist.__file__).parent
MODULES = sorted("annhist." + ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
                 for p in ROOT.rglob("*.py") if ">>> " in p.read_text(encoding="utf-8"))


def test_the_examples_are_found():
    assert len(MODULES) >= 20 and "annhist.xor.minsky_papert" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = [t for t in doctest.DocTestFinder().find(module, name, globs={"np": np}) if t.examples]
    assert tests, f"{name} shows '>>> ' but no example was found in its docstrings"
    for test in tests:
        test.globs = {"np": np, **vars(module)}
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
