"""Experiment 1 of Hochreiter & Schmidhuber (1997): LSTM learns the embedded Reber grammar.

The paper's protocol (Section 5.1): 7 input and 7 output units (local codes); 256 training and
256 separate test strings; training strings picked at random, one weight change per step,
activations reset to zero after each string. A trial succeeds when "all string symbols of all
sequences in both test set and training set are predicted correctly -- that is, if the output
unit(s) corresponding to the possible next symbol(s) is(are) always the most active ones".
3 blocks of 2 cells (or 4 of 1); the output layer reads only the cells; gates biased; weights in
[-0.2, 0.2] except the output gate biases -1, -2, -3 (and -4 for a fourth block: our choice);
learning rates 0.1, 0.2, 0.5; 3 training/test set pairs x 10 trials = 30 trials per row.

How often the paper tested for success is not stated. We run the full test (all 512 strings,
weights frozen) after every ``eval_every`` sequences, for the trials that predicted every
symbol of those sequences correctly while learning (a trial that still errs on its training
strings cannot pass); "sequences to success" is rounded up to that grain.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from annhist.layers import MAX_WEIGHTS
from annhist.recurrent.checks import MAX_CHUNK, check_counts, check_targets, checked_by
from annhist.recurrent.lstm import LSTMSpec, count_weights, init_lstm, lstm_forward, step_numbers
from annhist.recurrent.lstm_grad import lstm_bptt
from annhist.recurrent.lstm_online import run_online
from annhist.recurrent.tasks import embedded_reber_string, reber_batch
from annhist.validation import as_real_array, check_choice, check_random_state, check_scalar

__all__ = ["MAX_STRINGS", "predictions_correct", "reber_sets", "stream_chunk", "train_reber"]

#: The most strings in each set of :func:`reber_sets`, 39 times the paper's 256. A test string must not be a
#: training string, and such strings get rarer as the training set covers the grammar's likely ones: 10,000 and
#: 10,000 take 5 seconds to draw, 100,000 two minutes (a million test strings ran for hours).
MAX_STRINGS = 10_000


def reber_sets(rng: Any, n_train: int = 256, n_test: int = 256) -> tuple[list[str], list[str]]:
    """A training set and a test set of embedded Reber strings; no test string is in the training set.

    ``rng``: None, an int seed or a Generator; ``n_train`` and ``n_test`` from 1 to ``MAX_STRINGS``.
    """
    for name, n in (("n_train", n_train), ("n_test", n_test)):
        check_scalar(n, name, owner="reber_sets", kind=numbers.Integral, min_val=1, max_val=MAX_STRINGS)
    rng = check_random_state(rng, owner="reber_sets", name="rng")   # an int seed: the same string each time, a hang
    train = [embedded_reber_string(rng) for _ in range(n_train)]
    seen, test = set(train), []
    while len(test) < n_test:
        s = embedded_reber_string(rng)
        if s not in seen:
            test.append(s)
    return train, test


def _check_predictions(Y: Any, allowed: Any, mask: Any) -> None:
    """``Y`` real ``(..., T, n)``, ``allowed`` broadcasting to its shape, ``mask`` bool broadcasting to ``(..., T)``."""
    own = "predictions_correct"
    shape = as_real_array(Y, "Y", owner=own).shape
    if len(shape) < 2:
        raise ValueError(f"The 'Y' parameter of {own} must have shape (..., n_steps, n_symbols). Got {shape} instead.")
    check_targets(allowed, shape, owner=own, name="allowed")
    m = np.asarray(mask)
    if m.dtype != bool:
        raise TypeError(f"The 'mask' parameter of {own} must be a bool array (True on real steps). Got an array "
                        f"of dtype {m.dtype} instead.")
    try:
        ok = m.ndim >= 1 and m.shape[-1] == shape[-2] and np.broadcast_shapes(m.shape, shape[:-1]) == shape[:-1]
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"The 'mask' parameter of {own} must have the shape of Y without its last axis, "
                         f"{shape[:-1]}. Got shape {m.shape} instead.")


@checked_by(_check_predictions)          # __wrapped__ for train_reber, whose arrays are made (and right) there
def predictions_correct(Y: np.ndarray, allowed: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per step: every allowed next symbol is more active than every symbol not allowed.

    ``Y``, ``allowed`` ``(..., N, T, 7)``, ``mask`` bool ``(..., N, T)`` (leading axes may broadcast);
    returns a boolean ``(..., N, T)`` (True on padding).
    """
    lowest_allowed = np.where(allowed > 0, Y, np.inf).min(axis=-1)
    highest_other = np.where(allowed > 0, -np.inf, Y).max(axis=-1)
    return (lowest_allowed > highest_other) | ~mask


def stream_chunk(batch: dict[str, np.ndarray], picks: np.ndarray) -> dict[str, np.ndarray]:
    """Concatenate the picked strings of each trial into one stream, padded to a common length.

    ``batch``: per-trial encoded training sets ``(K, n, T, 7)`` with ``mask``; ``picks (K, n_seq)``.
    Returns ``X, Y, allowed (K, L, 7)``, ``reset`` and ``mask`` ``(K, L)``.
    """
    K = picks.shape[0]
    lengths = batch["mask"].sum(axis=-1)                              # (K, n)
    total = np.take_along_axis(lengths, picks, axis=1).sum(axis=1)
    L = int(total.max())
    X, Y, allowed = np.zeros((K, L, 7)), np.zeros((K, L, 7)), np.zeros((K, L, 7))
    reset, mask = np.zeros((K, L), dtype=bool), np.zeros((K, L))
    for k in range(K):
        steps = [np.arange(lengths[k, i]) for i in picks[k]]
        rows = np.repeat(picks[k], lengths[k, picks[k]])
        cols = np.concatenate(steps)
        X[k, :total[k]], Y[k, :total[k]] = batch["X"][k, rows, cols], batch["Y"][k, rows, cols]
        allowed[k, :total[k]] = batch["allowed"][k, rows, cols]
        reset[k, np.cumsum([0] + [len(s) for s in steps[:-1]])] = True
        mask[k, :total[k]] = 1.0
    return {"X": X, "Y": Y, "allowed": allowed, "reset": reset, "mask": mask}


def _encode_sets(sets: list[tuple[list[str], list[str]]], which: np.ndarray) -> tuple[dict, dict]:
    """Per-trial training batches and the joined training + test batches for the success test."""
    T = max(len(s) for pair in sets for part in pair for s in part) - 1
    pad = lambda b: {k: np.pad(v, [(0, 0), (0, T - v.shape[1])] + [(0, 0)] * (v.ndim - 2))
                     for k, v in b.items()}
    train = [pad(reber_batch(tr)) for tr, _ in sets]
    both = [pad(reber_batch(tr + te)) for tr, te in sets]
    stack = lambda bs: {k: np.stack([bs[i][k] for i in which]) for k in bs[0]}
    return stack(train), stack(both)


def _check_sizes(n_trials: int, sets: list[tuple[list[str], list[str]]], spec: LSTMSpec) -> None:
    """The trials' encoded strings (training, and training + test for the success test: ``X, Y, allowed`` of 7
    numbers a step) are at most ``MAX_WEIGHTS`` numbers (1,000 trials of the paper's sets were 5 GB), and so are the
    step records of one trial's run over its strings (:func:`~annhist.recurrent.lstm.step_numbers` a step)."""
    tested = max(len(train) + len(test) for train, test in sets)            # the success test's strings
    strings = tested + max(len(train) for train, _ in sets)                 # and the training strings again
    steps = max(len(s) for pair in sets for part in pair for s in part) - 1
    if (numbers := int(n_trials) * strings * steps * 21) > MAX_WEIGHTS:
        raise ValueError(f"The 'n_trials' parameter of train_reber asks for {n_trials} trials' encoded strings, "
                         f"{strings} of up to {steps} steps each ({numbers:,} numbers); at most {MAX_WEIGHTS:,}. "
                         f"Got n_trials={n_trials} instead.")
    run = tested * steps * step_numbers(spec)
    if run > MAX_WEIGHTS:
        raise ValueError(f"The 'n_blocks' and 'block_size' parameters of train_reber ask for a net whose run over its "
                         f"strings keeps {run:,} numbers; at most {MAX_WEIGHTS:,}. Got n_blocks={spec.n_blocks}, "
                         f"block_size={spec.block_size} instead.")


def _outputs(X: np.ndarray, p: dict[str, np.ndarray], spec: LSTMSpec, nets: np.ndarray) -> np.ndarray:
    """The outputs ``(len(nets), N, T, 7)`` of the trials ``nets`` over their strings ``X[nets]``, as many trials at
    a time as keep the step records of a run within ``MAX_WEIGHTS`` numbers (each trial's numbers are its own)."""
    at_once = max(1, MAX_WEIGHTS // (X.shape[1] * X.shape[2] * step_numbers(spec)))
    parts = [np.stack([r["y"] for r in lstm_forward(X[k], {n: v[k] for n, v in p.items()}, spec)], axis=-2)
             for k in (nets[i:i + at_once] for i in range(0, len(nets), at_once))]
    return np.concatenate(parts)


def train_reber(*, n_trials: int = 30, n_blocks: int = 3, block_size: int = 2, eta: float = 0.5,
                max_sequences: int = 100_000, eval_every: int = 100, n_pairs: int = 3,
                targets: str = "next", rule: str = "1997", random_state: Any = 0) -> dict[str, Any]:
    """Train ``n_trials`` LSTM nets side by side until each succeeds or ``max_sequences`` are used.

    Trial ``k`` uses training/test pair ``k % n_pairs``. ``targets="next"``: the symbol that comes
    next (one-hot; the paper's "predict the next symbol"); ``"allowed"``: every symbol the grammar
    allows next is on (the success criterion's reading). ``rule="1997"``: the paper's truncated rule,
    one weight change per symbol (:func:`~annhist.recurrent.lstm_online.run_online`); ``"exact"``: the
    exact gradient by backpropagation through time (:func:`~annhist.recurrent.lstm_grad.lstm_bptt`), one
    change per string, the same strings in the same order -- to ask whether the truncation is what
    fails. The trials' encoded strings (trials x 768 strings x steps x 21 numbers: about 200 trials) and one trial's
    run over its strings are each at most ``MAX_WEIGHTS`` numbers. Returns per-trial ``success`` (bool),
    ``sequences`` (sequences presented until the success test first passed; NaN if never),
    the spec, and the learning curve (fraction of trials solved after each test).
    """
    check_choice(targets, "targets", ("next", "allowed"), owner="train_reber")
    check_choice(rule, "rule", ("1997", "exact"), owner="train_reber")
    check_counts("train_reber", eta=eta, n_trials=n_trials, n_blocks=n_blocks, block_size=block_size,
                 max_sequences=max_sequences, eval_every=eval_every, n_pairs=n_pairs)
    spec = LSTMSpec(n_in=7, n_blocks=n_blocks, block_size=block_size, n_out=7)
    if int(n_trials) * count_weights(spec) > MAX_WEIGHTS:                 # n_blocks=10**6 was a MemoryError
        raise ValueError(f"The 'n_blocks' and 'block_size' parameters of train_reber ask for {count_weights(spec):,} "
                         f"weights a net, {n_trials} nets; at most {MAX_WEIGHTS:,} in all. Got {n_blocks} and "
                         f"{block_size} instead.")
    if int(n_trials) * int(eval_every) > MAX_CHUNK:
        raise ValueError(f"The 'eval_every' parameter of train_reber times 'n_trials' must be <= {MAX_CHUNK:,} "
                         f"sequences. Got eval_every={eval_every} and n_trials={n_trials} instead.")
    rng = check_random_state(random_state, owner="train_reber")
    sets = [reber_sets(rng) for _ in range(n_pairs)]
    _check_sizes(n_trials, sets, spec)
    which = np.arange(n_trials) % n_pairs
    train, both = _encode_sets(sets, which)
    p = init_lstm(spec, rng, init=0.2, shape=(n_trials,), out_gate_bias=-np.arange(1.0, n_blocks + 1))
    solved_at = np.full(n_trials, np.nan)
    curve, presented = [], 0
    while presented < max_sequences and np.isnan(solved_at).any():
        picks = rng.integers(0, train["X"].shape[1], size=(n_trials, eval_every))
        active = np.isnan(solved_at)
        candidates = _learn(p, spec, train, picks, active, eta, "Y" if targets == "next" else "allowed", rule)
        presented += eval_every
        if candidates.size:
            Y = _outputs(both["X"], p, spec, candidates)
            ok = predictions_correct.__wrapped__(Y, both["allowed"][candidates],
                                                 both["mask"][candidates]).all(axis=(1, 2))
            solved_at[candidates[ok]] = presented
        curve.append(float(np.mean(~np.isnan(solved_at))))
    final = _final_accuracy(p, spec, both)
    return {"success": ~np.isnan(solved_at), "sequences": solved_at, "spec": spec, "presented": presented,
            "curve": curve, "eval_every": eval_every, **final}


def _learn(p: dict[str, np.ndarray], spec: LSTMSpec, train: dict[str, np.ndarray], picks: np.ndarray,
           active: np.ndarray, eta: float, target: str, rule: str) -> np.ndarray:
    """Present each trial its picked strings (the nets in ``active`` learn); return the trials to test fully."""
    if rule == "exact":                                  # one change per string, by the exact gradient
        nets = np.arange(picks.shape[0])
        for j in range(picks.shape[1]):
            pick = (nets, picks[:, j])
            grads = lstm_bptt(train["X"][pick][:, None], train[target][pick][:, None], p, spec,
                              mask=train["mask"][pick][:, None] * active[:, None, None])["grads"]
            for k, g in grads.items():
                p[k] -= eta * g.reshape(p[k].shape)
        return np.flatnonzero(active)
    chunk = stream_chunk(train, picks)
    out = run_online.__wrapped__(p, spec, chunk["X"], chunk[target], chunk["reset"], chunk["mask"] * active[:, None],
                                 eta)                    # made here from checked arguments
    clean = predictions_correct.__wrapped__(out, chunk["allowed"], chunk["mask"] > 0).all(axis=1)
    return np.flatnonzero(active & clean)                # no mistake while learning: test fully


def _final_accuracy(p: dict[str, np.ndarray], spec: LSTMSpec, both: dict[str, np.ndarray]) -> dict[str, Any]:
    """Per trial, after training: the fraction of all predictions that are right, and of the
    predictions of the symbol before last -- the one that needs the second symbol."""
    Y = _outputs(both["X"], p, spec, np.arange(both["X"].shape[0]))
    ok = predictions_correct.__wrapped__(Y, both["allowed"], both["mask"])   # (K, N, T)
    last = both["mask"].sum(axis=-1).astype(int) - 2                           # index of the step before last
    before_last = np.take_along_axis(ok, last[..., None], axis=-1)[..., 0]
    return {"symbol_accuracy": np.where(both["mask"], ok, False).sum(axis=(1, 2)) / both["mask"].sum(axis=(1, 2)),
            "before_last_accuracy": before_last.mean(axis=1)}
