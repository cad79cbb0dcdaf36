"""Tests for annhist.cnn.receptive_field: r_l = r_{l-1} + (k_l - 1) j_{l-1}, j_l = j_{l-1} s_l."""

from __future__ import annotations

import numpy as np
import pytest

from annhist.cnn import Conv2d, MaxPool2d, Sequential, lecun1989, lenet5
from annhist.cnn.receptive_field import receptive_field, receptive_field_step
from annhist.layers import ActivationLayer


def test_lecun1989_by_hand():
    # H1: 5x5, stride 2 -> r = 5, j = 2. H2: 5x5 stride 2 -> r = 5 + 4*2 = 13, j = 4.
    # H3 reads all 4x4 of H2: r = 13 + 3*4 = 25 (more than 16: the rest is the -1 padding). Output: 25.
    rows = receptive_field(lecun1989(0))
    assert [r["r"] for r in rows] == [(5, 5), (13, 13), (25, 25), (25, 25)]
    assert [r["jump"][0] for r in rows] == [2, 4, 4, 4]
    assert rows[0]["start"] == (0.0, 0.0)          # pad 2: the first H1 unit is centred on pixel 0


def test_lenet5_by_hand():
    # C1 5 -> 5 (j 1); S2 2/2 -> 6 (j 2); C3 5 -> 6 + 4*2 = 14; S4 2/2 -> 14 + 2 = 16 (j 4);
    # C5 5 -> 16 + 4*4 = 32: the whole 32x32 input; F6 and the RBF output: 32.
    rows = receptive_field(lenet5(0))
    assert [r["layer"] for r in rows] == ["Conv2d", "Subsampling", "Conv2d", "Subsampling", "Conv2d", "Dense", "RBF"]
    assert [r["r"][0] for r in rows] == [5, 6, 14, 16, 32, 32, 32]
    assert [r["jump"][0] for r in rows] == [1, 2, 2, 4, 4, 4, 4]
    assert rows[4]["start"] == (15.5, 15.5)         # C5's single unit is centred on the 32x32 input


def _input_support(net, upto, unit):
    """Input pixels on which one unit of layer ``upto`` depends: nonzero rows/cols of its input gradient."""
    x = np.random.default_rng(0).standard_normal((1,) + net.input_shape)
    out = x
    for layer in net.layers[:upto + 1]:
        out = layer.forward(out, training=True)
    g = np.zeros_like(out)
    g[(0,) + unit] = 1.0
    for layer in reversed(net.layers[:upto + 1]):
        g = layer.backward(g)
    nz = np.abs(g[0]).sum(axis=0) > 0                # (H, W)
    rows, cols = np.flatnonzero(nz.any(axis=1)), np.flatnonzero(nz.any(axis=0))
    return rows.min(), rows.max(), cols.min(), cols.max()


@pytest.mark.parametrize("upto, unit", [(0, (0, 10, 10)), (2, (0, 5, 5)), (4, (3, 4, 6)), (6, (5, 2, 2))])
def test_lenet5_matches_backpropagated_support(upto, unit):
    """The recursion's r and start agree with the pixels a unit's gradient actually reaches."""
    net = lenet5(0)
    row = next(r for r in receptive_field(net) if r["index"] == upto)
    r, j, start = row["r"][0], row["jump"][0], row["start"][0]
    lo_r, hi_r, lo_c, hi_c = _input_support(net, upto, unit)
    assert hi_r - lo_r + 1 == r and hi_c - lo_c + 1 == r
    assert lo_r + (r - 1) / 2 == start + unit[1] * j      # centre of unit (i, k) = start + i * j
    assert lo_c + (r - 1) / 2 == start + unit[2] * j


def test_step_and_overlapping_pool():
    assert receptive_field_step(1, 1, 0.0, 3, 1, 1) == (3, 1, 0.0)
    net = Sequential([Conv2d(1, 2, 3, input_size=(12, 12)), ActivationLayer("tanh"), MaxPool2d(3, 2),
                      Conv2d(2, 2, 3, stride=2, input_size=(4, 4))], input_shape=(1, 12, 12))
    # conv 3: r 3, j 1; pool 3 stride 2: r 3 + 2 = 5, j 2; conv 3 stride 2: r 5 + 2*2 = 9, j 4
    assert [r["r"][0] for r in receptive_field(net)] == [3, 5, 9]
    assert [r["jump"][0] for r in receptive_field(net)] == [1, 2, 4]


def test_bad_input():
    with pytest.raises(TypeError, match="Sequential"):
        receptive_field([1, 2, 3])


@pytest.mark.parametrize("call, param", [
    (lambda: receptive_field_step(1, 1, 0.0, 0, 1), "k"),               # was a silent (0, 1, -0.5)
    (lambda: receptive_field_step(1, 1, 0.0, 5, 0), "s"),               # a stride of 0 gave a jump of 0
    (lambda: receptive_field_step(1, 1, 0.0, 5, 1, -1), "p"),
    (lambda: receptive_field_step(1, 1, "0", 5, 1), "start"),           # was a TypeError from '+'
    (lambda: receptive_field_step(None, 1, 0.0, 5, 1), "r"),
    (lambda: receptive_field_step(1, 1.5, 0.0, 5, 1), "j"),
])
def test_receptive_field_step_refuses_bad_geometry(call, param):
    with pytest.raises((ValueError, TypeError), match=f"'{param}'"):
        call()

