"""Losses: hand-worked values, gradients by central differences, stability, PyTorch."""

import numpy as np
import pytest

from annhist import losses as L


def _numeric_grad(f, x, h=1e-6):
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += h
        xm[idx] -= h
        g[idx] = (f(xp) - f(xm)) / (2 * h)
    return g


def test_half_sse_hand_worked():
    y = np.array([[0.8, 0.1], [0.3, 0.6]])
    d = np.array([[1.0, 0.0], [0.0, 1.0]])
    # 1/2 [0.2^2 + 0.1^2 + 0.3^2 + 0.4^2] = 1/2 * 0.30 = 0.15
    assert L.half_sse(y, d) == pytest.approx(0.15)
    assert L.half_sse(y, d, reduction="mean") == pytest.approx(0.075)
    np.testing.assert_allclose(L.half_sse_grad(y, d), y - d)


def test_mse_hand_worked():
    # mean over 2 cases of (0.5^2) and (1.0^2): (0.25 + 1.0) / 2 = 0.625
    assert L.mse(np.array([0.5, 1.0]), np.array([0.0, 0.0])) == pytest.approx(0.625)


@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_gradients_match_central_differences(reduction):
    rng = np.random.default_rng(0)
    y, d = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    for value, grad in [(L.half_sse, L.half_sse_grad), (L.mse, L.mse_grad)]:
        num = _numeric_grad(lambda v: value(v, d, reduction=reduction), y)
        np.testing.assert_allclose(grad(y, d, reduction=reduction), num, rtol=1e-6, atol=1e-8)
    z = rng.normal(size=(5, 4))
    labels = np.array([0, 3, 1, 1, 2])
    num = _numeric_grad(lambda v: L.softmax_cross_entropy(v, labels, reduction=reduction), z)
    np.testing.assert_allclose(L.softmax_cross_entropy_grad(z, labels, reduction=reduction), num, rtol=1e-6, atol=1e-8)


def test_cross_entropy_hand_worked_and_one_hot_equals_indices():
    z = np.array([[0.0, 0.0]])
    # softmax = (1/2, 1/2): loss = -log(1/2) = log 2
    assert L.softmax_cross_entropy(z, np.array([1])) == pytest.approx(np.log(2))
    rng = np.random.default_rng(1)
    z = rng.normal(size=(6, 3))
    idx = np.array([0, 1, 2, 2, 1, 0])
    assert L.softmax_cross_entropy(z, idx) == pytest.approx(L.softmax_cross_entropy(z, np.eye(3)[idx]))


def test_cross_entropy_stable_for_huge_logits():
    z = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]])
    with np.errstate(all="raise"):
        loss = L.softmax_cross_entropy(z, np.array([1, 1]), reduction="sum")
        grad = L.softmax_cross_entropy_grad(z, np.array([1, 1]))
        p = L.softmax(z)
    # first row: the right class has logit -1e4, the winner 1e4: loss = 2e4; second row: 0
    assert loss == pytest.approx(2e4)
    assert np.all(np.isfinite(grad)) and np.allclose(p.sum(axis=1), 1.0)


def test_softmax_rows_sum_to_one_and_shift_invariant():
    z = np.random.default_rng(2).normal(size=(4, 5))
    p = L.softmax(z)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(L.softmax(z + 123.0), p, rtol=1e-12)


def test_bad_reduction_and_labels():
    with pytest.raises(ValueError, match="'reduction'.*Got 'median'"):
        L.half_sse(np.zeros(2), np.zeros(2), reduction="median")
    with pytest.raises(ValueError, match="class indices outside 0..2"):
        L.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="'loss'.*'mse'.*Got 'hinge'"):
        L.get_loss("hinge")


def test_cross_entropy_matches_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch is optional (pip install torch==2.13.0)")
    rng = np.random.default_rng(3)
    z = rng.normal(size=(7, 4)) * 3
    labels = rng.integers(0, 4, size=7)
    zt = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(zt, torch.tensor(labels))
    loss.backward()
    assert L.softmax_cross_entropy(z, labels) == pytest.approx(loss.item(), rel=1e-12)
    np.testing.assert_allclose(L.softmax_cross_entropy_grad(z, labels), zt.grad.numpy(), rtol=1e-10, atol=1e-14)
