"""The class labels of the convolutional nets: whole numbers ``0 .. n_classes - 1``, checked where they come in.

One rule for :class:`~annhist.cnn.network.Sequential`, :func:`~annhist.cnn.heads.pm1_targets`,
:func:`~annhist.cnn.rbf.rbf_map_loss` and :func:`~annhist.cnn.sdlm.diagonal_hessian`: a label that
is negative would index from the end (-1 read the last class), one past the classes or with a
fraction would be an ``IndexError``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from annhist.validation import check_array

__all__ = ["check_labels"]


def check_labels(labels: Any, n_classes: int, *, owner: str, name: str = "labels", n: int | None = None
                 ) -> np.ndarray:
    """``labels`` as a 1-D ``np.intp`` array of class labels ``0 .. n_classes - 1`` (``n`` of them, if given).

    A ``ValueError`` (or ``TypeError``) naming ``name`` for anything else: other values, the wrong
    length, NaN, strings, another rank.
    """
    y = check_array(labels, name, ndim=1, owner=owner)
    bad = np.unique(y[(y != np.round(y)) | (y < 0) | (y >= n_classes)])
    if bad.size:
        raise ValueError(f"The '{name}' parameter of {owner} must hold class labels 0..{n_classes - 1}. "
                         f"Got {bad[:5].tolist()} instead.")
    if n is not None and y.shape[0] != n:
        raise ValueError(f"The '{name}' parameter of {owner} must hold one label per pattern ({n}). "
                         f"Got {y.shape[0]} instead.")
    return y.astype(np.intp)
