"""1986: the multilayer perceptron trained by back-propagating errors.

:class:`MLP` is a layered network of :class:`~annhist.layers.Dense` layers trained by the
generalized delta rule of Rumelhart, Hinton & Williams (1986), whose forward and backward
passes are the pure functions of :mod:`annhist.mlp.delta_rule`. :func:`~annhist.mlp.gradcheck.gradient_check` compares
backpropagation with finite differences; :func:`~annhist.mlp.many.train_many` trains many
seeds of a small net at once.

References
----------
D. E. Rumelhart, G. E. Hinton, R. J. Williams, "Learning representations by back-propagating
errors", Nature 323:533-536 (1986); "Learning internal representations by error
propagation", in *Parallel Distributed Processing*, vol. 1, ch. 8, pp. 318-362 (1986).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

from annhist.activations import get_activation
from annhist.initializers import initialize
from annhist.layers import Dense
from annhist.losses import get_loss
from annhist.mlp import checks
from annhist.mlp.checks import check_dtype, check_finite_error, check_masks, check_output, check_sizes, check_targets
from annhist.mlp.delta_rule import NetSpec, backward, forward, loss_and_delta, output_probabilities
from annhist.mlp.fit import Options, check_fit_options, fit_loop, make_optimizer
from annhist.mlp.flat import pack
from annhist.mlp.io import load_mlp, save_mlp
from annhist.validation import check_random_state

__all__ = ["MLP"]


class MLP:
    """A multilayer perceptron trained by backpropagation (Rumelhart, Hinton & Williams 1986).

    Parameters
    ----------
    sizes : sequence of int
        Units per layer, input first: ``[2, 2, 1]`` is the 2-2-1 XOR net.
    activation : str
        Hidden units' activation: 'sigmoid' (the paper's logistic unit), 'tanh', 'relu',
        'identity' or 'lecun_tanh'.
    output_activation : str, optional
        Output units' activation, or 'softmax'. Default: ``activation`` for ``loss="mse"``,
        'softmax' for ``loss="cross_entropy"`` (the only output that loss accepts).
    loss : {'mse', 'cross_entropy'}
        'mse' is the paper's E = 1/2 sum (y - d)^2 summed over cases (eq. 3); 'cross_entropy'
        is softmax cross-entropy averaged over cases (the modern classifier).
    reduction : {'sum', 'mean'}, optional
        Override the loss's reduction over the cases of a batch.
    init : tuple or str
        ``("uniform", r)`` -- weights and biases uniform in [-r, r], the paper's r = 0.3 --,
        or 'lecun', 'xavier' ('glorot'), 'he' (biases then start at 0).
    skip : bool
        Add direct input->output connections (PDP ch. 8's XOR net with one hidden unit).
    masks : mapping of int to array, optional
        ``{l: M}``: layer ``l``'s weights exist only where the 0/1 array ``M`` (shape
        (n_in, n_out)) is 1 -- e.g. the family-tree net's separate person and relation groups.
    dtype : numpy float dtype
        float64 (default; gradient checks) or float32 (faster).
    random_state : None, int or numpy.random.Generator
        Initial weights and mini-batch order.

    Attributes
    ----------
    layers_ : list of Dense
        The layers; ``layers_[l].params["W"]`` has shape (sizes[l], sizes[l+1]).
    skip_layer_ : Dense or None
        The direct input->output weights (no bias).
    history_ : dict
        ``"loss"``: E per epoch (full batch: at the start of the sweep, i.e. after ``t``
        updates; mini-batch: summed or averaged over the epoch's batches); ``"max_error"``:
        the largest ``abs(y - d)`` per epoch, recorded when ``fit`` has a ``stop_within`` criterion (else empty).
    n_epochs_ : int
        Epochs (sweeps) of weight updates since the weights were initialized.
    converged_ : bool
        Whether the last ``fit``'s ``stop_within`` criterion was met.

    Examples
    --------
    >>> from annhist.optimizers import Momentum
    >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]; Y = [[0], [1], [1], [0]]
    >>> net = MLP([2, 2, 1], random_state=0)
    >>> net = net.fit(X, Y, optimizer=Momentum(eta=0.5, alpha=0.9), epochs=5000, stop_within=0.4,
    ...               verbose=False)
    >>> net.converged_, net.n_epochs_ < 5000
    (True, True)
    """

    def __init__(self, sizes: Any, *, activation: str = "sigmoid", output_activation: str | None = None,
                 loss: str = "mse", reduction: str | None = None, init: Any = ("uniform", 0.3),
                 skip: bool = False, masks: Mapping[int, Any] | None = None, dtype: Any = np.float64,
                 random_state: Any = None) -> None:
        self.sizes = check_sizes(sizes)
        self.activation = get_activation(activation, owner="MLP").name
        self.loss = get_loss(loss, owner="MLP").name
        self.output_activation = check_output(output_activation, self.activation, self.loss, self.sizes[-1])
        self.reduction = get_loss(loss).reduction if reduction is None else reduction
        if self.reduction not in ("sum", "mean"):
            raise ValueError(f"The 'reduction' parameter of MLP must be one of 'sum', 'mean'. "
                             f"Got {reduction!r} instead.")
        initialize(init, np.random.default_rng(0), (1, 1), 1, 1, owner="MLP")   # validate the name now
        self.init = init
        if not isinstance(skip, (bool, np.bool_)):
            raise TypeError(f"The 'skip' parameter of MLP must be a bool. Got {skip!r} instead.")
        self.skip = bool(skip)
        self.dtype = check_dtype(dtype)
        self.masks = check_masks(masks, self.sizes, self.dtype)
        self.random_state = random_state
        self.history_: dict[str, list[float]] = {"loss": [], "max_error": []}
        self.n_epochs_, self.converged_ = 0, False
        self._initialize(check_random_state(random_state, owner="MLP"))

    # ------------------------------------------------------------------ structure
    def _initialize(self, rng: np.random.Generator) -> None:
        """Draw all weights (layer by layer, W then b; the skip weights last) and apply the masks."""
        self.layers_ = [Dense(n_in, n_out, init=self.init, random_state=rng)
                        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:])]
        self.skip_layer_ = (Dense(self.sizes[0], self.sizes[-1], init=self.init, random_state=rng, bias=False)
                            if self.skip else None)
        for layer in self.layers_ + ([self.skip_layer_] if self.skip_layer_ else []):
            for k, v in layer.params.items():
                layer.params[k] = v.astype(self.dtype)
        for l, m in enumerate(self.masks):
            if m is not None:
                self.layers_[l].params["W"] *= m
        self._pack_params()
        self._shuffle_rng = rng

    def _pack_params(self) -> None:
        """The weight arrays as views of one flat array: ``fit`` steps them in one call (:mod:`annhist.mlp.flat`)."""
        layers = [(layer, k) for layer in self.layers_ for k in ("W", "b")]
        layers += [(self.skip_layer_, "W")] if self.skip_layer_ is not None else []
        for (layer, k), v in zip(layers, pack([layer.params[k] for layer, k in layers])[1]):
            layer.params[k] = v

    @property
    def spec(self) -> NetSpec:
        """The structure the pure passes of :mod:`annhist.mlp.delta_rule` need."""
        return NetSpec(len(self.layers_), self.activation, self.output_activation, self.loss,
                       self.reduction, self.skip, self.masks)

    @property
    def params_(self) -> list[np.ndarray]:
        """The trainable arrays ``[W_1, b_1, ..., W_L, b_L(, W_skip)]`` (views, not copies)."""
        out = [p for layer in self.layers_ for p in (layer.params["W"], layer.params["b"])]
        return out + ([self.skip_layer_.params["W"]] if self.skip_layer_ is not None else [])

    def count_parameters(self) -> int:
        """Number of trainable weights and biases (masked-out connections not counted)."""
        n = sum(p.size for p in self.params_)
        return int(n - sum(m.size - np.count_nonzero(m) for m in self.masks if m is not None))

    # ------------------------------------------------------------------ data
    def _check_X(self, X: Any, copies: int = 1) -> np.ndarray:
        return checks.check_input(X, self.sizes, self.dtype, copies)

    def _check_Y(self, Y: Any, n: int) -> np.ndarray:
        n_out = self.sizes[-1]
        try:
            arr = np.asarray(Y) if Y is not None and not isinstance(Y, (str, bytes)) else None
        except (ValueError, TypeError):            # ragged nested lists: check_array below says so
            arr = None
        if self.loss == "cross_entropy" and arr is not None and arr.ndim == 1 and arr.dtype.kind in "iu":
            if arr.size and (arr.min() < 0 or arr.max() >= n_out):
                raise ValueError(f"The 'Y' parameter of MLP holds class indices outside 0..{n_out - 1}.")
            D = np.zeros((arr.shape[0], n_out), dtype=self.dtype)
            D[np.arange(arr.shape[0]), arr] = 1.0                     # class index -> one-hot target
        else:
            D = check_targets(Y, n_out, self.loss, self.dtype)
        if D.shape[0] != n:
            raise ValueError(f"The 'X' and 'Y' parameters of MLP must have the same number of rows. "
                             f"Got {n} and {D.shape[0]} instead.")
        return D

    # ------------------------------------------------------------------ use
    def layer_outputs(self, X: Any) -> list[np.ndarray]:
        """``[X, y_1, ..., y_L]``: the outputs of every layer (the hidden representations)."""
        outs = forward(self.params_, self._check_X(X), self.spec)
        outs[-1] = output_probabilities(outs[-1], self.spec)
        return outs

    def predict(self, X: Any) -> np.ndarray:
        """The output units' activities, shape (n_samples, sizes[-1]) (probabilities for softmax)."""
        return self.layer_outputs(X)[-1]

    def _loss(self, X: Any, Y: Any) -> tuple[list[np.ndarray], float, np.ndarray]:
        """The forward pass, E and the output units' deltas; an E that overflows float64 is a ValueError ('Y')."""
        X = self._check_X(X)
        D, outs = self._check_Y(Y, X.shape[0]), forward(self.params_, X, self.spec)
        with np.errstate(over="ignore", invalid="ignore"):
            E, delta, _ = loss_and_delta(outs[-1], D, self.spec)
        return outs, check_finite_error(E, D), delta

    def error(self, X: Any, Y: Any) -> float:
        """The loss E at the current weights (the paper's E for ``loss="mse"``)."""
        return self._loss(X, Y)[1]

    def gradients(self, X: Any, Y: Any) -> list[np.ndarray]:
        """dE/dw for every array of :attr:`params_`, by one forward and one backward pass."""
        outs, _, delta = self._loss(X, Y)
        return backward(self.params_, outs, delta, self.spec)

    def fit(self, X: Any, Y: Any, *, optimizer: Any = None, epochs: int = 1000, batch_size: int | None = None,
            weight_decay: float = 0.0, stop_within: float | None = None, dead_zone: float = 0.0,
            shuffle: bool = True, warm_start: bool = False, verbose: bool = True,
            validation_data: tuple[Any, Any] | None = None, callback: Callable[["MLP", int], Any] | None = None
            ) -> "MLP":
        """Train by gradient descent on E; see :func:`annhist.mlp.fit.fit_loop` for the loop.

        Parameters
        ----------
        X, Y : array-like
            Inputs (n_samples, sizes[0]) and desired outputs (n_samples, sizes[-1]); for
            cross-entropy ``Y`` may be a vector of class indices.
        optimizer : Optimizer or str, optional
            Default ``Momentum(eta=0.5, alpha=0.9)``: Delta w(t) = -eps dE/dw + alpha Delta w(t-1).
        epochs : int
            Most epochs (sweeps through the data) to train.
        batch_size : int, optional
            None: full batch, one update per sweep (the paper). ``k``: mini-batches of k
            cases. 1: stochastic (one update per case).
        weight_decay : float
            After every update each weight is multiplied by ``1 - weight_decay`` (the
            family-tree net used 0.002, "0.2 % per update").
        stop_within : float, optional
            Stop as soon as every output is within ``stop_within`` of its target, checked on
            all cases with the current weights at the start of each sweep (full batch) or
            after each epoch (mini-batch): 0.5 = every output on the right side of 0.5;
            0.4 = right by a margin of 0.1; 0.2 = the family trees' "above 0.8 / below 0.2".
        dead_zone : float
            Count an output's error as zero when it is within ``dead_zone`` of its target.
        shuffle : bool
            Shuffle the cases every epoch (mini-batch and stochastic training).
        warm_start : bool
            Continue from the current weights, optimizer state and history instead of
            re-initializing from ``random_state``.
        verbose : bool
            Show a progress bar on fits longer than a second, in a terminal or a notebook.
        validation_data : (X_val, Y_val), optional
            Held-out cases: E on them after every epoch goes to ``history_["val_loss"]`` (as
            :meth:`annhist.cnn.network.Sequential.fit` takes them).
        callback : callable, optional
            ``callback(net, epoch)`` after every epoch (``epoch`` counts from 1 over the net's
            life), e.g. to record a test accuracy or to change the step size.

        Notes
        -----
        If the weights become infinite or NaN, ``fit`` raises ``annhist.DivergenceError`` (naming
        the epoch and the step size) after restoring the weights it started from, with ``n_epochs_``
        and ``history_``.
        """
        X = self._check_X(X, copies=0)                                  # in batches: checked with batch_size
        D = self._check_Y(Y, X.shape[0])
        check_fit_options(epochs, batch_size, weight_decay, stop_within, dead_zone, D=D, output=self.output_activation,
                          sizes=self.sizes)
        optimizer = make_optimizer(optimizer)
        if not warm_start:
            self._initialize(check_random_state(self.random_state, owner="MLP"))
            self.history_, self.n_epochs_ = {"loss": [], "max_error": []}, 0
        validation = None
        if validation_data is not None:
            if not isinstance(validation_data, tuple) or len(validation_data) != 2:
                raise TypeError(f"The 'validation_data' parameter of MLP must be a pair (X_val, Y_val). "
                                f"Got {type(validation_data).__name__} instead.")
            Xv = self._check_X(validation_data[0])
            validation = (Xv, self._check_Y(validation_data[1], Xv.shape[0]))
        if callback is not None and not callable(callback):
            raise TypeError(f"The 'callback' parameter of MLP must be callable. Got {callback!r} instead.")
        options = Options(epochs, batch_size, weight_decay, stop_within, dead_zone, shuffle)
        fit_loop(self, X, D, optimizer=optimizer, options=options, reset=not warm_start, verbose=verbose,
                 validation=validation, callback=callback)
        return self

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | os.PathLike) -> Path:
        """Write the weights, structure and history to an ``.npz`` file (no pickle); return its path."""
        return save_mlp(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike) -> "MLP":
        """Read a file written by :meth:`save`; a corrupt or foreign file raises ``ValueError``."""
        return load_mlp(cls, path)

    def __repr__(self) -> str:
        return (f"MLP({list(self.sizes)}, activation={self.activation!r}, output_activation="
                f"{self.output_activation!r}, loss={self.loss!r}, skip={self.skip})")
