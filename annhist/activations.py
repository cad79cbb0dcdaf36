"""Activation functions, each with its derivative written beside it.

Every derivative is taken with respect to the unit's net input ``a`` (what the 1986
paper calls the total input ``x_j``), so ``f_prime(a) = d f(a) / d a``.

All functions are pure (they never modify their argument) and numerically safe: under
``np.errstate(all="raise")`` they raise nothing for inputs up to +-1e4 and return finite
values. Underflow of ``exp`` to an exact 0 is the correct limit and is allowed locally.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

__all__ = [
    "sigmoid", "sigmoid_prime", "tanh", "tanh_prime", "relu", "relu_prime",
    "identity", "identity_prime", "lecun_tanh", "lecun_tanh_prime",
    "step", "sign", "Activation", "ACTIVATIONS", "get_activation",
]


def sigmoid(a: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + exp(-a)) of Rumelhart, Hinton & Williams (1986).

    Computed as exp(-|a|) based branches so that no intermediate overflows.
    """
    a = np.asarray(a, dtype=float)
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(a))            # in (0, 1]: never overflows
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(a: np.ndarray) -> np.ndarray:
    """d sigmoid / da = sigmoid(a) * (1 - sigmoid(a)), the o_j(1 - o_j) of the delta rule."""
    s = sigmoid(a)
    with np.errstate(under="ignore"):
        return s * (1.0 - s)


def tanh(a: np.ndarray) -> np.ndarray:
    """The hyperbolic tangent, a sigmoid with range (-1, 1)."""
    return np.tanh(np.asarray(a, dtype=float))


def tanh_prime(a: np.ndarray) -> np.ndarray:
    """d tanh / da = 1 - tanh(a)^2."""
    t = np.tanh(np.asarray(a, dtype=float))
    return 1.0 - t * t


# LeCun et al. (1998), Appendix A: f(a) = A tanh(S a) with A = 1.7159, S = 2/3, chosen so
# that f(+-1) = +-1 and the gain is close to 1 around the origin.
LECUN_A = 1.7159
LECUN_S = 2.0 / 3.0


def lecun_tanh(a: np.ndarray) -> np.ndarray:
    """LeCun's scaled squashing function f(a) = 1.7159 tanh(2a/3)."""
    return LECUN_A * np.tanh(LECUN_S * np.asarray(a, dtype=float))


def lecun_tanh_prime(a: np.ndarray) -> np.ndarray:
    """d f / da = A S (1 - tanh(S a)^2)."""
    t = np.tanh(LECUN_S * np.asarray(a, dtype=float))
    return LECUN_A * LECUN_S * (1.0 - t * t)


def relu(a: np.ndarray) -> np.ndarray:
    """The rectified linear unit max(0, a) (Nair & Hinton 2010; Glorot et al. 2011)."""
    a = np.asarray(a, dtype=float)
    return np.maximum(a, 0.0)


def relu_prime(a: np.ndarray) -> np.ndarray:
    """d relu / da = 1 where a > 0, else 0 (the subgradient 0 is taken at a = 0)."""
    return (np.asarray(a, dtype=float) > 0).astype(float)


def identity(a: np.ndarray) -> np.ndarray:
    """The linear unit f(a) = a (ADALINE's combiner, regression outputs)."""
    return np.array(a, dtype=float, copy=True)


def identity_prime(a: np.ndarray) -> np.ndarray:
    """d a / da = 1."""
    return np.ones_like(np.asarray(a, dtype=float))


def step(a: np.ndarray) -> np.ndarray:
    """The all-or-none threshold unit: 1 where a >= 0, else 0 (McCulloch & Pitts 1943).

    Its derivative is zero almost everywhere, which is why it cannot be trained by
    gradient descent; it has none here on purpose.
    """
    return (np.asarray(a, dtype=float) >= 0).astype(float)


def sign(a: np.ndarray) -> np.ndarray:
    """The +-1 quantizer of the perceptron and ADALINE: +1 where a >= 0, else -1."""
    return np.where(np.asarray(a, dtype=float) >= 0, 1.0, -1.0)


class Activation(NamedTuple):
    """A differentiable activation: its name, the function, and its derivative."""

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    f_prime: Callable[[np.ndarray], np.ndarray]


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime),
    "tanh": Activation("tanh", tanh, tanh_prime),
    "relu": Activation("relu", relu, relu_prime),
    "identity": Activation("identity", identity, identity_prime),
    "lecun_tanh": Activation("lecun_tanh", lecun_tanh, lecun_tanh_prime),
}


def get_activation(name: str | Activation, *, owner: str = "") -> Activation:
    """Look an activation up by name; an unknown name lists the valid ones."""
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str) or name not in ACTIVATIONS:
        where = f" of {owner}" if owner else ""
        valid = ", ".join(repr(k) for k in ACTIVATIONS)
        raise ValueError(f"The 'activation' parameter{where} must be one of {valid}. Got {name!r} instead.")
    return ACTIVATIONS[name]
