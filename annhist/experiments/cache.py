"""A result cache for the book build: each experiment run once per build, its JSON reused.

The book runs some experiments twice: a chapter runs one to show it, and the "What we
reproduced" page runs it again to read the numbers it compares with the papers. While the
book is built, ``annhist book`` sets the environment variable ``ANNHIST_RESULT_CACHE`` to a folder
(``book/_build/.annhist-results``). Then :func:`annhist.experiments.run` writes each result's
``to_dict()`` there as JSON (never pickle), and :func:`annhist.experiments.run_dict` -- what
the page uses -- reads it back instead of running the experiment again.

An entry is keyed on everything its numbers depend on: the experiment's name, the seed,
every option (defaults filled in, so ``seeds=100`` and the default 100 are one entry) and the
SHA-256 of annhist's own sources (:func:`annhist.buildkeys.sources_hash`, the hash the book build
uses to decide whether chapters must re-execute). A change to any ``.py`` file of annhist, or to an option,
is a different key and so a miss: the page can only show a number that the current code
produces for the settings it names. A file that cannot be read, is not JSON, or holds another
key is ignored (a miss; the experiment runs and the entry is rewritten).

Without the variable (``annhist run``, the tests, a user's notebook) nothing is read or written.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from annhist.buildkeys import RESULT_CACHE_VAR as ENV_VAR
from annhist.buildkeys import sources_hash
from annhist.results import Experiment

__all__ = ["ENV_VAR", "FORMAT", "package_hash", "cache_dir", "cache_key", "entry_path", "load",
           "store"]

FORMAT = 1                       # bump when the entry layout changes
PACKAGE_DIR = Path(__file__).resolve().parents[1]


@functools.lru_cache(maxsize=1)
def package_hash() -> str:
    """:func:`annhist.buildkeys.sources_hash` of the annhist package this process imported (computed once)."""
    return sources_hash(PACKAGE_DIR)


def cache_dir() -> Path | None:
    """The folder named by ``ANNHIST_RESULT_CACHE``, or ``None`` when caching is off (the default)."""
    value = os.environ.get(ENV_VAR, "").strip()
    return Path(value) if value else None


def _normal(opt_type: type, value: Any) -> Any:
    if opt_type is float:
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"not finite: {value!r}")
        return value
    return int(value) if opt_type is int else str(value)


def cache_key(exp: Experiment, seed: int, options: dict[str, Any]) -> dict[str, Any]:
    """The key of a run: name, seed, every option (defaults filled in) and the sources' hash.

    Raises ``TypeError``/``ValueError`` for an option the experiment does not have (the run
    itself then reports it properly).
    """
    if isinstance(seed, bool) or not isinstance(seed, int) and not hasattr(seed, "__index__"):
        raise TypeError(f"not an int seed: {seed!r}")
    unknown = sorted(set(options) - {o.name for o in exp.options})
    if unknown:
        raise TypeError(f"unknown options {unknown}")
    full = {o.name: _normal(o.type, options.get(o.name, o.default)) for o in exp.options}
    return {"format": FORMAT, "experiment": exp.name, "seed": int(seed), "options": full,
            "sources_sha256": package_hash()}


def entry_path(folder: Path, key: dict[str, Any]) -> Path:
    """``<folder>/<experiment>-<sha256 of the key>.json``."""
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()
    return Path(folder) / f"{key['experiment']}-{digest}.json"


def load(folder: Path, key: dict[str, Any]) -> dict[str, Any] | None:
    """The cached ``to_dict()`` of the run ``key``, or ``None``: missing, unreadable, not JSON,
    not an entry, or an entry for another key (it is never trusted by its file name alone)."""
    try:
        entry = json.loads(entry_path(folder, key).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    result = entry.get("result")
    if (not isinstance(result, dict) or result.get("experiment") != key["experiment"]
            or not isinstance(result.get("results"), dict)):
        return None
    return result


def store(folder: Path, key: dict[str, Any], result: dict[str, Any]) -> Path:
    """Write ``{"key": key, "result": result}`` atomically (a temporary file, then a rename)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = entry_path(folder, key)
    text = json.dumps({"key": key, "result": result}, allow_nan=False, sort_keys=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
