"""A sequential network of layers with ``fit``/``predict``/``score``, counting as LeCun counted.

The counts follow LeCun et al. (1989), section 5.1: a *unit* is a neuron (the input pixels
included); a *connection* is an input line of a unit, bias lines included, so a shared
weight is counted once per unit that uses it; a *parameter* is an independent trainable
number (a shared weight counts once).
"""

from __future__ import annotations

import contextlib
import math
import numbers
from typing import Any, Callable, Sequence

import numpy as np

from annhist.cnn.heads import LOSSES, pm1_targets
from annhist.cnn.labels import check_labels
from annhist.cnn.layer_info import check_batch_numbers, dtype_name, layer_info, one_blas_thread, patterns_at_once
from annhist.cnn.persistence import WeightsIO
from annhist.cnn.shards import halves_step, shard_min, twins_of
from annhist.layers import ActivationLayer, Layer
from annhist.optimizers import Optimizer, get_optimizer
from annhist.validation import check_array, check_choice, check_finite_weights, check_random_state, check_scalar

__all__ = ["Sequential", "LOSSES", "pm1_targets", "dtype_name"]


class Sequential(WeightsIO):
    """Layers applied in order, trained by backpropagation on mini-batches (size 1 = per pattern).

    Parameters
    ----------
    layers : sequence of Layer
        Each layer's output for one pattern holds at most ``annhist.layers.MAX_WEIGHTS`` numbers.
    input_shape : (C, H, W) or (n_features,)
        One input pattern's shape. A 3-D batch ``(N, H, W)`` is accepted when ``C == 1``.
    loss : {"mse", "cross_entropy", "rbf_map"}, default "mse"
        ``"mse"``: the mean over patterns and outputs of ``(y - d)^2`` against +-1 targets
        (LeCun et al. 1989). ``"cross_entropy"``: softmax on the last layer's output (modern).
        ``"rbf_map"``: LeNet-5's eq. (9) on RBF penalties (smallest wins).
    optimizer : Optimizer or name, optional
        Default ``SGD(eta)``. Its state is reset at the start of :meth:`fit`.
    eta : float, default 0.03
        Step size of the default SGD (Karpathy's 2022 reproduction of the 1989 net used 0.03);
        ignored when ``optimizer`` is given.
    batch_size : int, default 1
        1 is LeCun's per-pattern ("stochastic") update; a mini-batch's widest layer holds <= ``MAX_WEIGHTS`` numbers.
    epochs : int, default 23
        Passes over the training set (23 in 1989).
    shuffle : bool, default False
        Present the patterns in a new random order each pass; False keeps the data's order.
    random_state : None, int or numpy.random.Generator
        For the shuffling (the layers draw their own initial weights).
    spec : str, default ""
        The factory call that rebuilds this architecture
        (``"lecun1989;init=paper;activation=lecun_tanh"``); ``load`` needs it.
    dtype : {"float64", "float32"}, default "float64"
        Precision of the weights, the inputs and every computation. float64 is exact enough
        for gradient checks; float32 halves the memory traffic (as PyTorch's default).

    Attributes
    ----------
    history_ : dict of lists, one entry per epoch: ``loss`` (mean training loss during the
        pass), ``train_error``, ``train_loss`` (after the pass), and ``val_error``/``val_loss``
        when ``validation_data`` is given.
    n_epochs_ : int, passes done by the last :meth:`fit`.

    Notes
    -----
    The layers hold their initial weights from construction, so an untrained network can
    already ``predict`` (at chance); :meth:`fit` continues from the current weights.
    ``X`` is ``(N, C, H, W)`` (or ``(N, H, W)`` for one channel); ``y`` holds integer labels
    ``0..n_classes-1``.

    Examples
    --------
    >>> from annhist.cnn import lecun1989
    >>> net = lecun1989(random_state=0)
    >>> net.n_units, net.count_connections(), net.count_parameters()
    (1256, 64660, 9760)
    """

    def __init__(self, layers: Sequence[Layer], *, input_shape: tuple[int, ...], loss: str = "mse",
                 optimizer: Optimizer | str | None = None, eta: float = 0.03, batch_size: int = 1,
                 epochs: int = 23, shuffle: bool = False, random_state: Any = None, spec: str = "",
                 dtype: str = "float64") -> None:
        owner = "Sequential"
        if not layers or not all(isinstance(l, Layer) for l in layers):
            raise TypeError("The 'layers' parameter of Sequential must be a non-empty sequence of Layer objects.")
        self.layers = list(layers)
        if not isinstance(input_shape, (tuple, list)) or not input_shape:
            raise TypeError(f"The 'input_shape' parameter of Sequential must be a tuple such as (C, H, W) or "
                            f"(n_features,). Got {input_shape!r} instead.")
        self.input_shape = tuple(int(check_scalar(s, "input_shape", owner=owner, kind=numbers.Integral, min_val=1))
                                 for s in input_shape)
        self.loss = check_choice(loss, "loss", tuple(LOSSES), owner=owner)
        self.eta = check_scalar(eta, "eta", owner=owner, min_val=0, include_min=False)
        self.optimizer = get_optimizer(optimizer, default_eta=eta, owner=owner)
        self.batch_size = check_scalar(batch_size, "batch_size", owner=owner, kind=numbers.Integral, min_val=1)
        self.epochs = check_scalar(epochs, "epochs", owner=owner, kind=numbers.Integral, min_val=0)
        self.shuffle = bool(shuffle)
        self.random_state = random_state
        self.spec = spec
        self.dtype = np.dtype(check_choice(dtype_name(dtype), "dtype", ("float64", "float32"), owner=owner))
        for layer in self.layers:                   # every weight (and fixed table/centre) in one precision
            for k, v in layer.params.items():
                layer.params[k] = v.astype(self.dtype, copy=False)
            for attr in ("mask", "centres"):
                if getattr(layer, attr, None) is not None:
                    setattr(layer, attr, getattr(layer, attr).astype(self.dtype, copy=False))
        self.shapes_: list[tuple[int, ...]] = [self.input_shape]
        self._units = [math.prod(self.input_shape)]       # Python ints: np.prod wrapped around at 2**63
        self._connections = []
        for layer in self.layers:                   # infer every layer's output shape once
            out, units, conn = layer_info(layer, self.shapes_[-1])
            self.shapes_.append(out)
            self._units.append(units)
            self._connections.append(conn)
        self.n_classes = int(np.prod(self.shapes_[-1]))
        self.history_: dict[str, list[float]] | None = None
        self.n_epochs_ = 0

    # ------------------------------------------------------------------ counting
    @property
    def n_units(self) -> int:
        """Neurons, input pixels included (LeCun et al. 1989 count 1,256 for their net)."""
        return int(sum(self._units))

    def count_parameters(self) -> int:
        """Independent trainable numbers: shared weights counted once."""
        return int(sum(layer.count_parameters() for layer in self.layers))

    def count_connections(self) -> int:
        """Input lines of all units, bias lines included; a shared weight counts on every line."""
        return int(sum(self._connections))

    def summary(self) -> list[dict[str, Any]]:
        """One row per layer: name, output shape, units, connections, parameters."""
        rows = [{"layer": "input", "output": self.input_shape, "units": self._units[0], "connections": 0,
                 "parameters": 0}]
        for layer, out, units, conn in zip(self.layers, self.shapes_[1:], self._units[1:], self._connections):
            name = type(layer).__name__
            if isinstance(layer, ActivationLayer):
                name += f"({layer.activation.name})"
            rows.append({"layer": name, "output": out, "units": units, "connections": conn,
                         "parameters": layer.count_parameters()})
        return rows

    # ------------------------------------------------------------------ data checks
    def _check_X(self, X: Any) -> np.ndarray:
        X = check_array(X, "X", ndim=(2, 3, 4), owner="Sequential")
        if X.ndim == 3 and len(self.input_shape) == 3 and self.input_shape[0] == 1:
            X = X[:, None]                                                # (N, H, W) -> (N, 1, H, W)
        if X.shape[1:] != self.input_shape:
            raise ValueError(f"The 'X' parameter of Sequential must have shape (N, "
                             f"{', '.join(map(str, self.input_shape))}). Got {X.shape} instead.")
        return X.astype(self.dtype, copy=False)

    def _check_y(self, y: Any, n: int) -> np.ndarray:
        y = check_labels(y, self.n_classes, owner="Sequential", name="y")
        if y.shape[0] != n:
            raise ValueError(f"The 'X' and 'y' parameters of Sequential must have the same number of samples. "
                             f"Got {n} and {y.shape[0]} instead.")
        return y

    # ------------------------------------------------------------------ forward / backward
    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """The last layer's output for a batch ``x`` (already validated)."""
        for layer in self.layers:
            x = layer.forward(x, training)
        return x

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        """Backpropagate ``dE/d(output)``; every layer's ``grads`` is filled."""
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        return grad

    def _outputs(self, X: np.ndarray) -> np.ndarray:
        chunk = patterns_at_once(self.layers, self.shapes_)     # 128 patterns, fewer when a layer is wide
        return np.concatenate([self.forward(X[i:i + chunk]) for i in range(0, X.shape[0], chunk)])

    def decision_function(self, X: Any) -> np.ndarray:
        """Class scores, shape (N, n_classes): the outputs, or minus the RBF penalties."""
        return LOSSES[self.loss][2](self._outputs(self._check_X(X)))

    def predict(self, X: Any) -> np.ndarray:
        """The class with the highest score (the smallest RBF penalty)."""
        return np.argmax(self.decision_function(X), axis=1)

    def score(self, X: Any, y: Any) -> float:
        """Fraction of patterns classified correctly."""
        X = self._check_X(X)
        return float(np.mean(self.predict(X) == self._check_y(y, X.shape[0])))

    def evaluate(self, X: Any, y: Any) -> dict[str, float]:
        """``{"error": fraction wrong, "loss": mean loss}`` in one pass."""
        X = self._check_X(X)
        labels = self._check_y(y, X.shape[0])
        out = self._outputs(X)
        value = LOSSES[self.loss][0](out, labels, pm1_targets(labels, self.n_classes))
        return {"error": float(np.mean(np.argmax(LOSSES[self.loss][2](out), axis=1) != labels)), "loss": value}

    # ------------------------------------------------------------------ training
    def fit(self, X: Any, y: Any, *, epochs: int | None = None, validation_data: tuple[Any, Any] | None = None,
            callback: Callable[["Sequential", int], None] | None = None) -> "Sequential":
        """Train by backpropagation from the current weights; return ``self``.

        One update per mini-batch of ``batch_size`` patterns (per pattern by default): forward, ``dE/d(output)``
        from the loss, backward through every layer, then ``optimizer.step``. ``callback(net, epoch)`` runs after
        each pass (e.g. to lower ``net.optimizer.eta``); an optimizer with a ``before_epoch(net, X, labels)`` method
        (:class:`~annhist.cnn.sdlm.SDLM`) has it called before each pass. Raises
        :class:`~annhist.validation.DivergenceError` when a weight becomes non-finite.

        With mini-batches of at most 8 patterns the BLAS library is held to one thread while training: its
        matrices are tiny, and waking other threads for each one costs more than it saves (three times more on a
        loaded two-core machine). Mini-batches of 64 patterns or more (128 in float32) run as two halves, on two
        cores when the BLAS has two (:mod:`annhist.cnn.shards`).
        """
        X = self._check_X(X)
        labels = self._check_y(y, X.shape[0])
        check_batch_numbers(self.layers, self.shapes_, min(self.batch_size, X.shape[0]))
        epochs = self.epochs if epochs is None else check_scalar(epochs, "epochs", owner="Sequential",
                                                                  kind=numbers.Integral, min_val=0)
        val = None
        if validation_data is not None:
            Xv = self._check_X(validation_data[0])
            val = (Xv, self._check_y(validation_data[1], Xv.shape[0]))
        D = pm1_targets(labels, self.n_classes).astype(self.dtype)
        rng = check_random_state(self.random_state, owner="Sequential")
        self.optimizer.reset()
        first = self.layers[0]
        propagate = getattr(first, "propagate", None)
        self.history_ = {"loss": [], "train_error": [], "train_loss": []}
        if val is not None:
            self.history_.update(val_error=[], val_loss=[])
        # Overflow while a run diverges is not warned about pattern by pattern: the weights are checked
        # after every pass, and non-finite ones stop training with DivergenceError.
        with (one_blas_thread() if self.batch_size <= 8 else contextlib.nullcontext()), \
                np.errstate(over="ignore", invalid="ignore", divide="ignore"):    # see the docstring
            try:
                if propagate is not None:
                    first.propagate = False                 # nothing below the first layer needs dE/dx
                before_epoch = getattr(self.optimizer, "before_epoch", None)   # SDLM re-estimates its curvature
                for epoch in range(1, epochs + 1):
                    if before_epoch is not None:
                        before_epoch(self, X, labels)
                    order = rng.permutation(X.shape[0]) if self.shuffle else np.arange(X.shape[0])
                    loss = self._train_pass(X, labels, D, order) / X.shape[0]
                    self._after_pass(epoch, loss, X, labels, val)
                    if callback is not None:
                        callback(self, epoch)
            finally:
                if propagate is not None:
                    first.propagate = propagate
        return self

    def _train_pass(self, X: np.ndarray, labels: np.ndarray, D: np.ndarray, order: np.ndarray) -> float:
        """One pass: forward, dE/d(output), backward, ``optimizer.step`` per mini-batch; the summed loss."""
        bs, total, slots = self.batch_size, 0.0, [(layer, k) for layer in self.layers for k in layer.params]
        params = [layer.params[k] for layer, k in slots]
        twins = twins_of(self.layers) if bs >= 2 * shard_min(self.dtype) else None
        for start in range(0, X.shape[0], bs):
            idx = order[start:start + bs]
            xb = X[idx[0]:idx[0] + 1] if bs == 1 else X[idx]          # a slice is cheaper than a gather
            total += self._train_step(xb, labels[idx], D[idx], twins, slots, params) * len(idx)
        return total

    def _train_step(self, xb: np.ndarray, lb: np.ndarray, db: np.ndarray | None,
                    twins: list[Layer] | None, slots: list[tuple[Layer, str]], params: list[np.ndarray]) -> float:
        """One update on ``xb`` (forward, dE/d(output), backward, ``optimizer.step``); its mean loss.
        With ``twins`` (:func:`annhist.cnn.shards.twins_of`), a batch of ``2 * shard_min(dtype)`` or more
        goes through as two halves. ``slots``, ``params``: every parameter's (layer, name) and array."""
        value_fn, grad_fn, _ = LOSSES[self.loss]

        def loss(out: np.ndarray) -> tuple[float, np.ndarray]:
            return value_fn(out, lb, db), grad_fn(out, lb, db).astype(self.dtype, copy=False)
        if twins is not None and xb.shape[0] >= 2 * shard_min(self.dtype):
            value = halves_step(self.layers, twins, xb, loss)
        else:
            value, grad = loss(self.forward(xb, training=True))
            self.backward(grad)
        self.optimizer.step(params, [layer.grads[k] for layer, k in slots])
        return value

    def _after_pass(self, epoch: int, loss: float, X: np.ndarray, labels: np.ndarray,
                    val: tuple[np.ndarray, np.ndarray] | None) -> None:
        """Check the weights (as float64: the bound 1e150 does not fit in float32), then record the pass."""
        params = [p for layer in self.layers for p in layer.params.values()]
        check_finite_weights(*(p.astype(np.float64, copy=False) for p in params),
                             eta=getattr(self.optimizer, "eta", None), owner="Sequential", epoch=epoch)
        self.history_["loss"].append(loss)
        for prefix, data in (("train", (X, labels)), ("val", val)):
            if data is not None:
                ev = self.evaluate(*data)
                self.history_[f"{prefix}_error"].append(ev["error"])
                self.history_[f"{prefix}_loss"].append(ev["loss"])
        self.n_epochs_ = epoch
