"""Training epochs of the MLP against PyTorch on CPU: the same nets, data, batches and updates.

Two nets, each in float64 and float32:

- the 8x8 digits (1,797 cases) on a 64-32-10 net: logistic hidden units, softmax +
  cross-entropy, mini-batches of 32, momentum 0.9 (57 updates per epoch);
- a 784-256-10 net on 8,192 synthetic MNIST-sized cases: ReLU hidden units, softmax +
  cross-entropy, mini-batches of 128, momentum 0.9 (64 updates per epoch).

Each net is timed with numpy's default threads (PyTorch given as many) and with one thread on
both sides; the one-thread rows are the steadier comparison on a shared, loaded machine.
Both sides shuffle the cases every epoch, compute the loss of every batch, backpropagate and
apply Delta w(t) = -eta g + alpha Delta w(t-1) -- which is exactly torch.optim.SGD with
``momentum=alpha`` and no dampening (its buffer v(t) = alpha v(t-1) + g gives Delta w = -eta v).
PyTorch runs with as many threads as numpy's BLAS.
"""

from __future__ import annotations

import numpy as np

from annhist.datasets import digits
from annhist.mlp import MLP
from annhist.optimizers import Momentum
from benchmarks.harness import Case, match_threads, single_thread

ETA, ALPHA = 0.05, 0.9


def _torch_epoch(torch, sizes, activation, X, y, batch_size, dtype, seed, *, weights=None, shuffle=True):
    """A closure that trains one epoch of the same net in PyTorch (``weights``: start from annhist's)."""
    torch.manual_seed(seed)
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(torch.nn.Linear(n_in, n_out, dtype=dtype))
        if i < len(sizes) - 2:
            layers.append(torch.nn.Sigmoid() if activation == "sigmoid" else torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    if weights is not None:
        with torch.no_grad():
            for layer, (W, b) in zip(model[::2], zip(weights[0::2], weights[1::2])):
                layer.weight.copy_(torch.from_numpy(W.T.copy()))       # annhist's W is (n_in, n_out)
                layer.bias.copy_(torch.from_numpy(b))
    opt = torch.optim.SGD(model.parameters(), lr=ETA, momentum=ALPHA)
    loss_fn = torch.nn.CrossEntropyLoss()
    Xt = torch.from_numpy(X.astype(np.float64 if dtype == torch.float64 else np.float32))
    yt = torch.from_numpy(y)
    gen = torch.Generator().manual_seed(seed)

    def epoch():
        order = torch.randperm(Xt.shape[0], generator=gen) if shuffle else torch.arange(Xt.shape[0])
        total = 0.0
        for start in range(0, Xt.shape[0], batch_size):
            idx = order[start:start + batch_size]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(Xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        return total / Xt.shape[0]

    return epoch


def _same_work(torch, sizes, activation, X, y, batch_size):
    """Both sides, from the same weights and in the same order, give the same epoch loss (float64)."""
    net = MLP(sizes, activation=activation, loss="cross_entropy", init="xavier", random_state=0)
    ref = _torch_epoch(torch, sizes, activation, X, y, batch_size, torch.float64, 0,
                       weights=[p.copy() for p in net.params_], shuffle=False)()
    net.fit(X, y, optimizer=Momentum(eta=ETA, alpha=ALPHA), epochs=1, batch_size=batch_size, shuffle=False,
            warm_start=True, verbose=False)
    return {"same_epoch_loss_as_torch": bool(abs(net.history_["loss"][-1] - ref) < 1e-9 * max(1.0, abs(ref))),
            "epoch_loss": round(float(ref), 6)}


def _annhist_epoch(sizes, activation, X, y, batch_size, dtype, seed):
    net = MLP(sizes, activation=activation, loss="cross_entropy", init="xavier", dtype=dtype, random_state=seed)
    opt = Momentum(eta=ETA, alpha=ALPHA)
    net.fit(X, y, optimizer=opt, epochs=1, batch_size=batch_size, verbose=False)   # allocate the optimizer state

    def epoch():
        net.fit(X, y, optimizer=opt, epochs=1, batch_size=batch_size, warm_start=True, verbose=False)
        return net.history_["loss"][-1]

    return epoch


def _data():
    Xd, yd = digits()
    Xd = Xd.reshape(len(Xd), -1) / 16.0                      # (1797, 8, 8) -> (1797, 64), in [0, 1]
    rng = np.random.default_rng(0)
    Xs = rng.normal(size=(8192, 784))
    ys = rng.integers(0, 10, size=8192)
    return [("digits 64-32-10", [64, 32, 10], "sigmoid", Xd, yd.astype(np.int64), 32),
            ("synthetic 784-256-10", [784, 256, 10], "relu", Xs, ys.astype(np.int64), 128)]


def cases() -> list[Case]:
    try:
        import torch
    except ImportError:
        torch = None
    threads = match_threads()                  # torch gets as many threads as numpy's BLAS
    out = []
    for name, sizes, act, X, y, bs in _data():
        n_updates = -(-len(X) // bs)
        flops = 6.0 * len(X) * sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))   # fwd + 2 bwd matmuls
        check = _same_work(torch, sizes, act, X, y, bs) if torch is not None else {}
        for dtype_name, np_dtype in (("float64", np.float64), ("float32", np.float32)):
            ref, reason = None, "torch is not installed (make bench installs it)"
            if torch is not None:
                ref = _torch_epoch(torch, sizes, act, X, y, bs, getattr(torch, dtype_name), 0)
                reason = ""
            note = f"{len(X)} cases, batches of {bs} ({n_updates} updates)"
            out.append(Case(name=f"MLP epoch, {name}, {dtype_name}", annhist=_annhist_epoch(sizes, act, X, y, bs,
                            np_dtype, 0), reference=ref, reference_name=f"torch {dtype_name} CPU",
                            repeats=7, flops=flops, skipped_reason=reason, note=note,
                            extra={"threads": threads, "dtype": dtype_name, **check}))
            ref1 = None if ref is None else single_thread(
                _torch_epoch(torch, sizes, act, X, y, bs, getattr(torch, dtype_name), 0), torch)
            out.append(Case(name=f"MLP epoch, {name}, {dtype_name}, 1 thread",
                            annhist=single_thread(_annhist_epoch(sizes, act, X, y, bs, np_dtype, 0)), reference=ref1,
                            reference_name=f"torch {dtype_name} CPU, 1 thread", repeats=7, flops=flops,
                            skipped_reason=reason, note=note, extra={"threads": 1, "dtype": dtype_name, **check}))
    return out
