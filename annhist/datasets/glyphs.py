"""Block letters on a 10 x 10 retina in +-1 coding, for associative-memory demonstrations.

Hand-drawn for annhist (not from a historical source): strokes two cells wide so the letters
overlap less than thin ones would. ``letters_10x10("HTLX")`` gives an array (4, 100), row by row.
"""

from __future__ import annotations

import numpy as np

__all__ = ["GLYPHS_10X10", "letters_10x10"]

GLYPHS_10X10: dict[str, tuple[str, ...]] = {
    "H": ("##......##", "##......##", "##......##", "##......##", "##########",
          "##########", "##......##", "##......##", "##......##", "##......##"),
    "T": ("##########", "##########", "....##....", "....##....", "....##....",
          "....##....", "....##....", "....##....", "....##....", "....##...."),
    "L": ("##........", "##........", "##........", "##........", "##........",
          "##........", "##........", "##........", "##########", "##########"),
    "X": ("##......##", ".##....##.", "..##..##..", "...####...", "....##....",
          "...####...", "..##..##..", ".##....##.", "##......##", "#........#"),
    "O": ("..######..", ".########.", "##......##", "##......##", "##......##",
          "##......##", "##......##", "##......##", ".########.", "..######.."),
    "E": ("##########", "##########", "##........", "##........", "########..",
          "########..", "##........", "##........", "##########", "##########"),
}


def letters_10x10(names: str = "HTLX") -> np.ndarray:
    """The letters ``names`` as +-1 patterns (n, 100): '#' = +1, '.' = -1, row by row."""
    if not isinstance(names, str) or not names or any(c not in GLYPHS_10X10 for c in names):
        raise ValueError(f"The 'names' parameter of letters_10x10 must be a non-empty string of the letters "
                         f"{''.join(GLYPHS_10X10)!r}. Got {names!r} instead.")
    return np.array([[1.0 if ch == "#" else -1.0 for row in GLYPHS_10X10[c] for ch in row] for c in names])
