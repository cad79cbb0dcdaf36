"""Convolution layers against PyTorch's: the same work, layer by layer.

The four layers of ``bench_cnn``'s conv rows (LeNet-5 C1 and C3, LeCun-1989 H1 and H2, batch 64, the
same weights, inputs and memory layouts): annhist's ``Conv2d`` forward and backward pass (output,
``dE/dW``, ``dE/db``, ``dE/dx``) against ``torch.nn.functional.conv2d`` and autograd doing the same,
written as a PyTorch user would write these layers: the input padded with the layer's pad value
(``F.pad``; H1 and H2 pad with -1), a connection table (C3's Table I, H2's 8 of 12 maps) as a dense
convolution on ``W * mask`` (PyTorch has no connection tables; annhist's layer, too, makes dense
products on weights that are zero outside the table), H1's and H2's one bias per unit as a tensor
added after the convolution. Each row records whether both sides computed the same output and the
same three gradients (``same_output_and_gradients``: each array's largest difference at most 1e-9 in
float64, 1e-4 in float32, times its largest entry or 1, whichever is larger), and ``torch_of_gemms``:
the time of ``bench_cnn``'s reference, numpy's three GEMMs of the same shapes, over PyTorch's (the
median of 15 rounds timed back to back when the row is built): PyTorch's
layer held to the yardstick that ``bench_cnn``'s conv rows hold annhist's layer to.

Rows come for float64 and float32, with the machine's threads and with one (threadpoolctl,
``torch.set_num_threads(1)``). Without PyTorch every row is skipped with the reason.
"""

from __future__ import annotations

import numpy as np

from benchmarks.bench_cnn import BATCH, conv_layers, three_gemms
from benchmarks.harness import Case, single_thread


def _inputs(conv, shape, batch_last: bool, dtype: str, seed: int = 0):
    """Random biases, input and dE/d(out) in the layouts bench_cnn's conv rows use."""
    rng = np.random.default_rng(seed)
    if "b" in conv.params:
        conv.params["b"] = rng.normal(scale=0.1, size=conv.params["b"].shape).astype(dtype)
    x = rng.normal(size=shape).astype(dtype)
    if batch_last:
        x = np.ascontiguousarray(x.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)
    out = conv.forward(x, training=True)
    g = np.empty_like(out)
    g[...] = rng.normal(size=out.shape)
    return x, g


def _annhist_layer(conv, x, g):
    def step():
        out = conv.forward(x, training=True)
        return out, conv.backward(g)

    return step


def _torch_layer(torch, conv, x, g):
    """Conv2d's forward and backward pass with torch.nn.functional and autograd."""
    F = torch.nn.functional
    xt = torch.tensor(np.ascontiguousarray(x), requires_grad=True)
    gt = torch.tensor(np.ascontiguousarray(g))
    W = torch.tensor(conv.params["W"], requires_grad=True)
    b = torch.tensor(conv.params["b"], requires_grad=True)
    mask = None if conv.mask is None else torch.tensor(np.ascontiguousarray(conv.mask))
    p, s, shared = conv.padding, conv.stride, conv.bias == "shared"

    def step():
        xin = F.pad(xt, (p, p, p, p), value=conv.pad_value) if p else xt
        w = W if mask is None else W * mask
        y = F.conv2d(xin, w, b if shared else None, stride=s)
        if not shared:
            y = y + b
        xt.grad = W.grad = b.grad = None
        y.backward(gt)
        return y

    step.tensors = (xt, W, b)
    return step


def _same(conv, annhist_step, torch_step, dtype: str) -> bool:
    """Output, dE/dW, dE/db and dE/dx agree between the two sides."""
    out, dx = annhist_step()
    y = torch_step()
    xt, W, b = torch_step.tensors
    pairs = [(out, y), (conv.grads["W"], W.grad), (conv.grads["b"], b.grad), (dx, xt.grad)]
    tol = 1e-9 if dtype == "float64" else 1e-4
    return all(a.shape == tuple(t.shape) and
               np.max(np.abs(a - t.detach().numpy())) <= tol * max(1.0, float(np.max(np.abs(a))))
               for a, t in pairs)


def _gemms(conv, shape, dtype: str, seed: int = 1):
    """bench_cnn's reference: numpy's three im2col GEMMs of the layer's shapes."""
    oh, ow = conv.output_shape(shape[1:])[1:]
    k = conv.in_channels * conv.kernel_size[0] * conv.kernel_size[1]
    return three_gemms(conv.out_channels, k, shape[0] * oh * ow, dtype, np.random.default_rng(seed))[1]


def _torch_of_gemms(torch_step, gemms, rounds: int = 15) -> float:
    """Median over rounds of (the three GEMMs' time / PyTorch's time), each timed after its own warm-up."""
    from benchmarks.harness import _timed

    ratios = [_timed(gemms, True) / _timed(torch_step, True) for _ in range(rounds)]
    return round(float(np.median(ratios)), 3)


def cases() -> list[Case]:
    try:
        import torch
    except ImportError:
        torch = None
    out: list[Case] = []
    for dt in ("float64", "float32"):
        for name, conv, shape, inner in conv_layers(dt):
            x, g = _inputs(conv, shape, inner, dt)
            mine = _annhist_layer(conv, x, g)
            row = f"cnn: conv {name} fwd+bwd vs PyTorch, batch {BATCH}, {dt}"
            if torch is None:
                for suffix in ("", ", 1 thread"):
                    out.append(Case(name=row + suffix, annhist=mine, reference=None,
                                    reference_name="torch conv2d + autograd",
                                    skipped_reason="torch is not installed (make bench installs it)"))
                continue
            ref = _torch_layer(torch, conv, x, g)
            gemms = _gemms(conv, shape, dt)
            extra = {"dtype": dt, "same_output_and_gradients": _same(conv, mine, ref, dt)}
            out.append(Case(name=row, annhist=mine, reference=ref, reference_name=f"torch {dt} conv2d + autograd",
                            repeats=10, extra={**extra, "torch_of_gemms": _torch_of_gemms(ref, gemms)}))
            one, ref1 = single_thread(mine), single_thread(ref, torch)
            out.append(Case(name=row + ", 1 thread", annhist=one, reference=ref1,
                            reference_name=f"torch {dt} conv2d + autograd, 1 thread", repeats=10,
                            extra={**extra, "torch_of_gemms": _torch_of_gemms(ref1, single_thread(gemms))}))
    return out
