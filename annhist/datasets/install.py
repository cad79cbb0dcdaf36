"""Copy checked data files into the data folder atomically (used by ``annhist data import`` and ``fetch``).

Each file goes to a temporary file in the data folder and is renamed into place only when every
copy succeeded, so a failure leaves the folder as it was; files of another format that the new
copy replaces are removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = ["install_files"]


def install_files(targets: Sequence[tuple[str, Path]], dest: Path, *, stale: Iterable[str] = ()) -> list[Path]:
    """Copy each ``(name, source)`` to ``dest / name`` atomically; then delete the ``stale`` names not written."""
    dest.mkdir(parents=True, exist_ok=True)
    temps = []
    try:
        for name, src in targets:
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=dest)
            temps.append((tmp, dest / name))
            with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
                shutil.copyfileobj(inp, out)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o644)                                          # mkstemp makes it private (0600)
        for tmp, final in temps:
            os.replace(tmp, final)
    finally:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)
    written = [final for _, final in temps]
    for name in stale:
        if dest / name not in written and (dest / name).exists():
            (dest / name).unlink()
    return written
