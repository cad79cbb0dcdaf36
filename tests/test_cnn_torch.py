"""Reference comparison with PyTorch (float64): values and gradients of every CNN layer and both nets."""

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is the reference implementation (pip install torch==2.13.0)")
F = torch.nn.functional

from annhist.cnn import AvgPool2d, Conv2d, MaxPool2d, Subsampling, lecun1989, lenet5, lenet5_input  # noqa: E402
from annhist.cnn.network import LOSSES, pm1_targets  # noqa: E402


def t(a, grad=False):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


@pytest.mark.parametrize("kw", [dict(stride=1, padding=0), dict(stride=2, padding=2, pad_value=-1.0),
                                dict(stride=2, padding=1, bias="unshared", input_size=(9, 8)),
                                dict(stride=1, padding=1, table=[[1, 0, 1, 1], [0, 1, 1, 0], [1, 1, 0, 1]])])
def test_conv2d_matches_torch(kw):
    rng = np.random.default_rng(0)
    conv = Conv2d(3, 4, 3, random_state=1, **kw)
    conv.params["b"][...] = rng.normal(size=conv.params["b"].shape)
    x = rng.normal(size=(2, 3, 9, 8))
    out = conv.forward(x)
    g = rng.normal(size=out.shape)
    dx = conv.backward(g)

    xt, Wt, bt = t(x, True), t(conv.params["W"], True), t(conv.params["b"], True)
    p = kw.get("padding", 0)
    xp = F.pad(xt, (p, p, p, p), value=kw.get("pad_value", 0.0))
    mask = t(conv.mask) if conv.mask is not None else 1.0
    a = F.conv2d(xp, Wt * mask, stride=kw.get("stride", 1))
    a = a + (bt if bt.ndim == 3 else bt.view(1, -1, 1, 1))
    (a * t(g)).sum().backward()
    np.testing.assert_allclose(out, a.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(conv.grads["W"], Wt.grad.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(conv.grads["b"], bt.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("layer, ref", [
    (MaxPool2d(2), lambda x: F.max_pool2d(x, 2)), (MaxPool2d(3, 2), lambda x: F.max_pool2d(x, 3, 2)),
    (AvgPool2d(2), lambda x: F.avg_pool2d(x, 2)), (AvgPool2d(3, 2), lambda x: F.avg_pool2d(x, 3, 2)),
])
def test_pooling_matches_torch(layer, ref):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 3, 9, 9))
    out = layer.forward(x)
    g = rng.normal(size=out.shape)
    dx = layer.backward(g)
    xt = t(x, True)
    a = ref(xt)
    (a * t(g)).sum().backward()
    np.testing.assert_allclose(out, a.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_subsampling_matches_torch():
    rng = np.random.default_rng(2)
    sub = Subsampling(3, 2, random_state=0)
    sub.params["b"][...] = [0.1, -0.2, 0.3]
    x = rng.normal(size=(2, 3, 10, 10))
    out = sub.forward(x)
    g = rng.normal(size=out.shape)
    dx = sub.backward(g)
    xt, ct, bt = t(x, True), t(sub.params["coef"], True), t(sub.params["b"], True)
    a = 4 * F.avg_pool2d(xt, 2) * ct.view(1, -1, 1, 1) + bt.view(1, -1, 1, 1)    # coef * (sum of 4) + b
    (a * t(g)).sum().backward()
    np.testing.assert_allclose(out, a.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(sub.grads["coef"], ct.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(sub.grads["b"], bt.grad.numpy(), rtol=1e-12)


def lecun1989_torch(net, x):
    """The same 1989 net written with torch.nn.functional, weights taken from ``net``."""
    P = {f"{i}.{k}": t(v, True) for i, layer in enumerate(net.layers) for k, v in layer.params.items()}
    act = lambda a: 1.7159 * torch.tanh(2 * a / 3)
    h = F.pad(x, (2, 2, 2, 2), value=-1.0)
    h = act(F.conv2d(h, P["0.W"], stride=2) + P["0.b"])
    h = F.pad(h, (2, 2, 2, 2), value=-1.0)
    h = act(F.conv2d(h, P["2.W"] * t(net.layers[2].mask), stride=2) + P["2.b"])
    h = act(h.flatten(1) @ P["5.W"] + P["5.b"])
    return act(h @ P["7.W"] + P["7.b"]), P


def test_lecun1989_matches_torch_values_and_gradients():
    rng = np.random.default_rng(3)
    net = lecun1989(random_state=4, init="karpathy")
    x = rng.uniform(-1, 1, size=(5, 1, 16, 16))
    labels = np.array([0, 3, 9, 3, 7])
    d = pm1_targets(labels, 10)
    out = net.forward(x, training=True)
    net.backward(LOSSES["mse"][1](out, labels, d))
    ref, P = lecun1989_torch(net, t(x))
    torch.mean((ref - t(d)) ** 2).backward()                 # mean over patterns and outputs, as Karpathy's
    np.testing.assert_allclose(out, ref.detach().numpy(), rtol=1e-12, atol=1e-12)
    for i, layer in enumerate(net.layers):
        for k in layer.params:
            np.testing.assert_allclose(layer.grads[k], P[f"{i}.{k}"].grad.numpy(), rtol=1e-9, atol=1e-14,
                                       err_msg=f"{i}.{k}")


def test_lenet5_rbf_matches_torch():
    rng = np.random.default_rng(5)
    net = lenet5(random_state=6)
    x = lenet5_input(rng.uniform(-1, 1, size=(3, 16, 16)))
    out = net.forward(x, training=True)
    labels = np.array([1, 2, 3])
    net.backward(LOSSES["rbf_map"][1](out, labels, None))
    P = {f"{i}.{k}": t(v, True) for i, layer in enumerate(net.layers) for k, v in layer.params.items()}
    act = lambda a: 1.7159 * torch.tanh(2 * a / 3)
    sub = lambda h, i: 4 * F.avg_pool2d(h, 2) * P[f"{i}.coef"].view(1, -1, 1, 1) + P[f"{i}.b"].view(1, -1, 1, 1)
    h = act(F.conv2d(t(x), P["0.W"]) + P["0.b"].view(1, -1, 1, 1))
    h = act(sub(h, 2))
    h = act(F.conv2d(h, P["4.W"] * t(net.layers[4].mask)) + P["4.b"].view(1, -1, 1, 1))
    h = act(sub(h, 6))
    h = act(F.conv2d(h, P["8.W"]) + P["8.b"].view(1, -1, 1, 1)).flatten(1)
    h = act(h @ P["11.W"] + P["11.b"])
    y = ((h[:, None, :] - t(net.layers[13].centres)[None]) ** 2).sum(-1)          # eq. (7)
    z = torch.cat([-y, torch.full((3, 1), -10.0, dtype=torch.float64)], dim=1)     # eq. (9), j = 10
    loss = (y[torch.arange(3), torch.tensor(labels)] + torch.logsumexp(z, dim=1)).mean()
    loss.backward()
    np.testing.assert_allclose(out, y.detach().numpy(), rtol=1e-12)
    for i, layer in enumerate(net.layers):
        for k in layer.params:
            np.testing.assert_allclose(layer.grads[k], P[f"{i}.{k}"].grad.numpy(), rtol=1e-8, atol=1e-12,
                                       err_msg=f"{i}.{k}")
