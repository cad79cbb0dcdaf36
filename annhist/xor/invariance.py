"""The other half of *Perceptrons*: group invariance and a connectedness argument.

**Group invariance** (Minsky & Papert 1969, ch. 2). Let ``G`` be a finite group of
permutations of the retina, let the family of masks be closed under ``G``, and let the
predicate ``psi`` be invariant under ``G``. If coefficients ``alpha_T`` realize ``psi`` as
``[sum_T alpha_T phi_T(X) > 0]``, then so do their averages over the group,

    beta_T = mean over g in G of alpha_{g(T)},

which are equal on masks that ``G`` maps onto one another. Proof: each ``g`` gives a
representation ``alpha o g`` (``psi`` is invariant), and the positive margin survives the
average. :func:`symmetrize` computes ``beta``; for parity under all permutations the
coefficients then depend only on the mask's size, the key step of the parity theorem.

**Connectedness, seen through windows** (after Minsky & Papert 1969, ch. 0 and 5). The four
pictures of :func:`switch_figures` are two ends joined by four long parallel strands; each
end pairs the strands in one of two ways, and the picture is connected exactly when the two
ends differ. A *diameter-limited* perceptron sums predicates each of which sees only a
window of the retina. A window narrower than the picture cannot see both ends, and
:func:`window_lp` shows by linear programming (with a Farkas certificate) that no such
perceptron separates the connected pictures from the others.

References
----------
M. Minsky and S. Papert, *Perceptrons: An Introduction to Computational Geometry*, MIT Press,
1969 (expanded edition 1988).
"""

from __future__ import annotations

import itertools
import numbers
from typing import Any, Sequence

import numpy as np

from annhist.validation import check_array, check_scalar, short_repr
from annhist.xor.minsky_papert import check_masks
from annhist.xor.separability import LinearSeparation, pm_labels, separate

__all__ = ["symmetric_group", "symmetrize", "computes", "switch_figures", "is_connected", "window_features",
           "window_lp", "MAX_WINDOW_SUBSETS"]

#: The most (window position, subset of the pictures) pairs :func:`window_features` visits: about 60 us each, so
#: 2**16 of them take about 4 s; the count doubles with every picture (18 2x2 pictures took 52 s).
MAX_WINDOW_SUBSETS = 2**16


def symmetric_group(n: int) -> list[tuple[int, ...]]:
    """All ``n!`` permutations of ``{0, ..., n-1}``; ``g[i]`` is the image of point ``i``."""
    check_scalar(n, "n", owner="symmetric_group", kind=numbers.Integral, min_val=1, max_val=7)
    return list(itertools.permutations(range(n)))


def symmetrize(alpha: Any, Ts: Sequence[tuple[int, ...]], group: Sequence[Sequence[int]]) -> np.ndarray:
    """Average the coefficients over the group: ``beta_T = mean_g alpha_{g(T)}`` (Minsky & Papert, ch. 2).

    ``Ts`` lists the masks (subsets of retina points) that ``alpha`` weights; it must be closed
    under every permutation in ``group``, a non-empty list of permutations of the points.
    """
    alpha = check_array(alpha, "alpha", ndim=1, owner="symmetrize")
    Ts = check_masks(Ts, "symmetrize")
    index = {tuple(sorted(T)): i for i, T in enumerate(Ts)}
    if len(index) != len(Ts):
        raise ValueError("The 'Ts' parameter of symmetrize lists a mask twice: each mask needs one coefficient.")
    _check_group(group, 1 + max((p for T in Ts for p in T), default=-1))
    if alpha.shape[0] != len(index):
        raise ValueError(f"The 'alpha' parameter of symmetrize must have one coefficient per mask ({len(index)}). "
                         f"Got {alpha.shape[0]}.")
    beta = np.zeros_like(alpha)
    for g in group:
        for i, T in enumerate(Ts):
            image = tuple(sorted(g[p] for p in T))                   # the mask g(T)
            if image not in index:
                raise ValueError(f"The masks are not closed under the group: {T} maps to {image}.")
            beta[i] += alpha[index[image]]
    return beta / len(group)


def _check_group(group: Any, n_points: int) -> None:
    """Refuse an empty group (its mean is 0/0) and anything but permutations of at least ``n_points`` points."""
    if not isinstance(group, (list, tuple)) or not all(
            isinstance(g, (list, tuple)) and all(isinstance(v, numbers.Integral) for v in g) for g in group):
        raise TypeError(f"The 'group' parameter of symmetrize must be a list of permutations (tuples of point "
                        f"indices). Got {short_repr(group)} instead.")
    if not group:
        raise ValueError("The 'group' parameter of symmetrize must hold at least one permutation. Got [] instead.")
    for g in group:
        if sorted(g) != list(range(len(g))) or len(g) < n_points:
            raise ValueError(f"The 'group' parameter of symmetrize must hold permutations of the points 0..n-1 "
                             f"(n >= {n_points}, the points the masks use). Got {short_repr(g)} instead.")


def computes(alpha: Any, Phi: Any, y: Any) -> bool:
    """Does ``[Phi @ alpha > 0]`` equal the labels ``y`` (0/1 or -1/+1) on every row, with ``Phi @ alpha != 0``?"""
    Phi = check_array(Phi, "Phi", owner="computes")
    alpha = check_array(alpha, "alpha", ndim=1, owner="computes")
    y = pm_labels(y, owner="computes") > 0
    if alpha.shape[0] != Phi.shape[1] or y.shape[0] != Phi.shape[0]:
        raise ValueError(f"The 'alpha' and 'y' parameters of computes must have one coefficient per column and one "
                         f"label per row of 'Phi' {Phi.shape}. Got {alpha.shape[0]} and {y.shape[0]} instead.")
    s = Phi @ alpha
    return bool(np.all(s != 0) and np.array_equal(s > 0, y))


def _end(kind: str) -> np.ndarray:
    """A 7x3 end piece joining the strands at rows 0, 2, 4, 6 (entering from the right)."""
    e = np.zeros((7, 3), dtype=int)
    if kind == "A":                                  # pairs (0, 2) and (4, 6)
        e[[0, 2, 4, 6], 1:] = 1
        e[0:3, 1] = 1
        e[4:7, 1] = 1
    else:                                            # pairs (0, 6) outside and (2, 4) inside
        e[[0, 6], :] = 1
        e[:, 0] = 1
        e[2:5, 2] = 1
    return e


def switch_figures(length: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """The four pictures ``AA, AB, BA, BB`` (shape (4, 7, 6 + length)) and their connectedness (0, 1, 1, 0).

    Four strands run along rows 0, 2, 4 and 6 for ``length`` columns between two end pieces;
    end ``A`` joins strands (0, 2) and (4, 6), end ``B`` joins (0, 6) and (2, 4). Both ends the
    same: two closed loops; different: one.
    """
    check_scalar(length, "length", owner="switch_figures", kind=numbers.Integral, min_val=1, max_val=50)
    middle = np.zeros((7, length), dtype=int)
    middle[[0, 2, 4, 6], :] = 1
    figs = [np.hstack([_end(left), middle, _end(right)[:, ::-1]]) for left, right in ("AA", "AB", "BA", "BB")]
    images = np.stack(figs)
    return images, np.array([int(is_connected(im)) for im in images])


def is_connected(image: Any) -> bool:
    """Is the set of 1-cells one 4-connected component (``scipy.ndimage.label``)? An empty picture is not."""
    from scipy.ndimage import label

    image = check_array(image, "image", ndim=2, owner="is_connected")
    return bool(label(image > 0)[1] == 1)


def window_features(images: Any, height: int, width: int) -> np.ndarray:
    """Every distinct column ``[phi(X_1), ..., phi(X_m)]`` of a predicate ``phi`` that reads one ``height x width``
    window of the retina, over the pictures ``images`` (m, H, W).

    Any such predicate is a combination of the conjunction masks inside its window (Minsky & Papert, sec. 1.5),
    and a mask ``T`` is 1 on exactly the pictures that contain it. The largest mask contained in all pictures
    of a set ``S`` and inside the window, ``C_S``, is contained in exactly the pictures that contain ``C_S``,
    and every mask gives one of these columns; so looping over the window positions and the subsets ``S``
    lists every column a window predicate can produce, without enumerating the ``2^(height*width)`` masks.
    The window positions times the ``2^m`` subsets are at most ``MAX_WINDOW_SUBSETS`` (a dozen pictures).
    """
    X = check_array(images, "images", ndim=3, owner="window_features") > 0
    m, H, W = X.shape
    check_scalar(height, "height", owner="window_features", kind=numbers.Integral, min_val=1, max_val=H)
    check_scalar(width, "width", owner="window_features", kind=numbers.Integral, min_val=1, max_val=W)
    positions = (H - height + 1) * (W - width + 1)
    if positions * 2**m > MAX_WINDOW_SUBSETS:
        raise ValueError(f"The 'images' parameter of window_features holds {m} pictures: {positions} window "
                         f"position(s) x 2**{m} subsets of the pictures is more than MAX_WINDOW_SUBSETS = "
                         f"{MAX_WINDOW_SUBSETS}. Pass fewer pictures, or a larger 'height' and 'width'.")
    columns = set()
    for i in range(H - height + 1):
        for j in range(W - width + 1):
            win = X[:, i:i + height, j:j + width].reshape(m, -1)         # (m, height*width)
            for S in itertools.product((False, True), repeat=m):
                C = np.all(win[list(S)], axis=0) if any(S) else np.ones(win.shape[1], dtype=bool)
                columns.add(tuple(int(np.all(win[p] >= C)) for p in range(m)))   # pictures containing C
    return np.array(sorted(columns), dtype=float).T                     # (m, n_distinct)


def window_lp(images: Any, y: Any, height: int, width: int) -> LinearSeparation:
    """Can a perceptron whose predicates each read one ``height x width`` window compute ``y``? Decided by LP."""
    Phi = window_features(images, height, width)
    return separate(Phi, y, bias=False, names=[f"c{k}" for k in range(Phi.shape[1])])
