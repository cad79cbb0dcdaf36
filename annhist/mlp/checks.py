"""Validation of an :class:`~annhist.mlp.MLP`'s structure: layer sizes, output unit, dtype, masks.

Each check raises ``ValueError``/``TypeError`` naming the parameter and the value received,
and lists the valid choices where there are a few.
"""

from __future__ import annotations

import numbers
from typing import Any, Mapping

import numpy as np

from annhist.activations import ACTIVATIONS, LECUN_A
from annhist.layers import MAX_WEIGHTS
from annhist.losses import check_distributions
from annhist.validation import check_array, check_scalar, short_repr

__all__ = ["check_sizes", "check_input", "check_rows", "check_output", "check_dtype", "check_masks", "check_targets",
           "check_stop_within", "check_finite_error", "OUTPUT_RANGES", "DTYPES"]

DTYPES = {"float64": np.float64, "float32": np.float32}


def check_sizes(sizes: Any) -> tuple[int, ...]:
    """At least two layer sizes, each an int >= 1, whose weight matrices hold at most ``MAX_WEIGHTS``
    (:data:`annhist.initializers.MAX_WEIGHTS`, 1 GiB of float64) weights in all, as one layer's may: 40 layers of
    10,000 units each passed the per-layer check and asked for 30 GB."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
        raise ValueError(f"The 'sizes' parameter of MLP must be a sequence of at least two layer sizes, "
                         f"e.g. [2, 2, 1]. Got {sizes!r} instead.")
    for s in sizes:
        check_scalar(s, "sizes", owner="MLP", kind=numbers.Integral, min_val=1)
    for a, b in zip(sizes[:-1], sizes[1:]):
        if int(a) * int(b) > MAX_WEIGHTS:
            raise ValueError(f"The 'sizes' parameter of MLP asks for a {a} x {b} weight matrix; a layer may hold "
                             f"at most {MAX_WEIGHTS:,} weights. Got {list(sizes)!r} instead.")
    total = sum(int(a) * int(b) for a, b in zip(sizes[:-1], sizes[1:]))
    if total > MAX_WEIGHTS:
        raise ValueError(f"The 'sizes' parameter of MLP asks for {total:,} weights in all; a net may hold at most "
                         f"MAX_WEIGHTS = {MAX_WEIGHTS:,}. Got {short_repr(list(sizes))} instead.")
    return tuple(int(s) for s in sizes)


def check_input(X: Any, sizes: tuple[int, ...], dtype: type, copies: int = 1) -> np.ndarray:
    """``X`` as a (n_samples, sizes[0]) array of ``dtype`` (not copied when it is one), whose rows all go through
    ``copies`` nets at once (:func:`check_rows`; 0: in batches, which ``fit`` checks)."""
    X = check_array(X, "X", owner="MLP", dtype=dtype, copy=False)    # the net only reads it
    if X.shape[1] != sizes[0]:
        raise ValueError(f"The 'X' parameter of MLP has {X.shape[1]} columns, but the input layer has "
                         f"sizes[0] = {sizes[0]} units.")
    check_rows(X.shape[0], sizes, copies=copies)
    return X


def check_rows(n_rows: int, sizes: tuple[int, ...], *, copies: int = 1, batch: bool = False, owner: str = "MLP",
               name: str = "X") -> None:
    """At most ``MAX_WEIGHTS`` activations at once: ``n_rows`` cases of ``X`` (times ``copies`` stacked nets)
    through the units of ``sizes[1:]``. A 16 MB X of 10**6 points through 1,000 hidden units made 7.5 GiB."""
    units = sum(sizes[1:])
    if n_rows * copies * units > MAX_WEIGHTS:
        cases = f"{n_rows:,} cases" + (f" x {copies:,} seeds" if copies > 1 else "")
        hint = " (or train with a batch_size of at most that, without stop_within)" if batch else ""
        raise ValueError(f"The '{name}' parameter of {owner} sends {cases} at once through the {units:,} hidden and "
                         f"output units: {n_rows * copies * units:,} activations, more than MAX_WEIGHTS = "
                         f"{MAX_WEIGHTS:,}. At most {MAX_WEIGHTS // (copies * units):,} at a time{hint}.")


def check_output(output: str | None, hidden: str, loss: str, n_out: int) -> str:
    """The output activation (default from the loss); softmax goes with cross-entropy only."""
    if output is None:
        output = "softmax" if loss == "cross_entropy" else hidden
    valid = [*ACTIVATIONS, "softmax"]
    if output not in valid:
        raise ValueError(f"The 'output_activation' parameter of MLP must be one of "
                         f"{', '.join(map(repr, valid))}. Got {output!r} instead.")
    if (output == "softmax") != (loss == "cross_entropy"):
        raise ValueError(f"MLP pairs output_activation='softmax' with loss='cross_entropy' (and only with it). "
                         f"Got output_activation={output!r} and loss={loss!r}.")
    if output == "softmax" and n_out < 2:
        raise ValueError(f"The 'sizes' parameter of MLP: a softmax output needs at least 2 units. "
                         f"Got sizes[-1] = {n_out}.")
    return output


def check_dtype(dtype: Any) -> type:
    """numpy.float64 or numpy.float32."""
    try:
        name = np.dtype(dtype).name
    except TypeError:
        name = None
    if name not in DTYPES:
        raise ValueError(f"The 'dtype' parameter of MLP must be numpy.float64 or numpy.float32. Got {dtype!r} instead.")
    return DTYPES[name]


def check_masks(masks: Mapping[int, Any] | None, sizes: tuple[int, ...], dtype: type) -> tuple:
    """``{layer: 0/1 array of that layer's weight shape}`` -> one entry (or None) per layer."""
    out: list[np.ndarray | None] = [None] * (len(sizes) - 1)
    for l, m in (masks or {}).items():
        if not isinstance(l, numbers.Integral) or not 0 <= l < len(out):
            raise ValueError(f"The 'masks' parameter of MLP has key {l!r}; valid layer indices are 0..{len(out) - 1}.")
        m = check_array(m, f"masks[{l}]", owner="MLP", dtype=dtype)
        if m.shape != (sizes[l], sizes[l + 1]) or not np.all((m == 0) | (m == 1)):
            raise ValueError(f"The 'masks[{l}]' parameter of MLP must be a 0/1 array of shape "
                             f"{(sizes[l], sizes[l + 1])}. Got shape {m.shape}.")
        out[l] = m
    return tuple(out)


def check_targets(Y: Any, n_out: int, loss: str, dtype: type) -> np.ndarray:
    """``Y`` as an (n_samples, n_out) array of desired outputs; for cross-entropy each row a distribution.

    Checked once per call of ``fit`` (or ``error``, ``gradients``): the training loop's loss
    (:func:`~annhist.losses.softmax_cross_entropy_value_and_grad`) does not check its targets again.
    """
    D = check_array(Y, "Y", owner="MLP", ndim=(1, 2), dtype=dtype)
    if D.ndim == 1 and n_out == 1:
        D = D.reshape(-1, 1)
    if D.ndim == 1 or D.shape[1] != n_out:
        raise ValueError(f"The 'Y' parameter of MLP must have shape (n_samples, {n_out}) to match the "
                         f"output layer (sizes[-1] = {n_out}). Got shape {D.shape} instead.")
    if loss == "cross_entropy":
        check_distributions(D, "Y", "MLP")
    return D


# The open range of each bounded output unit (softmax: probabilities); identity and relu have no bound.
OUTPUT_RANGES = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "lecun_tanh": (-LECUN_A, LECUN_A), "softmax": (0.0, 1.0)}


def check_stop_within(stop_within: float | None, D: np.ndarray, output: str, owner: str = "MLP") -> None:
    """Refuse a ``stop_within`` that any outputs meet: with outputs in (lo, hi), no error can reach
    ``max |d - lo|, |d - hi|`` over the targets, and training would stop before its first step."""
    if stop_within is None or output not in OUTPUT_RANGES:
        return
    lo, hi = OUTPUT_RANGES[output]
    bound = float(max(np.max(np.abs(D - lo)), np.max(np.abs(D - hi))))
    if stop_within >= bound:
        raise ValueError(f"The 'stop_within' parameter of {owner} must be < {bound:g}: {output} outputs lie in "
                         f"({lo:g}, {hi:g}), so every output is within {bound:g} of its target before training. "
                         f"Got {stop_within!r} instead.")


def check_finite_error(E: float, D: np.ndarray, owner: str = "MLP") -> float:
    """``E`` if finite; else a ValueError naming 'Y': targets so far from the outputs that E overflows float64."""
    if not np.isfinite(E):
        raise ValueError(f"The 'Y' parameter of {owner} holds targets too far from the outputs: the error E "
                         f"overflows float64 (largest |Y| = {np.max(np.abs(D)):.3g}).")
    return E
