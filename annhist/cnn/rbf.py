"""LeNet-5's output layer: Euclidean radial basis function units on fixed 7x12 bitmaps.

LeCun et al. (1998), section II.B, eq. (7): output unit ``i`` computes

.. math::  y_i = \\sum_j (x_j - w_{ij})^2,

the squared distance between the 84 outputs of F6 and a fixed parameter vector ``w_i``
whose components are -1 or +1, "chosen by hand ... to represent a stylized image of the
corresponding character class drawn on a 7x12 bitmap (hence the number 84)". The paper
prints the ASCII set's bitmaps as a figure but not as numbers; ``DIGIT_BITMAPS`` is our
own plausible 7-wide, 12-tall digit font (``#`` = +1 ink, ``.`` = -1 background), drawn
for this reconstruction. The smallest ``y_i`` wins; a large ``y_i`` is a *penalty*.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from annhist.cnn.labels import check_labels
from annhist.layers import Layer, check_batch
from annhist.underflow import allow_underflow
from annhist.validation import as_real_array, check_array, check_scalar

__all__ = ["DIGIT_BITMAPS", "digit_bitmaps", "RBF", "rbf_map_loss", "rbf_map_loss_grad", "map_loss", "map_loss_grad"]

# 12 rows of 7 pixels per digit: rows 0 and 11 are blank margins, the glyph fills rows 1-10.
DIGIT_BITMAPS: dict[int, tuple[str, ...]] = {
    0: (".......", "..###..", ".#...#.", "#.....#", "#.....#", "#.....#",
        "#.....#", "#.....#", "#.....#", ".#...#.", "..###..", "......."),
    1: (".......", "...#...", "..##...", ".#.#...", "...#...", "...#...",
        "...#...", "...#...", "...#...", "...#...", ".#####.", "......."),
    2: (".......", "..###..", ".#...#.", "#.....#", "......#", ".....#.",
        "....#..", "...#...", "..#....", ".#.....", "#######", "......."),
    3: (".......", ".####..", "#....#.", "......#", ".....#.", "..###..",
        ".....#.", "......#", "......#", "#....#.", ".####..", "......."),
    4: (".......", ".....#.", "....##.", "...#.#.", "..#..#.", ".#...#.",
        "#....#.", "#######", ".....#.", ".....#.", ".....#.", "......."),
    5: (".......", "#######", "#......", "#......", "#####..", ".....#.",
        "......#", "......#", "......#", "#....#.", ".####..", "......."),
    6: (".......", "..###..", ".#.....", "#......", "#......", "#.###..",
        "##...#.", "#.....#", "#.....#", ".#...#.", "..###..", "......."),
    7: (".......", "#######", "......#", ".....#.", ".....#.", "....#..",
        "....#..", "...#...", "...#...", "..#....", "..#....", "......."),
    8: (".......", "..###..", ".#...#.", "#.....#", ".#...#.", "..###..",
        ".#...#.", "#.....#", "#.....#", ".#...#.", "..###..", "......."),
    9: (".......", "..###..", ".#...#.", "#.....#", "#.....#", ".#...##",
        "..###.#", "......#", "......#", ".....#.", "..###..", "......."),
}


def digit_bitmaps() -> np.ndarray:
    """The ten RBF centres, shape (10, 84): row-major 12x7 bitmaps with +1 ink and -1 background."""
    rows = []
    for d in range(10):
        glyph = DIGIT_BITMAPS[d]
        assert len(glyph) == 12 and all(len(r) == 7 for r in glyph), d   # internal invariant of the table
        rows.append([1.0 if ch == "#" else -1.0 for r in glyph for ch in r])
    return np.array(rows)


class RBF(Layer):
    """Euclidean RBF output units with fixed centres: ``y_i = ||x - w_i||^2`` (eq. 7).

    Parameters
    ----------
    centres : array of shape (n_classes, n_in), optional
        Default :func:`digit_bitmaps` (10 x 84). They are fixed, as in LeNet-5's experiments,
        so the layer has no trainable parameters; its ``n_classes * n_in`` connections count.

    Notes
    -----
    Backward: ``dE/dx = 2 sum_i dE/dy_i (x - w_i)``.
    """

    has_units = True
    shardable = True

    def __init__(self, centres: np.ndarray | None = None) -> None:
        super().__init__()
        c = digit_bitmaps() if centres is None else check_array(centres, "centres", owner="RBF")
        if c.ndim != 2 or not np.all(np.isfinite(c)):
            raise ValueError(f"The 'centres' parameter of RBF must be a finite 2-D array. Got shape {c.shape}.")
        self.centres = c
        self._x: np.ndarray | None = None

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int]:
        if tuple(input_shape) != (self.centres.shape[1],):
            raise ValueError(f"RBF expects input of shape (N, {self.centres.shape[1]}). "
                             f"Got (N, {', '.join(map(str, input_shape))}) instead.")
        return (self.centres.shape[0],)

    def count_connections(self, input_shape: tuple[int, ...]) -> int:
        return int(self.centres.size)

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        check_batch(x, "RBF", "input", (None, self.centres.shape[1]))
        self._x = x
        c = self.centres
        # ||x - w||^2 = ||x||^2 - 2 x.w + ||w||^2, for all pairs at once: (N, 1) - (N, 10) + (1, 10)
        return (x * x).sum(axis=1, keepdims=True) - 2.0 * (x @ c.T) + (c * c).sum(axis=1)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        if self._x is None:
            raise RuntimeError("RBF.backward called before forward.")
        check_batch(grad_out, "RBF.backward", "grad_out", (self._x.shape[0], self.centres.shape[0]))
        # dE/dx = 2 sum_i g_i (x - w_i) = 2 (sum_i g_i) x - 2 g @ W      (N, n_in)
        return 2.0 * (grad_out.sum(axis=1, keepdims=True) * self._x - grad_out @ self.centres)

    # Products of tiny values may underflow to 0 (their exact limit): allowed even under errstate(all="raise").
    forward = allow_underflow(forward)
    backward = allow_underflow(backward)


def _checked(y: Any, labels: Any, j: Any, owner: str) -> tuple[np.ndarray, np.ndarray]:
    """``y`` (patterns x classes, finite; float32 kept) and ``labels`` (0 .. classes - 1, one per pattern)."""
    y = as_real_array(y, "y", owner=owner, floating=True)
    if y.ndim != 2 or 0 in y.shape:
        raise ValueError(f"The 'y' parameter of {owner} must be a 2-D array (patterns x classes) with no empty axis. "
                         f"Got shape {y.shape} instead.")
    if not np.all(np.isfinite(y)):
        raise ValueError(f"The 'y' parameter of {owner} contains NaN or infinite values.")
    check_scalar(j, "j", owner=owner)
    return y, check_labels(labels, y.shape[1], owner=owner, n=y.shape[0])


def rbf_map_loss(y: np.ndarray, labels: np.ndarray, j: float = 10.0) -> float:
    """LeNet-5's MAP criterion, eq. (9), averaged over the patterns.

    ``E = mean_p [ y_{D_p} + log(exp(-j) + sum_i exp(-y_i)) ]``: pull the correct class's
    penalty down and push the others up, but only while they are below the constant ``j``
    (a "rubbish class"). The paper does not give ``j``; 10 is our choice.
    Computed as a log-sum-exp over the logits ``(-y_1, ..., -y_10, -j)``. ``y``: the (N, classes)
    penalties, finite; ``labels``: N class labels. A training loop calls the unchecked ``map_loss``.
    """
    y, labels = _checked(y, labels, j, "rbf_map_loss")
    return map_loss(y, labels, j)


def rbf_map_loss_grad(y: np.ndarray, labels: np.ndarray, j: float = 10.0) -> np.ndarray:
    """dE/dy_i = (1/N) [ [i == D_p] - exp(-y_i) / (exp(-j) + sum_k exp(-y_k)) ] (checked as :func:`rbf_map_loss`)."""
    y, labels = _checked(y, labels, j, "rbf_map_loss_grad")
    return map_loss_grad(y, labels, j)


def map_loss(y: np.ndarray, labels: np.ndarray, j: float = 10.0) -> float:
    """:func:`rbf_map_loss` without its checks: the kernel :class:`~annhist.cnn.network.Sequential` trains with.

    Its caller has checked ``labels`` once per fit; ``y`` is the net's output, whose NaN must reach the
    divergence check after the pass rather than stop it here.
    """
    from annhist.losses import log_softmax

    z = np.concatenate([-y, np.full((y.shape[0], 1), -j)], axis=1)       # (N, 10) -> (N, 11) logits
    lse = z[:, :1] - log_softmax(z)[:, :1]                               # log sum exp z, computed stably
    return float(np.mean(y[np.arange(y.shape[0]), labels] + lse[:, 0]))


def map_loss_grad(y: np.ndarray, labels: np.ndarray, j: float = 10.0) -> np.ndarray:
    """:func:`rbf_map_loss_grad` without its checks (the training loop's kernel, as :func:`map_loss`)."""
    from annhist.losses import softmax

    n = y.shape[0]
    z = np.concatenate([-y, np.full((n, 1), -j)], axis=1)
    g = -softmax(z)[:, :-1]                                              # d log-sum-exp / dy_i = -softmax_i
    g[np.arange(n), labels] += 1.0
    return g / n
