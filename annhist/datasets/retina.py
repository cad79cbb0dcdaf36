"""Tasks for a 20 x 20 retina, the Mark I Perceptron's field of 400 photocells.

Binary images (1 = lit cell) of shapes, letters and the left-vs-right mark task, with random
shifts and pixel noise, all drawn from ``random_state``:

- :func:`retina_shapes`: filled square, circle and triangle;
- :func:`retina_letters`: block letters (a 5 x 7 font drawn at twice its size);
- :func:`retina_left_right`: a small square mark in the left or the right half of the field --
  the discrimination demonstrated with the IBM 704 simulation in July 1958 (as commonly
  reported; the exact cards used are not documented here).

Every function returns ``images`` of shape (n_samples, 20, 20), float 0/1, and ``labels``,
an array of strings. :func:`flatten_retina` checks and flattens images for a model.
"""

from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np

from annhist.datasets.separable import MAX_VALUES
from annhist.validation import check_array, check_random_state, check_scalar

__all__ = ["RETINA_SHAPE", "SHAPES", "LETTERS", "draw_shape", "draw_letter", "retina_shapes",
           "retina_letters", "retina_left_right", "flatten_retina"]

RETINA_SHAPE = (20, 20)
SHAPES = ("square", "circle", "triangle")
_FONT = {   # 5 columns x 7 rows
    "A": (".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"),
    "C": (".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."),
    "E": ("#####", "#....", "#....", "####.", "#....", "#....", "#####"),
    "F": ("#####", "#....", "#....", "####.", "#....", "#....", "#...."),
    "H": ("#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"),
    "J": ("..###", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##.."),
    "L": ("#....", "#....", "#....", "#....", "#....", "#....", "#####"),
    "O": (".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "T": ("#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."),
    "X": ("#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"),
}
LETTERS = "".join(_FONT)


def draw_shape(name: str, size: int = 8) -> np.ndarray:
    """A filled shape of about ``size`` cells across, centred on the retina, shape (20, 20).

    ``"square"``: side ``size``, or ``size - 1`` for an odd size (centred on the retina's centre, a corner
    of the grid, a square has an even side); ``"circle"``: diameter ``size + 2`` (about the square's area);
    ``"triangle"``: pointing up, base and height ``size + 2``.
    """
    if name not in SHAPES:
        raise ValueError(f"The 'shapes' parameter holds unknown shape {name!r}; valid: {list(SHAPES)}.")
    check_scalar(size, "size", owner="draw_shape", kind=numbers.Integral, min_val=2, max_val=16)
    r, c = np.mgrid[0:20, 0:20] + 0.5          # cell centres; the retina's centre is (10, 10)
    if name == "square":
        img = (np.abs(r - 10) < size / 2) & (np.abs(c - 10) < size / 2)
    elif name == "circle":
        img = (r - 10) ** 2 + (c - 10) ** 2 <= ((size + 2) / 2) ** 2
    else:
        top, height, half_base = 10 - (size + 2) / 2, size + 2, (size + 2) / 2
        depth = r - top                          # how far below the apex
        img = (depth >= 0) & (depth <= height) & (np.abs(c - 10) <= half_base * depth / height)
    return img.astype(float)


def draw_letter(letter: str) -> np.ndarray:
    """A block letter from a 5 x 7 font at twice its size (10 x 14), centred, shape (20, 20)."""
    if not isinstance(letter, str) or letter not in _FONT:
        raise ValueError(f"The 'letters' parameter holds unknown letter {letter!r}; valid: {LETTERS!r}.")
    glyph = np.array([[ch == "#" for ch in row] for row in _FONT[letter]], dtype=float)   # (7, 5)
    big = np.kron(glyph, np.ones((2, 2)))        # (7, 5) -> (14, 10)
    img = np.zeros(RETINA_SHAPE)
    img[3:17, 5:15] = big
    return img


def _place(img: np.ndarray, offset: tuple[int, int], shift: int, rng: np.random.Generator,
           owner: str) -> np.ndarray:
    """Translate ``img`` by ``offset`` plus a random shift in [-shift, shift]; never off the retina."""
    rows, cols = np.nonzero(img)
    lo = np.array([-rows.min(), -cols.min()])                    # most up / left allowed
    hi = np.array([19 - rows.max(), 19 - cols.max()])            # most down / right allowed
    off = np.asarray(offset)
    if np.any(off < lo) or np.any(off > hi):
        raise ValueError(f"The 'offset' parameter of {owner} moves the figure off the retina: "
                         f"got {tuple(int(v) for v in off)}, allowed rows {lo[0]}..{hi[0]}, "
                         f"columns {lo[1]}..{hi[1]}.")
    move = np.clip(off + rng.integers(-shift, shift + 1, size=2), lo, hi)
    return np.roll(img, tuple(int(v) for v in move), axis=(0, 1))   # stays inside: no wrap-around


def _check_common(n_samples: Any, shift: Any, offset: Any, noise: Any, owner: str) -> tuple[int, int]:
    check_scalar(n_samples, "n_samples", owner=owner, kind=numbers.Integral, min_val=1,
                 max_val=MAX_VALUES // 400)                    # 20 x 20 numbers an image, as linearly_separable's cap
    check_scalar(shift, "shift", owner=owner, kind=numbers.Integral, min_val=0, max_val=19)
    check_scalar(noise, "noise", owner=owner, min_val=0, max_val=0.5)
    try:
        dy, dx = offset
        ok = all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in (dy, dx))
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"The 'offset' parameter of {owner} must be a pair of ints (rows, columns). "
                         f"Got {offset!r} instead.")
    return int(dy), int(dx)


def _noisy(images: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    """Flip each cell independently with probability ``noise``."""
    flips = rng.random(images.shape) < noise
    return np.where(flips, 1.0 - images, images)


def _make(templates: dict[str, np.ndarray], n_samples: int, shift: int, offset: tuple[int, int],
          noise: float, random_state: Any, owner: str) -> tuple[np.ndarray, np.ndarray]:
    rng = check_random_state(random_state, owner=owner)
    names = list(templates)
    labels = np.array(names)[rng.permutation(np.arange(n_samples) % len(names))]   # balanced
    images = np.stack([_place(templates[lab], offset, shift, rng, owner) for lab in labels])
    return _noisy(images, noise, rng), labels


def retina_shapes(n_samples: int = 300, *, shapes: Sequence[str] = SHAPES, size: int = 8,
                  shift: int = 0, offset: tuple[int, int] = (0, 0), noise: float = 0.0,
                  random_state: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Filled shapes on the 20 x 20 retina, balanced over ``shapes``.

    Parameters
    ----------
    n_samples : int
    shapes : sequence of {"square", "circle", "triangle"}
    size : int, default=8
        About how many cells across (see :func:`draw_shape`).
    shift : int, default=0
        Each image moves by a random whole number of cells in [-shift, shift] along each axis
        (clipped so the figure stays on the retina).
    offset : (int, int), default=(0, 0)
        A fixed translation (rows, columns) applied to every image before the random shift.
    noise : float in [0, 0.5], default=0
        Each cell is flipped with this probability.
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    images : ndarray of shape (n_samples, 20, 20), 0/1
    labels : ndarray of str, shape (n_samples,)
    """
    offset = _check_common(n_samples, shift, offset, noise, "retina_shapes")
    if isinstance(shapes, str) or not isinstance(shapes, (tuple, list)) or len(shapes) < 1:
        raise ValueError(f"The 'shapes' parameter of retina_shapes must be a non-empty sequence of names "
                         f"from {list(SHAPES)}. Got {shapes!r} instead.")
    templates = {name: draw_shape(name, size) for name in shapes}
    return _make(templates, n_samples, shift, offset, noise, random_state, "retina_shapes")


def retina_letters(n_samples: int = 300, *, letters: str = "CEHLOTX", shift: int = 0,
                   offset: tuple[int, int] = (0, 0), noise: float = 0.0,
                   random_state: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Block letters (any of ``LETTERS``) on the retina; arguments as :func:`retina_shapes`."""
    offset = _check_common(n_samples, shift, offset, noise, "retina_letters")
    if not isinstance(letters, str) or len(set(letters)) < 1:
        raise ValueError(f"The 'letters' parameter of retina_letters must be a non-empty string of letters "
                         f"from {LETTERS!r}. Got {letters!r} instead.")
    templates = {ch: draw_letter(ch) for ch in dict.fromkeys(letters)}
    return _make(templates, n_samples, shift, offset, noise, random_state, "retina_letters")


def retina_left_right(n_samples: int = 200, *, size: int = 4, noise: float = 0.0,
                      random_state: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """A filled ``size`` x ``size`` square at a random place in the left or right half.

    Labels are ``"left"`` and ``"right"`` (balanced). The mark lies wholly in its half.
    """
    _check_common(n_samples, 0, (0, 0), noise, "retina_left_right")
    check_scalar(size, "size", owner="retina_left_right", kind=numbers.Integral, min_val=1, max_val=10)
    rng = check_random_state(random_state, owner="retina_left_right")
    labels = np.array(["left", "right"])[rng.permutation(np.arange(n_samples) % 2)]
    images = np.zeros((n_samples, *RETINA_SHAPE))
    rows = rng.integers(0, 20 - size + 1, size=n_samples)
    cols = rng.integers(0, 10 - size + 1, size=n_samples) + np.where(labels == "right", 10, 0)
    for img, r, c in zip(images, rows, cols):
        img[r:r + size, c:c + size] = 1.0
    return _noisy(images, noise, rng), labels


def flatten_retina(images: Any, *, name: str = "images", owner: str = "") -> np.ndarray:
    """Check retina images and flatten them: (n, 20, 20) or (n, 400) -> (n, 400) float.

    Anything else (another image size, NaN, an empty batch) is a ``ValueError`` naming ``name``.
    """
    arr = check_array(images, name, ndim=(2, 3), owner=owner)
    if arr.shape[1:] not in (RETINA_SHAPE, (400,)):
        where = f" of {owner}" if owner else ""
        raise ValueError(f"The '{name}' parameter{where} must hold 20 x 20 retina images, shape (n, 20, 20) "
                         f"or (n, 400). Got shape {arr.shape} instead.")
    return arr.reshape(arr.shape[0], 400)    # (n, 20, 20) -> (n, 400)
