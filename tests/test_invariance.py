"""Tests for annhist.xor.invariance: group invariance and windowed connectedness (Minsky & Papert 1969)."""

from __future__ import annotations

import numpy as np
import pytest

from annhist.datasets.classic import parity
from annhist.xor.invariance import (
    computes,
    is_connected,
    switch_figures,
    symmetric_group,
    symmetrize,
    window_features,
    window_lp,
)
from annhist.xor.minsky_papert import mask_features, masks, order_lp


def test_symmetrized_parity_depends_only_on_mask_size():
    X, y = parity(4)
    Ts = masks(4, 4)
    Phi = mask_features(X, Ts)
    alpha = order_lp(X, y, 4).weights
    jitter = np.random.default_rng(0).uniform(-0.05, 0.05, alpha.size)   # an asymmetric representation
    assert computes(alpha + jitter, Phi, y)
    beta = symmetrize(alpha + jitter, Ts, symmetric_group(4))
    assert computes(beta, Phi, y)                                # the theorem: the average still works
    for size in range(5):
        vals = beta[[i for i, T in enumerate(Ts) if len(T) == size]]
        assert np.ptp(vals) < 1e-12                              # equal on each orbit (masks of one size)
    assert not np.allclose(alpha + jitter, beta)


def test_symmetrize_by_hand_on_two_points():
    # masks (), (0,), (1,), (0, 1); swapping the points averages the two singletons: (2 + 4) / 2 = 3.
    beta = symmetrize([1.0, 2.0, 4.0, -1.0], [(), (0,), (1,), (0, 1)], symmetric_group(2))
    np.testing.assert_allclose(beta, [1.0, 3.0, 3.0, -1.0])


def test_symmetrize_refuses_masks_not_closed_under_the_group():
    with pytest.raises(ValueError, match="not closed"):
        symmetrize([1.0, 2.0], [(), (0,)], symmetric_group(2))


def test_switch_figures_are_connected_iff_the_ends_differ():
    images, y = switch_figures(3)
    assert images.shape == (4, 7, 9)
    assert y.tolist() == [0, 1, 1, 0]
    assert not is_connected(np.zeros((3, 3))) and is_connected(np.eye(1))


@pytest.mark.parametrize("length", [3, 8])
def test_no_window_narrower_than_the_figure_decides_connectedness(length):
    images, y = switch_figures(length)
    H, W = images.shape[1:]
    widths = [w for w in range(1, W + 1) if window_lp(images, y, H, w).feasible]
    # the two ends differ in columns 0..2 and W-3..W-1: a window must span W - 4 columns to see both
    assert min(widths) == W - 4
    sep = window_lp(images, y, H, W - 5)
    assert sep.multipliers == (1, 1, 1, 1)                      # the classic argument: add the four constraints


def test_window_features_brute_force():
    # enumerate every mask of each 2x2 window on a 3x3 retina and compare the distinct columns
    import itertools

    rng = np.random.default_rng(1)
    images = (rng.random((4, 3, 3)) < 0.5).astype(int)
    cols = set()
    for i, j in itertools.product(range(2), range(2)):
        cells = [(i + a, j + b) for a in range(2) for b in range(2)]
        for k in range(5):
            for T in itertools.combinations(cells, k):
                cols.add(tuple(int(all(im[c] for c in T)) for im in images))
    got = {tuple(int(v) for v in col) for col in window_features(images, 2, 2).T}
    assert got == cols
