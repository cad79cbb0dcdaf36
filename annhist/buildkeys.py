"""What the book build and its result cache are keyed on, in a module that imports nothing else.

:func:`sources_hash` is the SHA-256 of annhist's sources: ``annhist book`` re-executes every
chapter when it changes, and :mod:`annhist.experiments.cache` puts it in the key of every entry.
``RESULT_CACHE_VAR`` names the environment variable by which the build tells the chapters'
kernels where that cache is. ``PAGE_RUNS`` are the runs that the "What we reproduced" page shows
and no chapter makes: the build makes them after the chapters, into that cache. All three live
here, not in :mod:`annhist.experiments`, because importing anything of that package loads the
experiment registry (every milestone and scikit-learn, 1.3 s), which ``annhist book`` and
``annhist.bookexec`` would otherwise do before they start the kernels.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

__all__ = ["PAGE_RUNS", "RESULT_CACHE_VAR", "sources_hash"]

RESULT_CACHE_VAR = "ANNHIST_RESULT_CACHE"

# The experiments of the "What we reproduced" page that no chapter runs, with the page's settings
# (annhist.experiments.claims uses them for those rows). No chapter trains LeNet-5 (`annhist run
# lenet5` trains 10 passes, minutes); its rows use one pass, which is enough for the counts and
# keeps the page quick; the test-error row says so. The embedded Reber grammar is not trained in
# chapter 09b; its rows use 3 trials of at most 3,000 sequences (`annhist run lstm-reber`: 6 and
# 10,000).
PAGE_RUNS: dict[str, dict[str, Any]] = {"lenet5": {"epochs": 1},
                                        "lstm-reber": {"trials": 3, "max_sequences": 3000}}


def sources_hash(package_dir: Path) -> str:
    """SHA-256 over the names and contents of every ``.py`` file of the package."""
    h = hashlib.sha256()
    for path in sorted(Path(package_dir).rglob("*.py")):
        h.update(str(path.relative_to(package_dir)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()
