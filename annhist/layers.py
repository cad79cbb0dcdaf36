"""Layers with ``forward``/``backward``: the building blocks of the MLP and the CNNs.

Each layer caches in ``forward`` only what its ``backward`` needs, and ``backward``
fills ``self.grads`` (same keys as ``self.params``) and returns the gradient with respect
to the layer's input. Nothing is modified in place except the layer's own caches.
"""

from __future__ import annotations

import copy
import math
import numbers
from abc import ABC, abstractmethod
from typing import Any

import numpy as np

from annhist.activations import get_activation
from annhist.initializers import MAX_WEIGHTS, initialize
from annhist.underflow import allow_underflow
from annhist.validation import check_random_state, check_scalar

__all__ = ["Layer", "Dense", "ActivationLayer", "Dropout", "MAX_WEIGHTS", "MAX_SIDE", "check_batch"]

# The largest weight matrix a layer may allocate (2**27 float64 = 1 GiB) is annhist.initializers.MAX_WEIGHTS.
# The largest n of an n x n matrix within that guard (11,585): a Hopfield net's units, ADALINE's R.
MAX_SIDE = math.isqrt(MAX_WEIGHTS)


def check_batch(x: Any, owner: str, what: str, shape: tuple[int | None, ...] | None = None) -> np.ndarray:
    """Refuse anything but a real-valued array of ``shape`` (``None`` = any size) as a layer's input.

    The messages read "Dense expects input of shape (N, 3). Got (1,) instead.", as the CNN layers'.
    """
    if not isinstance(x, np.ndarray) or x.dtype.kind not in "biuf":
        got = f"an array of dtype {x.dtype}" if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(f"{owner} expects {what} as a numpy array of real numbers. Got {got} instead.")
    if shape is not None and x.shape != shape and not _matches(x.shape, shape):
        shown = ", ".join(("N" if i == 0 else "?") if e is None else str(e) for i, e in enumerate(shape))
        raise ValueError(f"{owner} expects {what} of shape ({shown}). Got {x.shape} instead.")
    return x


def _matches(got: tuple[int, ...], expected: tuple[int | None, ...]) -> bool:
    """Whether the shape ``got`` is ``expected``, where ``None`` matches any size."""
    if len(got) != len(expected):
        return False
    for g, e in zip(got, expected):
        if e is not None and g != e:
            return False
    return True


class Layer(ABC):
    """Base class: a parameter dict, a gradient dict, ``forward`` and ``backward``."""

    #: Whether :meth:`annhist.layers.Layer.shard_copy` may run beside the layer, on another part
    #: of the same mini-batch (``annhist.cnn.shards`` cuts a large mini-batch in two). Off by
    #: default: a layer that draws random numbers (Dropout) or writes into arrays it shares may not.
    shardable = False
    #: The attributes naming scratch arrays the layer writes into in place (a copy starts without them).
    _scratch: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}

    def shard_copy(self) -> "Layer":
        """A copy for another part of the same mini-batch: the very same ``params`` arrays, its own
        ``grads`` and caches, so that the two may run ``forward``/``backward`` at once on two threads."""
        if not self.shardable:
            raise TypeError(f"{type(self).__name__} cannot be copied to train on part of a batch beside "
                            "itself (its shardable attribute is False).")
        twin = copy.copy(self)
        twin.grads = {}
        for name in self._scratch:
            setattr(twin, name, None)
        return twin

    @abstractmethod
    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        raise NotImplementedError  # pragma: no cover - every subclass defines it

    @abstractmethod
    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        raise NotImplementedError  # pragma: no cover - every subclass defines it

    def parameters(self) -> list[np.ndarray]:
        """The trainable arrays, in a fixed order (an optimizer's state follows it)."""
        return list(self.params.values())

    def gradients(self) -> list[np.ndarray]:
        """The gradients from the last ``backward``, in the order of :meth:`parameters`."""
        return [self.grads[k] for k in self.params]

    def count_parameters(self) -> int:
        """Number of trainable scalars."""
        return int(sum(p.size for p in self.params.values()))

    def __call__(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        return self.forward(x, training=training)


class Dense(Layer):
    """A fully connected layer: a = x W + b (every unit sums all inputs, then a bias).

    ``W`` has shape ``(n_in, n_out)`` so that a batch ``x`` of shape ``(N, n_in)`` maps to
    ``(N, n_out)``. Backward, from dE/da: dE/dW = x^T dE/da, dE/db = sum over the batch,
    dE/dx = dE/da W^T -- the generalized delta rule of Rumelhart, Hinton & Williams (1986).
    """

    shardable = True

    def __init__(self, n_in: int, n_out: int, *, init: Any = ("uniform", 0.3), random_state: Any = None,
                 bias: bool = True) -> None:
        super().__init__()

        self.n_in = check_scalar(n_in, "n_in", owner="Dense", kind=numbers.Integral, min_val=1)
        self.n_out = check_scalar(n_out, "n_out", owner="Dense", kind=numbers.Integral, min_val=1)
        if (n_w := int(n_in) * int(n_out)) > MAX_WEIGHTS:          # Python ints: numpy's int64 products wrap
            raise ValueError(f"Dense({n_in}, {n_out}) would hold {n_w:,} weights; the 'n_in' x 'n_out' "
                             f"product must be <= {MAX_WEIGHTS:,} (about 1 GB of float64).")
        rng = check_random_state(random_state, owner="Dense")
        self.params["W"] = initialize(init, rng, (n_in, n_out), n_in, n_out, owner="Dense")
        if bias:
            self.params["b"] = initialize(init, rng, (n_out,), n_in, n_out, owner="Dense") \
                if isinstance(init, tuple) else np.zeros(n_out)
        self._x: np.ndarray | None = None

    @allow_underflow                                   # products of tiny values may underflow to 0: harmless
    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        check_batch(x, "Dense", "input", (None, self.n_in))
        self._x = x
        a = x @ self.params["W"]                       # (N, n_in) @ (n_in, n_out) -> (N, n_out)
        if "b" in self.params:
            a = a + self.params["b"]
        return a

    @allow_underflow                                   # products of tiny values may underflow to 0: harmless
    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        x = self._x
        if x is None:
            raise RuntimeError("Dense.backward called before forward.")
        check_batch(grad_out, "Dense.backward", "grad_out", (x.shape[0], self.n_out))
        self.grads["W"] = x.T @ grad_out               # (n_in, N) @ (N, n_out) -> (n_in, n_out)
        if "b" in self.params:
            self.grads["b"] = grad_out.sum(axis=0)     # (N, n_out) -> (n_out,)
        return grad_out @ self.params["W"].T           # (N, n_out) @ (n_out, n_in) -> (N, n_in)


class ActivationLayer(Layer):
    """An element-wise nonlinearity o = f(a); backward multiplies by f'(a).

    When the activation offers ``keep`` (LeCun's tanh does), forward keeps the intermediate
    ``tanh(S a)`` and backward computes ``f'(a)`` from it with the same operations as
    ``f_prime(a)``: the same numbers, without recomputing the tanh.
    """

    shardable = True

    def __init__(self, activation: str = "sigmoid") -> None:
        super().__init__()
        self.activation = get_activation(activation, owner="ActivationLayer")
        self._owner = f"ActivationLayer({self.activation.name!r})"     # for check_batch's messages
        self._a: np.ndarray | None = None
        self._kept: np.ndarray | None = None

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        check_batch(x, self._owner, "input")
        self._a = x
        if self.activation.keep is None:
            return self.activation.f(x)
        out, self._kept = self.activation.keep(x)
        return out

    @allow_underflow
    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        if self._a is None:
            raise RuntimeError("ActivationLayer.backward called before forward.")
        check_batch(grad_out, self._owner + ".backward", "grad_out", self._a.shape)
        if self._kept is None:
            return grad_out * self.activation.f_prime(self._a)   # dE/da = dE/do * f'(a)
        d = self.activation.f_prime_kept(self._kept)              # f'(a), a fresh array
        if np.result_type(d, grad_out) != d.dtype or grad_out.strides != d.strides:
            return grad_out * d                                   # (the layout numpy picks for mixed inputs)
        return np.multiply(grad_out, d, out=d)                   # in place: the same product, same layout


class Dropout(Layer):
    """Dropout (Srivastava et al. 2014): in training, keep each unit with probability ``1 - rate``.

    Training: ``o = x * m / (1 - rate)`` with ``m_i ~ Bernoulli(1 - rate)`` drawn afresh on every
    ``forward``; backward multiplies by the same ``m / (1 - rate)``. Inference
    (``training=False``): ``o = x``. Dividing by ``1 - rate`` during training ("inverted"
    dropout) keeps the expected activity equal to the test-time activity; the paper instead
    multiplies the outgoing weights by the keep probability at test time, which is the same
    net. Much later than the book's period (2012-2014); here for comparison with weight decay.

    References
    ----------
    N. Srivastava, G. Hinton, A. Krizhevsky, I. Sutskever and R. Salakhutdinov, "Dropout: a simple
    way to prevent neural networks from overfitting", JMLR 15:1929-1958 (2014).
    """

    def __init__(self, rate: float = 0.5, *, random_state: Any = None) -> None:
        super().__init__()
        self.rate = check_scalar(rate, "rate", owner="Dropout", min_val=0, max_val=1, include_max=False)
        self.random_state = random_state
        self._rng = check_random_state(random_state, owner="Dropout")
        self._scale: np.ndarray | None = None

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(input_shape)

    def count_connections(self, input_shape: tuple[int, ...]) -> int:
        return 0

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        check_batch(x, "Dropout", "input")
        if not training or self.rate == 0:
            self._scale = None
            return x
        keep = self._rng.random(x.shape) >= self.rate                  # m_i ~ Bernoulli(1 - rate)
        self._scale = keep / (1.0 - self.rate)
        return x * self._scale

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        check_batch(grad_out, "Dropout.backward", "grad_out")
        return grad_out if self._scale is None else grad_out * self._scale
