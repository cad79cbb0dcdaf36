"""Convolutional networks: annhist's numpy layers against PyTorch on CPU and numpy's matmul.

Rows (PyTorch runs with as many threads as numpy's BLAS; both sides float64 unless named):

1. LeNet-5 (RBF head, eq. 9 loss) -- one training step at batch 64: forward, backward and an
   SGD update, the same weights on both sides; also against PyTorch in float32.
2. LeCun 1989 -- one epoch of per-pattern SGD on the 7,291 USPS training digits
   (``../shared/data/usps.npz``; skipped with a reason when absent), plus the end-of-epoch
   pass over the training set that ``Sequential.fit`` makes.
3. Convolution layers (LeNet-5 C1 and C3, LeCun-1989 H1 and H2, batch 64): forward + backward
   (the three GEMMs of im2col convolution) against numpy doing just those three matrix
   products of the same shapes (dense, even where a connection table zeroes weights); GFLOP/s
   of both, and the roofline: the best rate of a 1024x1024 numpy matmul of the same dtype,
   measured in the same run when the cases are built (``peak_matmul_gflops``), and each
   side's ``roofline_fraction`` (its GFLOP/s over that rate). The gradient handed to the layer
   has the memory layout of the layer's output, as the element-wise layers of a network pass
   it on; so has the input of C3 and H2 (batch-last: what S2 and H1, through their squashing,
   hand over), while C1 and H1 read images in numpy's usual layout. The reference is numpy's
   plain matmul of each product; the layer cuts thin products into blocks of columns
   (:mod:`annhist.cnn.blocked`), and a layer going by rows (all four at batch 64:
   :func:`annhist.cnn.lowered.takes_rows`) makes its forward and weight-gradient products from a stack
   of views of its input rows (:mod:`annhist.cnn.lowered`), and C1, C3 and H2 their input gradient's
   products from views of ``g``'s rows (:func:`annhist.cnn.lowered.rows_gradient_products`), so the row also
   records ``layer_gemms_s``, the layer's own three products alone (on arrays of those shapes),
   timed in the same way when the case is built: the layer's time outside its GEMMs is the difference.

Rows 1 and 3 come twice: with the machine's threads, and with numpy's BLAS and PyTorch limited
to one thread (threadpoolctl; "1 thread" rows, their GEMM rate measured on one thread too).

Agreement: rows 1-2 record whether both sides, started from the same weights, end with the
same weights after one LeNet-5 step (``same_weights_after_one_step``) or 300 per-pattern steps
of the 1989 net (``same_weights_after_300_steps``).

Peak memory: each side of rows 1-2 is run in a fresh subprocess; the row's ``extra`` holds the
growth of the peak resident set size over the size before the work (``/proc/self/status``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from benchmarks.harness import Case, single_thread

ROOT = Path(__file__).resolve().parents[1]
USPS = ROOT.parent / "shared" / "data" / "usps.npz"
BATCH = 64


def _blas_threads() -> int:
    try:
        from threadpoolctl import threadpool_info
        counts = [d["num_threads"] for d in threadpool_info() if d.get("user_api") == "blas"]
        return max(counts) if counts else 1
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return 1


# ----------------------------------------------------------------------------- annhist side
def _annhist_lenet_step(seed: int = 0, dtype: str = "float64"):
    from annhist.cnn import lenet5
    from annhist.cnn.shards import twins_of

    net = lenet5(seed, dtype=dtype)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-0.1, 1.175, size=(BATCH, 1, 32, 32)).astype(dtype)
    labels = rng.integers(0, 10, BATCH)
    slots = [(layer, k) for layer in net.layers for k in layer.params]
    params = [layer.params[k] for layer, k in slots]
    net.layers[0].propagate = False                 # as in fit: no gradient for the input image
    twins = twins_of(net.layers)                    # as in fit: float64 halves of 32 (float32: one batch)

    def step():
        net._train_step(x, labels, None, twins, slots, params)

    return net, x, labels, step


def _annhist_1989_epoch(X, y, seed: int = 0, dtype: str = "float64"):
    from annhist.cnn import lecun1989

    def epoch():
        lecun1989(seed, dtype=dtype).fit(X, y, epochs=1)

    return epoch


# ----------------------------------------------------------------------------- PyTorch side
def _torch_lenet_step(torch, net, x, labels, dtype):
    """LeNet-5 written with torch.nn.functional, weights copied from the annhist ``net``."""
    F = torch.nn.functional
    P = {f"{i}.{k}": torch.tensor(v, dtype=dtype, requires_grad=True)
         for i, layer in enumerate(net.layers) for k, v in layer.params.items()}
    m3 = torch.tensor(net.layers[4].mask, dtype=dtype)
    centres = torch.tensor(net.layers[13].centres, dtype=dtype)
    xt, lt = torch.tensor(x, dtype=dtype), torch.tensor(labels)
    rubbish = torch.full((x.shape[0], 1), -10.0, dtype=dtype)
    params = list(P.values())
    act = lambda a: 1.7159 * torch.tanh(2.0 * a / 3.0)
    sub = lambda h, i: 4 * F.avg_pool2d(h, 2) * P[f"{i}.coef"].view(1, -1, 1, 1) + P[f"{i}.b"].view(1, -1, 1, 1)

    def step():
        h = act(F.conv2d(xt, P["0.W"], P["0.b"]))
        h = act(sub(h, 2))
        h = act(F.conv2d(h, P["4.W"] * m3, P["4.b"]))
        h = act(sub(h, 6))
        h = act(F.conv2d(h, P["8.W"], P["8.b"])).flatten(1)
        h = act(h @ P["11.W"] + P["11.b"])
        yrbf = (h * h).sum(1, keepdim=True) - 2 * h @ centres.T + (centres * centres).sum(1)
        loss = (yrbf.gather(1, lt[:, None])[:, 0] + torch.logsumexp(torch.cat([-yrbf, rubbish], 1), 1)).mean()
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= 0.01 * p.grad

    step.params = P                                    # for the agreement check
    return step


def _torch_1989_epoch(torch, X, y, dtype, seed: int = 0, final: dict | None = None):
    """The 1989 net, per-pattern SGD on mean((y - d)^2), then a forward pass over the training set."""
    from annhist.cnn import lecun1989

    F = torch.nn.functional
    net = lecun1989(seed)
    init = {f"{i}.{k}": v.copy() for i, layer in enumerate(net.layers) for k, v in layer.params.items()}
    m2 = torch.tensor(net.layers[2].mask, dtype=dtype)
    Xt = torch.tensor(X[:, None], dtype=dtype)
    D = -torch.ones(len(y), 10, dtype=dtype)
    D[torch.arange(len(y)), torch.tensor(y, dtype=torch.long)] = 1.0
    act = lambda a: 1.7159 * torch.tanh(2.0 * a / 3.0)

    def forward(P, x):
        h = act(F.conv2d(F.pad(x, (2, 2, 2, 2), value=-1.0), P["0.W"], stride=2) + P["0.b"])
        h = act(F.conv2d(F.pad(h, (2, 2, 2, 2), value=-1.0), P["2.W"] * m2, stride=2) + P["2.b"])
        h = act(h.flatten(1) @ P["5.W"] + P["5.b"])
        return act(h @ P["7.W"] + P["7.b"])

    def epoch():
        P = {k: torch.tensor(v, dtype=dtype, requires_grad=True) for k, v in init.items()}
        params = list(P.values())
        for i in range(len(y)):
            loss = torch.mean((forward(P, Xt[i:i + 1]) - D[i:i + 1]) ** 2)
            for p in params:
                p.grad = None
            loss.backward()
            with torch.no_grad():
                for p in params:
                    p -= 0.03 * p.grad
        with torch.no_grad():
            forward(P, Xt).argmax(1)
        if final is not None:
            final.update({k: v.detach().numpy() for k, v in P.items()})

    return epoch


def _same_lenet_step(torch, dtype_name: str) -> bool:
    """One step on each side from the same weights: do the updated weights agree?"""
    net, x, labels, step = _annhist_lenet_step(dtype=dtype_name)
    ref = _torch_lenet_step(torch, net, x, labels, getattr(torch, dtype_name))
    step()
    ref()
    tol = 1e-9 if dtype_name == "float64" else 1e-4
    return all(np.allclose(layer.params[k], ref.params[f"{i}.{k}"].detach().numpy(), rtol=tol, atol=tol)
               for i, layer in enumerate(net.layers) for k in layer.params)


def _same_1989_epoch(torch, X, y, n: int = 300) -> bool:
    """``n`` per-pattern steps on each side from the same weights: do the weights agree?"""
    from annhist.cnn import lecun1989

    net = lecun1989(0).fit(X[:n], y[:n], epochs=1)
    final: dict = {}
    _torch_1989_epoch(torch, X[:n], y[:n], torch.float64, final=final)()
    return all(np.allclose(layer.params[k], final[f"{i}.{k}"], rtol=1e-8, atol=1e-10)
               for i, layer in enumerate(net.layers) for k in layer.params)


# ----------------------------------------------------------------------------- memory
_MEM_CODE = r"""
import json, sys
sys.path.insert(0, {root!r})
import numpy as np
from benchmarks import bench_cnn as b
def rss(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024
side, row = sys.argv[1], sys.argv[2]
import torch
torch.set_num_threads(b._blas_threads())
if row == "lenet":
    net, x, labels, step = b._annhist_lenet_step()
    if side == "torch":
        step = b._torch_lenet_step(torch, net, x, labels, torch.float64)
else:
    d = np.load(b.USPS, allow_pickle=False)
    X, y = d["X_train"].astype(float), d["y_train"].astype(int)
    step = b._annhist_1989_epoch(X, y) if side == "annhist" else b._torch_1989_epoch(torch, X, y, torch.float64)
before = rss("VmRSS")
step()
print(json.dumps({{"peak_growth_mb": (rss("VmHWM") - before) / 2**20}}))
"""


def _peak_memory(side: str, row: str) -> float | None:
    """Growth of the peak RSS (MiB) while one call of ``side`` runs, in a fresh process."""
    try:
        out = subprocess.run([sys.executable, "-c", _MEM_CODE.format(root=str(ROOT)), side, row],
                             capture_output=True, text=True, timeout=600, check=True)
        return round(json.loads(out.stdout.strip().splitlines()[-1])["peak_growth_mb"], 1)
    except (subprocess.SubprocessError, ValueError, IndexError, OSError):
        return None


# ----------------------------------------------------------------------------- conv GFLOP/s
def three_gemms(co: int, k: int, m: int, dtype: str, rng):
    """The conv rows' reference: random ``W (C_out, K)``, ``cols (K, M)``, ``g (C_out, M)`` and a call making
    the three products of im2col convolution with them (forward, ``dE/dW``, ``dE/dcols``)."""
    W, cols, gm = (rng.normal(size=s).astype(dtype) for s in ((co, k), (k, m), (co, m)))

    def matmuls():
        W @ cols
        gm @ cols.T
        W.T @ gm

    return (W, cols, gm), matmuls


def _conv_case(name, conv, x_shape, peak_gflops, dtype, wrap=lambda fn: fn, batch_last=False):
    from annhist.cnn.blocked import wide_gram, wide_matmul
    from annhist.cnn.lowered import gradient_by_rows, row_stack, rows_gradient_products, rows_gram, rows_matmul

    rng = np.random.default_rng(0)
    x = rng.normal(size=x_shape).astype(dtype)
    if batch_last:                   # the same values, laid out as the layer below hands them over
        x = np.ascontiguousarray(x.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)
    out = conv.forward(x, training=True)
    g = np.empty_like(out)           # dE/d(out) in the memory layout of out, as a network's element-wise layers pass it
    g[...] = rng.normal(size=out.shape)
    co = conv.out_channels
    K = conv.in_channels * conv.kernel_size[0] * conv.kernel_size[1]
    M = out.shape[0] * out.shape[2] * out.shape[3]                     # N * OH * OW
    flops = 3 * 2.0 * co * K * M                                       # forward, dE/dW and dE/dcols GEMMs
    (W, cols, gm), matmuls = three_gemms(co, K, M, dtype, rng)

    def annhist():
        conv.forward(x, training=True)
        conv.backward(g)

    a, dcols = np.empty((co, M), dtype), np.empty((K, M), dtype)
    stack = None                       # a layer going by rows reads views of its input rows (annhist.cnn.lowered)
    if conv._stack is not None:
        rows = np.random.default_rng(1).normal(size=conv._rows_last.shape).astype(dtype)
        stack = row_stack(rows, conv.kernel_size[0], conv.stride, out.shape[2])   # overlapping views, as the layer's
    kw, n_out, ow = conv.kernel_size[1], out.shape[0], out.shape[3]
    drows = None                       # and, with wide rows, its input gradient's products from views of g's rows
    if conv._stack is not None and gradient_by_rows(conv.in_channels, kw, ow, n_out):
        drows = np.empty((x_shape[2], conv.in_channels * kw, ow * n_out), dtype)
    W4 = W.reshape(conv.params["W"].shape)

    def layer_gemms():                 # the same products as the layer computes them
        if stack is None:
            wide_matmul(W, cols, a)
            wide_gram(gm, cols)
        else:
            rows_matmul(W, stack, a)
            rows_gram(gm, stack, conv.kernel_size[0], conv.in_channels)
        if drows is None:
            wide_matmul(W.T, gm, dcols)
        else:
            rows_gradient_products(W4, gm, x.shape, conv.stride, conv.padding, drows)

    own = _median_seconds(wrap(layer_gemms))
    return Case(name=name, annhist=wrap(annhist), reference=wrap(matmuls), reference_name="numpy: the 3 GEMMs alone",
                repeats=10, flops=flops,
                note="GFLOP/s counts the three im2col GEMMs; the reference does only them (no gather/scatter)",
                extra={"peak_matmul_gflops": round(peak_gflops, 1), "gemm_shape": [co, K, M],
                       "input_batch_last": batch_last, "layer_gemms_s": own})


def conv_layers(dtype: str) -> list[tuple]:
    """The four layers of the conv rows, in ``dtype``: (name, layer, input shape, input batch-last?).

    C3 and H2 are fed by a layer of their net, so their input arrives batch-last (item 3 of this module's docstring)."""
    from annhist.cnn import C3_TABLE, H2_TABLE, Conv2d

    layers = [("LeNet-5 C1", Conv2d(1, 6, 5, random_state=0), (BATCH, 1, 32, 32), False),
              ("LeNet-5 C3 (Table I)", Conv2d(6, 16, 5, table=C3_TABLE, random_state=0), (BATCH, 6, 14, 14), True),
              ("LeCun-1989 H1", Conv2d(1, 12, 5, stride=2, padding=2, pad_value=-1.0, bias="unshared",
                                       input_size=(16, 16), random_state=0), (BATCH, 1, 16, 16), False),
              ("LeCun-1989 H2 (8 of 12)", Conv2d(12, 12, 5, stride=2, padding=2, pad_value=-1.0, table=H2_TABLE,
                                                 bias="unshared", input_size=(8, 8), random_state=0),
               (BATCH, 12, 8, 8), True)]
    for _, conv, _, _ in layers:
        for k, v in conv.params.items():
            conv.params[k] = v.astype(dtype)
        if conv.mask is not None:
            conv.mask = conv.mask.astype(dtype)
    return layers


def _median_seconds(fn, repeats: int = 30) -> float:
    import time
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def _matmul_peak(dtype: str) -> float:
    a = np.random.default_rng(0).normal(size=(1024, 1024)).astype(dtype)
    b = np.random.default_rng(1).normal(size=(1024, 1024)).astype(dtype)
    a @ b
    import time
    best = np.inf
    for _ in range(5):
        t0 = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - t0)
    return 2.0 * 1024 ** 3 / best / 1e9


def cases() -> list[Case]:
    try:
        import torch
    except ImportError:
        torch = None
    threads = _blas_threads()
    if torch is not None:
        torch.set_num_threads(threads)
    out: list[Case] = []

    for dtype_name in ("float64", "float32"):
        net, x, labels, step = _annhist_lenet_step(dtype=dtype_name)
        ref, reason = None, "torch is not installed (make bench installs it)"
        if torch is not None:
            ref, reason = _torch_lenet_step(torch, net, x, labels, getattr(torch, dtype_name)), ""
        extra = {"threads": threads, "dtype": dtype_name}
        if torch is not None:
            extra["same_weights_after_one_step"] = _same_lenet_step(torch, dtype_name)
        if dtype_name == "float64" and torch is not None:
            extra.update(annhist_peak_mb=_peak_memory("annhist", "lenet"), torch_peak_mb=_peak_memory("torch", "lenet"))
        out.append(Case(name=f"cnn: LeNet-5 train step, batch {BATCH}, {dtype_name}", annhist=step,
                        reference=ref, reference_name=f"torch {dtype_name} CPU", repeats=10,
                        skipped_reason=reason, extra=extra))
        ref1 = None if ref is None else single_thread(ref, torch)
        extra1 = {**{k: v for k, v in extra.items() if not k.endswith("_peak_mb")}, "threads": 1}
        out.append(Case(name=f"cnn: LeNet-5 train step, batch {BATCH}, {dtype_name}, 1 thread",
                        annhist=single_thread(step), reference=ref1, reference_name=f"torch {dtype_name} CPU, 1 thread",
                        repeats=10, skipped_reason=reason, extra=extra1))

    if USPS.is_file():
        d = np.load(USPS, allow_pickle=False)
        X, y = d["X_train"].astype(float), d["y_train"].astype(int)
        ref, reason = None, "torch is not installed (make bench installs it)"
        extra = {"threads": threads, "steps": int(len(y))}
        if torch is not None:
            ref, reason = _torch_1989_epoch(torch, X, y, torch.float64), ""
            extra["same_weights_after_300_steps"] = _same_1989_epoch(torch, X, y)
            extra.update(annhist_peak_mb=_peak_memory("annhist", "1989"), torch_peak_mb=_peak_memory("torch", "1989"))
        out.append(Case(name="cnn: LeCun-1989 epoch, per-pattern SGD, USPS", annhist=_annhist_1989_epoch(X, y),
                        reference=ref, reference_name="torch float64 CPU", repeats=3, skipped_reason=reason,
                        extra=extra))
    else:
        out.append(Case(name="cnn: LeCun-1989 epoch, per-pattern SGD, USPS", annhist=lambda: None, reference=None,
                        reference_name="torch float64 CPU", repeats=1,
                        skipped_reason=f"the USPS data is not at {USPS} (see ../shared/data/README.md)"))

    peaks = {dt: _matmul_peak(dt) for dt in ("float64", "float32")}
    peaks1 = {dt: single_thread(lambda dt=dt: _matmul_peak(dt))() for dt in ("float64", "float32")}
    for dt in ("float64", "float32"):
        for name, conv, shape, inner in conv_layers(dt):
            out.append(_conv_case(f"cnn: conv {name} fwd+bwd, batch {BATCH}, {dt}", conv, shape, peaks[dt], dt,
                                  batch_last=inner))
            out.append(_conv_case(f"cnn: conv {name} fwd+bwd, batch {BATCH}, {dt}, 1 thread", conv, shape,
                                  peaks1[dt], dt, wrap=single_thread, batch_last=inner))
    return out
