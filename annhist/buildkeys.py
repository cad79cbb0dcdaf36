"""What the book build and its result cache are keyed on, in a module that imports nothing else.

:func:`sources_hash` is the SHA-256 of annhist's sources: ``annhist book`` re-executes every
chapter when it changes, and :mod:`annhist.experiments.cache` puts it in the key of every entry.
``RESULT_CACHE_VAR`` names the environment variable by which the build tells the chapters'
kernels where that cache is. Both live here, not in :mod:`annhist.experiments.cache`, because
importing anything of :mod:`annhist.experiments` loads the experiment registry (every milestone
and scikit-learn, 1.3 s), which ``annhist book`` would otherwise do before it starts the kernels.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["RESULT_CACHE_VAR", "sources_hash"]

RESULT_CACHE_VAR = "ANNHIST_RESULT_CACHE"


def sources_hash(package_dir: Path) -> str:
    """SHA-256 over the names and contents of every ``.py`` file of the package."""
    h = hashlib.sha256()
    for path in sorted(Path(package_dir).rglob("*.py")):
        h.update(str(path.relative_to(package_dir)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()
