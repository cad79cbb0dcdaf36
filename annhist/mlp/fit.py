"""The training loop of :class:`annhist.mlp.MLP`: sweeps, mini-batches, stopping, divergence, progress.

Full-batch training is the paper's: "the weights were changed after each sweep through
the whole set of input-output cases" (Rumelhart, Hinton & Williams 1986); mini-batch and
stochastic training change them after every ``batch_size`` cases.
"""

from __future__ import annotations

import importlib.util
import math
import numbers
import sys
from typing import TYPE_CHECKING, Any, Callable, NamedTuple

import numpy as np

from annhist.mlp.checks import check_finite_error, check_rows, check_stop_within
from annhist.mlp.delta_rule import backward, forward, loss_and_delta, output_probabilities
from annhist.mlp.flat import FlatStep, finite_and_small, flat_base
from annhist.optimizers import Momentum, Optimizer, get_optimizer
from annhist.validation import DivergenceError, check_finite_weights, check_scalar

if TYPE_CHECKING:  # pragma: no cover
    from annhist.mlp.network import MLP

__all__ = ["fit_loop", "Options", "progress_bar", "progress_mode", "make_optimizer"]


def progress_mode(verbose: bool) -> str | None:
    """Where a progress bar can be shown: 'terminal', 'notebook' or None (nowhere / not wanted).

    A notebook needs ipywidgets for its bar; without them (as when a book is built) no
    bar is drawn, so nothing time-dependent ever lands in an executed notebook.
    """
    if not verbose:
        return None
    shell = sys.modules.get("IPython") and getattr(sys.modules["IPython"], "get_ipython", lambda: None)()
    if shell is not None and type(shell).__name__ == "ZMQInteractiveShell":
        return "notebook" if importlib.util.find_spec("ipywidgets") is not None else None
    stream = sys.stderr
    return "terminal" if stream is not None and hasattr(stream, "isatty") and stream.isatty() else None


def progress_bar(verbose: bool, total: int) -> Any:
    """A tqdm bar over ``total`` epochs that appears only after a second (so short fits stay quiet)."""
    mode = progress_mode(verbose)
    if mode == "notebook":
        from tqdm.notebook import tqdm
    else:
        from tqdm import tqdm
    return tqdm(total=total, disable=mode is None, delay=1.0, leave=False, unit="epoch", desc="MLP.fit")


def make_optimizer(optimizer: Any) -> Optimizer:
    """``optimizer`` as an :class:`Optimizer`; None is the paper's Momentum(eta=0.5, alpha=0.9)."""
    return Momentum(eta=0.5, alpha=0.9) if optimizer is None else get_optimizer(optimizer, owner="MLP")


def check_fit_options(epochs: Any, batch_size: Any, weight_decay: Any, stop_within: Any, dead_zone: Any, *,
                      D: np.ndarray | None = None, output: str = "", sizes: tuple[int, ...] | None = None) -> None:
    """Validate the numbers ``fit`` takes, naming the parameter and the value.

    With the targets ``D`` and the output unit: a ``stop_within`` that every output meets is refused
    (:func:`~annhist.mlp.checks.check_stop_within`). With the net's ``sizes`` too: the cases sent through the
    net at once (all of them, or ``batch_size``) are held to :func:`~annhist.mlp.checks.check_rows`.
    """
    check_scalar(epochs, "epochs", owner="MLP", kind=numbers.Integral, min_val=1)
    if batch_size is not None:
        check_scalar(batch_size, "batch_size", owner="MLP", kind=numbers.Integral, min_val=1)
    check_scalar(weight_decay, "weight_decay", owner="MLP", min_val=0, max_val=1, include_max=False)
    if stop_within is not None:
        check_scalar(stop_within, "stop_within", owner="MLP", min_val=0, include_min=False)
        if D is not None:
            check_stop_within(stop_within, D, output)
    check_scalar(dead_zone, "dead_zone", owner="MLP", min_val=0)
    if D is not None and sizes is not None:                   # stop_within looks at every case at once
        n = D.shape[0]
        check_rows(n if batch_size is None or stop_within is not None else min(int(batch_size), n), sizes, batch=True)


def _max_error(net: "MLP", X: np.ndarray, D: np.ndarray) -> float:
    y = output_probabilities(forward(net.params_, X, net.spec)[-1], net.spec)
    return float(np.max(np.abs(y - D)))


class Options(NamedTuple):
    """The validated settings of one ``fit`` (see :meth:`annhist.mlp.MLP.fit`)."""

    epochs: int
    batch_size: int | None
    weight_decay: float
    stop_within: float | None
    dead_zone: float
    shuffle: bool


def _decay(step: FlatStep, keep: float) -> None:
    """Weight decay after an update: every weight times ``1 - weight_decay`` (packed ones in one call)."""
    for p in ([step.weights] if step.weights is not None else step.params):
        p *= keep


def _full_sweep(net: "MLP", X: np.ndarray, D: np.ndarray, step: FlatStep, o: Options) -> tuple[float, bool]:
    """One sweep, one update (the paper's). Returns E and whether the stopping rule held before the update."""
    spec, params = net.spec, net.params_
    outs = forward(params, X, spec)
    E, delta, y = loss_and_delta(outs[-1], D, spec, o.dead_zone)
    net.history_["loss"].append(E)
    if o.stop_within is not None:
        err = float(np.max(np.abs(y - D)))
        net.history_["max_error"].append(err)
        if err < o.stop_within:
            return E, True
    step(backward(params, outs, delta, spec))                          # checked once, in fit_loop
    if o.weight_decay:
        _decay(step, 1.0 - o.weight_decay)
    return E, False


def _minibatch_epoch(net: "MLP", X: np.ndarray, D: np.ndarray, step: FlatStep, o: Options) -> float:
    """One epoch of updates after every ``batch_size`` cases; returns the epoch's E."""
    spec, params, n = net.spec, net.params_, X.shape[0]
    order = net._shuffle_rng.permutation(n) if o.shuffle else np.arange(n)
    E = 0.0
    for start in range(0, n, o.batch_size):
        idx = order[start:start + o.batch_size]
        outs = forward(params, X[idx], spec)
        Eb, delta, _ = loss_and_delta(outs[-1], D[idx], spec, o.dead_zone)
        E += Eb * (len(idx) if spec.reduction == "mean" else 1)
        step(backward(params, outs, delta, spec))                      # checked once, in fit_loop
        if o.weight_decay:
            _decay(step, 1.0 - o.weight_decay)
    E = E / n if spec.reduction == "mean" else E
    net.history_["loss"].append(E)
    return E


def _validation_error(net: "MLP", Xv: np.ndarray, Dv: np.ndarray) -> float:
    """E on held-out cases at the current weights (no update)."""
    return loss_and_delta(forward(net.params_, Xv, net.spec)[-1], Dv, net.spec)[0]


def _stops_after_epoch(net: "MLP", X: np.ndarray, D: np.ndarray, o: Options) -> bool:
    """Mini-batch training: the stopping rule judged on all cases after the epoch."""
    if o.stop_within is None:
        return False
    err = _max_error(net, X, D)
    net.history_["max_error"].append(err)
    return err < o.stop_within


def fit_loop(net: "MLP", X: np.ndarray, D: np.ndarray, *, optimizer: Optimizer, options: Options, reset: bool,
             verbose: bool, validation: tuple[np.ndarray, np.ndarray] | None = None,
             callback: Callable[["MLP", int], Any] | None = None) -> None:
    """Train ``net`` in place on validated data and options; see :meth:`annhist.mlp.MLP.fit`.

    After each epoch: the divergence check, E on ``validation`` (``history_["val_loss"]``), then
    ``callback(net, epoch)`` (epochs counted from 1 over the net's life).
    """
    opt, o = optimizer, options
    if reset:
        opt.reset()
    opt.check(net.params_)          # the steps' own checks, made once: the gradients come from backward
    step = FlatStep(opt, flat_base(net.params_), net.params_)
    before = [p.copy() for p in net.params_]
    start = net.n_epochs_, {k: len(v) for k, v in net.history_.items()}   # put back with the weights on divergence
    full = o.batch_size is None or o.batch_size >= X.shape[0]
    net.converged_ = False
    with np.errstate(over="ignore", invalid="ignore", under="ignore", divide="ignore"), \
            progress_bar(verbose, o.epochs) as bar:
        for epoch in range(o.epochs):
            if full:
                E, stop = _full_sweep(net, X, D, step, o)
                if stop:
                    net.converged_ = True
                    break
            else:
                E = _minibatch_epoch(net, X, D, step, o)
            net.n_epochs_ += 1
            try:
                _check_divergence(net.params_, before, opt, net.n_epochs_, E, step.weights)
            except DivergenceError:
                _restore_counts(net, *start)
                if epoch == 0:                   # trouble at the start is the weights', X's or Y's doing, not eta's
                    _blame_start(net, X, D)
                raise
            if validation is not None:
                net.history_.setdefault("val_loss", []).append(_validation_error(net, *validation))
            if callback is not None:
                callback(net, net.n_epochs_)
                opt.check(net.params_)      # the callback may have reused the optimizer elsewhere
                step = FlatStep(opt, flat_base(net.params_), net.params_)
            if not full and _stops_after_epoch(net, X, D, o):
                net.converged_ = True
                break
            bar.update(1)
            if epoch % 100 == 0:
                bar.set_postfix(E=f"{E:.4g}", refresh=False)
        else:
            if full and o.stop_within is not None:                # judge the final weights too
                net.converged_ = _max_error(net, X, D) < o.stop_within


def _restore_counts(net: "MLP", n_epochs: int, lengths: dict[str, int]) -> None:
    """The epoch count and the history as they were before ``fit``, like the weights ``fit`` restores."""
    net.n_epochs_ = n_epochs
    for key in list(net.history_):
        if key in lengths:
            del net.history_[key][lengths[key]:]
        else:
            del net.history_[key]


def _blame_start(net: "MLP", X: np.ndarray, D: np.ndarray) -> None:
    """After a divergence in the first epoch (the weights restored): a ValueError if the start was to blame.

    Starting weights beyond the divergence bound 1e150 are the ``init``'s (or, with ``warm_start``, the
    earlier fit's). An E that overflows is the outputs' doing (``X``'s and the weights') when they are larger
    than the targets, else the targets' (:func:`~annhist.mlp.checks.check_finite_error`).
    """
    w_max = max((float(np.max(np.abs(p))) for p in net.params_ if p.size), default=0.0)
    if not w_max <= 1e150:
        raise ValueError(f"The 'init' parameter of MLP drew weights fit cannot start from: the largest |w| is "
                         f"{w_max:.3g}, beyond the 1e150 at which fit counts the weights as diverged "
                         f"(or, with warm_start, the weights were already there). Use a smaller range.")
    last = forward(net.params_, X, net.spec)[-1]
    E = loss_and_delta(last, D, net.spec)[0]
    if not np.isfinite(E) and not np.max(np.abs(last)) <= np.max(np.abs(D)):
        raise ValueError(f"The outputs of MLP at the weights fit starts from are too large: the error E overflows "
                         f"float64. Scale down 'X' (largest |X| = {np.max(np.abs(X)):.3g}) or the 'init' range "
                         f"(largest |w| = {w_max:.3g}).")
    check_finite_error(E, D)


def _check_divergence(params: list[np.ndarray], before: list[np.ndarray], opt: Optimizer, epoch: int,
                      E: float, flat: np.ndarray | None = None) -> None:
    """Raise DivergenceError (after restoring the weights of before fit) on non-finite weights or E.

    ``flat``: the array whose views ``params`` are, if they are; then two reductions clear most
    epochs (:func:`~annhist.mlp.flat.finite_and_small`) before the test per array.
    """
    if flat is not None and math.isfinite(E) and finite_and_small(flat):
        return
    # inf or NaN if any weight is; huge if one nearly is (np.add.reduce: np.sum without its Python wrapper)
    total = sum(float(np.add.reduce(p, axis=None)) for p in params)
    if math.isfinite(total) and abs(total) < 1e150 and math.isfinite(E):
        return
    bad = [p.copy() for p in params]
    for p, b in zip(params, before):
        p[...] = b
    try:
        check_finite_weights(*bad, eta=opt.eta, owner="MLP", epoch=epoch)
        raise DivergenceError(f"MLP diverged at epoch {epoch}: the error E became {E}. "
                              f"The step size eta={opt.eta:g} is too large. Lower eta.")
    except DivergenceError as exc:
        raise DivergenceError(f"{exc} The weights were restored to those before fit.") from None
