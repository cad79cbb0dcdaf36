"""Activation functions, each with its derivative written beside it.

Every derivative is taken with respect to the unit's net input ``a`` (what the 1986
paper calls the total input ``x_j``), so ``f_prime(a) = d f(a) / d a``.

All functions are pure (they never modify their argument) and numerically safe: under
``np.errstate(all="raise")`` they raise nothing for inputs up to +-1e4 and return finite
values. Underflow of ``exp`` to an exact 0 is the correct limit and is allowed locally.
A float32 (or float64) input keeps its dtype; any other input is computed in float64. The two
threshold functions :func:`step` and :func:`sign` always return float64.

For backpropagation the derivative is also given as a function of the unit's *output*
``o = f(a)`` (``DERIVATIVES_FROM_OUTPUT``), as Rumelhart, Hinton & Williams (1986)
write it for the logistic unit: ``dy_j/dx_j = y_j (1 - y_j)``. A network then needs to
keep only its outputs, and never recomputes ``f``.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from annhist.threads import apply_inplace
from annhist.underflow import allow_underflow
from annhist.validation import as_real_array, lookup

__all__ = [
    "sigmoid", "sigmoid_prime", "tanh", "tanh_prime", "relu", "relu_prime",
    "identity", "identity_prime", "lecun_tanh", "lecun_tanh_prime",
    "step", "sign", "Activation", "ACTIVATIONS", "get_activation",
    "derivative_from_output",
]


def _float(a: np.ndarray) -> np.ndarray:
    """``a`` as a float32 or float64 array (other real dtypes become float64), never copied needlessly."""
    return as_real_array(a, "a", owner="an activation", floating=True)


def _underflow_to_zero(func: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    """Let results that underflow become 0 (their exact limit) even under errstate(all="raise")
    (:func:`annhist.underflow.allow_underflow`)."""
    return allow_underflow(func)


@_underflow_to_zero
def sigmoid(a: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + exp(-a)) of Rumelhart, Hinton & Williams (1986).

    Computed as ``exp(min(a, 0)) / (1 + exp(-abs(a)))``: both exponents are <= 0, so nothing
    overflows, and the tiny values for very negative ``a`` keep their relative precision.
    The numerator needs no second ``exp``: for ``a < 0`` it is ``exp(a) = exp(-|a|)``, the
    denominator's exponential, and for ``a >= 0`` it is ``exp(0) = 1``. ``max(exp(-|a|), sign(a))``
    picks exactly that (``exp(-|a|)`` lies in [0, 1]; ``sign(a)`` is -1, 0 or 1, NaN for NaN), bit for
    bit the ``exp(min(a, 0))`` it replaces (tests/test_activations.py; checked for all 2^32 float32
    inputs), at half the cost where ``exp`` is the cost: numpy's float64 ``exp`` is a scalar loop on a
    processor without AVX-512, 10 ns an element. Branch-free (no ``np.where``, whose data-dependent
    branches made it ~10x slower).
    """
    a = _float(a)
    e = np.exp(-np.abs(a))                # exp(-|a|) in [0, 1]: never overflows (underflow: the decorator)
    num = np.maximum(e, np.sign(a))       # exp(min(a, 0)): 1 for a >= 0; exp(a) = exp(-|a|) for a < 0
    e += 1.0
    num /= e                              # a >= 0: 1/(1+e^-a);  a < 0: e^a/(1+e^a)
    return num


@_underflow_to_zero
def sigmoid_prime(a: np.ndarray) -> np.ndarray:
    """d sigmoid / da = sigmoid(a) * (1 - sigmoid(a)), the o_j(1 - o_j) of the delta rule."""
    s = sigmoid(a)
    return s * (1.0 - s)


@_underflow_to_zero
def _sigmoid_prime_out(o: np.ndarray) -> np.ndarray:
    return o * (1.0 - o)                            # y_j (1 - y_j), Rumelhart et al. (1986)


@_underflow_to_zero
def tanh(a: np.ndarray) -> np.ndarray:
    """The hyperbolic tangent, a sigmoid with range (-1, 1)."""
    return np.tanh(_float(a))


@_underflow_to_zero
def tanh_prime(a: np.ndarray) -> np.ndarray:
    """d tanh / da = 1 - tanh(a)^2."""
    t = np.tanh(_float(a))
    return 1.0 - t * t


@_underflow_to_zero
def _tanh_prime_out(o: np.ndarray) -> np.ndarray:
    return 1.0 - o * o                              # 1 - tanh(a)^2


# LeCun et al. (1998), Appendix A: f(a) = A tanh(S a) with A = 1.7159, S = 2/3, chosen so
# that f(+-1) = +-1 and the gain is close to 1 around the origin.
LECUN_A = 1.7159
LECUN_S = 2.0 / 3.0


@_underflow_to_zero
def lecun_tanh(a: np.ndarray) -> np.ndarray:
    """LeCun's scaled squashing function f(a) = 1.7159 tanh(2a/3)."""
    a = _float(a)
    return a.dtype.type(LECUN_A) * np.tanh(a.dtype.type(LECUN_S) * a)


@_underflow_to_zero
def lecun_tanh_prime(a: np.ndarray) -> np.ndarray:
    """d f / da = A S (1 - tanh(S a)^2)."""
    a = _float(a)
    t = np.tanh(a.dtype.type(LECUN_S) * a)
    return a.dtype.type(LECUN_A * LECUN_S) * (1.0 - t * t)


@_underflow_to_zero
def _lecun_tanh_keep(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(lecun_tanh(a), tanh(S a))``: the output and what :func:`_lecun_tanh_prime_kept` needs.

    The same operations as :func:`lecun_tanh`, so the output is bit for bit the same; the kept
    ``tanh(S a)`` spares the backward pass its own ``np.tanh`` (the costliest element-wise step).
    """
    a = _float(a)
    t = a.dtype.type(LECUN_S) * a
    apply_inplace(np.tanh, t)                   # np.tanh(t, out=t), on every BLAS thread
    return a.dtype.type(LECUN_A) * t, t


@_underflow_to_zero
def _lecun_tanh_prime_kept(t: np.ndarray) -> np.ndarray:
    """:func:`lecun_tanh_prime` from the kept ``t = tanh(S a)``: the same operations, the same bits."""
    p = t * t
    np.subtract(1.0, p, out=p)
    p *= t.dtype.type(LECUN_A * LECUN_S)
    return p


@_underflow_to_zero
def _lecun_tanh_prime_out(o: np.ndarray) -> np.ndarray:
    t = o * o.dtype.type(1.0 / LECUN_A)             # tanh(S a) = o / A
    return o.dtype.type(LECUN_A * LECUN_S) * (1.0 - t * t)


@_underflow_to_zero
def relu(a: np.ndarray) -> np.ndarray:
    """The rectified linear unit max(0, a) (Nair & Hinton 2010; Glorot et al. 2011)."""
    a = _float(a)
    return np.maximum(a, a.dtype.type(0))


@_underflow_to_zero
def relu_prime(a: np.ndarray) -> np.ndarray:
    """d relu / da = 1 where a > 0, else 0 (the subgradient 0 is taken at a = 0)."""
    a = _float(a)
    return (a > 0).astype(a.dtype)


@_underflow_to_zero
def _relu_prime_out(o: np.ndarray) -> np.ndarray:
    return (o > 0).astype(o.dtype)                  # o > 0 exactly where a > 0


@_underflow_to_zero
def identity(a: np.ndarray) -> np.ndarray:
    """The linear unit f(a) = a (ADALINE's combiner, regression outputs)."""
    return np.array(_float(a), copy=True)


@_underflow_to_zero
def identity_prime(a: np.ndarray) -> np.ndarray:
    """d a / da = 1."""
    return np.ones_like(_float(a))


@_underflow_to_zero
def _identity_prime_out(o: np.ndarray) -> np.ndarray:
    return np.ones_like(o)


def step(a: np.ndarray) -> np.ndarray:
    """The all-or-none threshold unit: 1 where a >= 0, else 0 (McCulloch & Pitts 1943).

    Its derivative is zero almost everywhere, which is why it cannot be trained by
    gradient descent; it has none here on purpose. A NaN has no side of the threshold: it stays NaN
    (``np.heaviside``), as in numpy, rather than silently reading as "off".
    """
    return np.heaviside(_float(a), 1.0).astype(float, copy=False)


def sign(a: np.ndarray) -> np.ndarray:
    """The +-1 quantizer of the perceptron and ADALINE: +1 where a >= 0, else -1; NaN stays NaN (as in
    :func:`step`), never a silent -1."""
    return 2.0 * step(a) - 1.0


class Activation(NamedTuple):
    """A differentiable activation: its name, the function, its derivative (of a and of the output o = f(a))."""

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    f_prime: Callable[[np.ndarray], np.ndarray]
    f_prime_out: Callable[[np.ndarray], np.ndarray]   # the same derivative from the output o = f(a)
    # Optional, for speed: keep(a) -> (f(a), state) and f_prime_kept(state) == f_prime(a) bit for bit.
    keep: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None
    f_prime_kept: Callable[[np.ndarray], np.ndarray] | None = None


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime, _sigmoid_prime_out),
    "tanh": Activation("tanh", tanh, tanh_prime, _tanh_prime_out),
    "relu": Activation("relu", relu, relu_prime, _relu_prime_out),
    "identity": Activation("identity", identity, identity_prime, _identity_prime_out),
    "lecun_tanh": Activation("lecun_tanh", lecun_tanh, lecun_tanh_prime, _lecun_tanh_prime_out,
                             _lecun_tanh_keep, _lecun_tanh_prime_kept),
}


def get_activation(name: str | Activation, *, owner: str = "") -> Activation:
    """Look an activation up by name; an unknown name lists the valid ones."""
    return lookup(name, ACTIVATIONS, "activation", owner=owner, kind=Activation)


def derivative_from_output(name: str | Activation, *, owner: str = "") -> Callable[[np.ndarray], np.ndarray]:
    """``g`` with ``g(f(a)) == f_prime(a)`` for the activation ``name`` (validated by name).

    Bit for bit for every activation but ``"lecun_tanh"``, whose ``g`` first divides the output by
    1.7159: there they differ by rounding (by at most a few times the dtype's epsilon, absolutely).
    """
    return get_activation(name, owner=owner).f_prime_out
