"""Letters on a 4x4 grid of switches, in +-1 coding, for the ADALINE (Widrow & Hoff 1960).

The ADALINE demonstration machine had a 4x4 array of input switches, each set to +1 or -1,
plus the constant threshold input.  Classic exercises train it to tell letters apart: "T"
from "J" in many textbooks, and "T", "G", "F" with shifted copies and desired outputs +60, 0
and -60 on the machine's meter in Hagan, Demuth & Beale's account.

**These patterns are reconstructions.**  The exact 1960 pattern set and presentation counts
are not documented here; each letter is drawn 3 switches wide and 4 tall, so it fits the grid
in two positions (column 0 or 1), which gives the "shifted copies".  A pattern is a vector of
16 values, row by row from the top left; ``X.reshape(-1, 4, 4)`` gives the pictures.
"""

from __future__ import annotations

import numbers

import numpy as np

from annhist.validation import check_array, check_random_state, check_scalar, short_repr

__all__ = ["LETTER_GLYPHS", "TGF_TARGETS", "letter_pattern", "letters", "flip_pixels"]

# 3 columns x 4 rows; '#' = +1 (switch up), '.' = -1.
LETTER_GLYPHS: dict[str, tuple[str, ...]] = {
    "T": ("###", ".#.", ".#.", ".#."),
    "J": ("###", "..#", "#.#", "##."),
    "G": ("###", "#..", "#.#", "###"),
    "F": ("###", "#..", "##.", "#.."),
    "L": ("#..", "#..", "#..", "###"),
    "C": ("###", "#..", "#..", "###"),
}

# Desired meter readings for T, G, F (Hagan, Demuth & Beale's account; reconstruction).
TGF_TARGETS: dict[str, float] = {"T": 60.0, "G": 0.0, "F": -60.0}


def letter_pattern(letter: str, shift: int = 0) -> np.ndarray:
    """One letter as 16 switch settings (+1 / -1), drawn in columns ``shift .. shift + 2``.

    ``shift`` is 0 (left) or 1 (right).
    """
    if not isinstance(letter, str) or letter not in LETTER_GLYPHS:
        raise ValueError(f"The 'letter' parameter of letter_pattern must be one of "
                         f"{', '.join(map(repr, LETTER_GLYPHS))}. Got {letter!r} instead.")
    check_scalar(shift, "shift", owner="letter_pattern", kind=numbers.Integral, min_val=0, max_val=1)
    grid = -np.ones((4, 4))
    glyph = np.array([[1.0 if c == "#" else -1.0 for c in row] for row in LETTER_GLYPHS[letter]])  # (4, 3)
    grid[:, shift:shift + 3] = glyph
    return grid.ravel()                                    # (4, 4) -> (16,), row by row


def letters(names: tuple[str, ...] = ("T", "J"), *, shifts: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The patterns of ``names`` (left position; both positions with ``shifts=True``).

    Returns ``X`` of shape (n, 16) in +-1 and ``y`` (n,) the letters as strings, ordered letter
    by letter, left copy before right copy.  ``letters(("T", "G", "F"), shifts=True)`` is the
    six-pattern T/G/F task; map ``y`` through ``TGF_TARGETS`` for the meter targets.
    """
    if isinstance(names, str) or not isinstance(names, (tuple, list)) or not names:
        raise TypeError(f"The 'names' parameter of letters must be a non-empty tuple of letters. "
                        f"Got {names!r} instead.")
    if not isinstance(shifts, (bool, np.bool_)):
        raise TypeError(f"The 'shifts' parameter of letters must be a bool. Got {shifts!r} instead.")
    positions = (0, 1) if shifts else (0,)
    X = np.array([letter_pattern(n, s) for n in names for s in positions])
    y = np.array([n for n in names for _ in positions])
    return X, y


def flip_pixels(X: np.ndarray, n_flips: int, random_state: object = None) -> np.ndarray:
    """Noisy copies: in each pattern of ``X`` (+-1 coded), reverse ``n_flips`` distinct switches.

    The input is not modified.  Used to test how an ADALINE generalizes (Widrow 1962). Every value of
    ``X`` must be +1 or -1: reversing a switch negates it, which leaves a 0 a 0 and makes 0.5 -0.5.
    """
    X = check_array(X, "X", owner="flip_pixels")
    if not np.all(np.abs(X) == 1):
        bad = np.unique(X[np.abs(X) != 1])
        raise ValueError(f"The 'X' parameter of flip_pixels must be +-1 coded (a switch is reversed by negating "
                         f"it). Got the values {short_repr(bad[:5].tolist())} instead.")
    check_scalar(n_flips, "n_flips", owner="flip_pixels", kind=numbers.Integral, min_val=0, max_val=X.shape[1])
    rng = check_random_state(random_state, owner="flip_pixels")
    out = X.copy()
    for row in out:
        idx = rng.choice(X.shape[1], size=n_flips, replace=False)
        row[idx] = -row[idx]
    return out
