"""How ``annhist book`` lets Sphinx read while the last chapters still execute.

Sphinx reads the pages one at a time, on one core. ``annhist.bookexec`` executes the chapters
on every core first, and a build that waited for all of them before starting Sphinx left a core
idle while Sphinx read (the API pages alone, through autodoc, take it about 9 s). So ``annhist
book`` starts Sphinx when bookexec prints :data:`READY` -- when the chapters still to finish are
expected to take at most :data:`AHEAD_S` seconds per worker -- and Sphinx reads the pages that do
not wait for a chapter first.

The two talk through one file, which :data:`VAR` names in both processes' environment: its first
line is the process id of bookexec, the others are the chapters (file stems) not yet in the
execution cache, in the order they are expected to finish (:func:`publish`). Sphinx's local
extension (``book/_ext/annhist_speed.py``) reads the pages in the order :func:`read_order` gives
and, before a chapter, waits while :func:`pending` lists it (:func:`wait_for`). Without the file,
or when the process it names has ended (a failed or killed build), nothing waits, and Sphinx
executes a chapter it does not find in the cache itself, as a plain ``jupyter-book build`` does.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

__all__ = ["AHEAD_S", "READY", "VAR", "pending", "publish", "read_order", "wait_for"]

#: The environment variable that names the file of chapters still executing.
VAR = "ANNHIST_BOOK_EXECUTING"
#: The line bookexec prints when Sphinx may start.
READY = "annhist book: Sphinx may start reading"
#: Seconds of chapters per worker (the last build's times) still to execute when Sphinx starts.
#: Sphinx's work before it reads a chapter (its start and the API pages, 15-20 s of one core on this
#: project's 2-core machine) then ends about when the chapters do, sharing the cores with them; Sphinx
#: waiting for a chapter costs nothing (it sleeps), a core idle while Sphinx reads alone costs time.
#: Cold builds (``annhist book --force``, rounds alternated, 2026-12-04): wall time over CPU time
#: 0.532-0.535 with 30 s, 0.543-0.557 with 8 s (2-3 s of a 60-90 s build), 0.530-0.541 with Sphinx
#: started at once.
AHEAD_S = 30.0


def publish(stems: list[str]) -> None:
    """Write this process's id and the chapters not executed yet (``stems``, in order) to the file."""
    path = os.environ.get(VAR)
    if path:
        tmp = Path(f"{path}.{os.getpid()}")
        tmp.write_text("\n".join([str(os.getpid()), *stems]) + "\n", encoding="utf-8")
        tmp.replace(path)                         # whole or not at all, for the reader


def pending() -> list[str]:
    """The chapters still executing, in order; none when there is no file or its process has ended."""
    path = os.environ.get(VAR)
    try:
        pid, *stems = Path(path).read_text(encoding="utf-8").split() if path else []
        os.kill(int(pid), 0)                      # ProcessLookupError (an OSError) when it has ended
    except (OSError, ValueError):
        return []
    return stems


def _stem(docname: str) -> str:
    return docname.rsplit("/", 1)[-1]


def read_order(docnames: list[str]) -> None:
    """Sort Sphinx's ``docnames`` in place: the pages no chapter holds up first (in their order), then
    the pending chapters in the order they are expected to finish."""
    rank = {stem: i + 1 for i, stem in enumerate(pending())}
    docnames.sort(key=lambda name: rank.get(_stem(name), 0))


def wait_for(docname: str, poll_s: float = 0.05) -> None:
    """Return when the chapter ``docname`` is no longer pending (at once for any other page)."""
    while _stem(docname) in pending():
        time.sleep(poll_s)
