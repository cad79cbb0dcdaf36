"""Gradient-descent optimizers, each written in its paper's own form.

One commented line per equation (each ends the few in-place statements that compute it:
large temporaries are slow to allocate, so state and weights are updated in place, with the
same floating-point operations in the same order as the formula). Every optimizer updates a
list of parameter arrays in place from a list of gradient arrays of the same shapes::

    opt = Adam(eta=1e-3)
    opt.step([W, b], [dW, db])

State (velocities, moment estimates, the step counter) is explicit in attributes and is
kept per parameter, by position in the list; :meth:`Optimizer.reset` clears it.

The ``*_update`` functions are the rules' unchecked kernels (a step of a small net costs microseconds):
the constructors check the constants (``eta > 0``, ``0 <= alpha, beta, rho < 1``, ``epsilon > 0``) and
:meth:`Optimizer.step` the arrays and the step count ``t >= 1`` before calling them. Called directly they
trust their caller: ``adam_update`` with ``t = 0`` divides by zero, mismatched shapes broadcast or fail in numpy.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Sequence

import numpy as np

from annhist.validation import check_scalar, lookup

__all__ = ["Optimizer", "SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "OPTIMIZERS", "get_optimizer",
           "sgd_update", "momentum_update", "nesterov_update", "adagrad_update", "rmsprop_update", "adam_update"]


# ----------------------------------------------------------------------------- the update rules
# Each rule is one function of the weights, the gradient and the rule's state, updated in place; unchecked
# (the caller checks: see the module docstring).

def sgd_update(w: np.ndarray, g: np.ndarray, eta: float) -> None:
    """Plain gradient descent, in place (unchecked: :meth:`Optimizer.step` checks)."""
    w -= eta * g                                            # w(t+1) = w(t) - eta g


def momentum_update(w: np.ndarray, g: np.ndarray, delta: np.ndarray, eta: float, alpha: float) -> None:
    """Rumelhart, Hinton & Williams (1986) eq. (9), in place: ``delta`` holds Delta w(t-1)."""
    delta *= alpha
    delta -= eta * g                                        # Delta w(t) = -eps g + alpha Delta w(t-1)
    w += delta                                              # w(t+1) = w(t) + Delta w(t)


def nesterov_update(w: np.ndarray, g: np.ndarray, v: np.ndarray, eta: float, alpha: float) -> None:
    """Nesterov's step in Sutskever et al.'s (2013) shifted form, in place (unchecked: the caller checks)."""
    eta_g = eta * g
    v *= alpha
    v -= eta_g                                              # v(t) = alpha v(t-1) - eta g
    step = alpha * v
    step -= eta_g
    w += step                                               # w += alpha v(t) - eta g (look-ahead, shifted)


def adagrad_update(w: np.ndarray, g: np.ndarray, G: np.ndarray, eta: float, epsilon: float) -> None:
    """AdaGrad (Duchi, Hazan & Singer 2011), in place: ``G`` is the sum of squared gradients (unchecked)."""
    G += g * g                                              # G = G + g^2 (sum of squared gradients)
    denom = np.sqrt(G)
    denom += epsilon
    step = eta * g
    step /= denom
    w -= step                                               # w = w - eta g / (sqrt(G) + eps)


def rmsprop_update(w: np.ndarray, g: np.ndarray, ms: np.ndarray, eta: float, rho: float, epsilon: float) -> None:
    """RMSProp (Tieleman & Hinton 2012), in place: ``ms`` is the running mean of g^2 (unchecked)."""
    ms *= rho
    g2 = (1 - rho) * g
    g2 *= g
    ms += g2                                                # E[g^2] = rho E[g^2] + (1 - rho) g^2
    denom = np.sqrt(ms)
    denom += epsilon
    step = eta * g
    step /= denom
    w -= step                                               # w = w - eta g / (RMS(g) + eps)


def adam_update(w: np.ndarray, g: np.ndarray, m: np.ndarray, v: np.ndarray, t: int, eta: float,
                beta1: float, beta2: float, epsilon: float) -> None:
    """Adam, Algorithm 1 of Kingma & Ba (2014), in place, bias correction written out (step ``t`` >= 1)."""
    m *= beta1
    m += (1 - beta1) * g                                    # m_t = b1 m_{t-1} + (1 - b1) g_t    (first moment)
    g2 = (1 - beta2) * g
    g2 *= g
    v *= beta2
    v += g2                                                 # v_t = b2 v_{t-1} + (1 - b2) g_t^2  (second moment)
    m_hat = m / (1 - beta1 ** t)                            # bias-corrected first moment
    v_hat = v / (1 - beta2 ** t)                            # bias-corrected second moment
    np.sqrt(v_hat, out=v_hat)
    v_hat += epsilon
    m_hat *= eta
    m_hat /= v_hat
    w -= m_hat                                              # w_t = w_{t-1} - a m_hat / (sqrt(v_hat) + eps)


class Optimizer(ABC):
    """Base class: validates ``eta`` and the parameter/gradient lists, keeps the state."""

    def __init__(self, *, eta: float) -> None:
        self.eta = check_scalar(eta, "eta", owner=type(self).__name__, min_val=0, include_min=False)
        self.t = 0                      # number of steps taken
        self.state: list[dict[str, np.ndarray]] = []

    def reset(self) -> None:
        """Forget all state (velocities, moments, step count)."""
        self.t = 0
        self.state = []

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Apply one update to every array in ``params`` in place.

        Everything is checked before anything is updated: a refused step changes nothing.
        """
        if not self._fits(params, grads):
            self._refuse(params, grads)
        self._apply(params, grads)

    def check(self, params: Sequence[np.ndarray]) -> None:
        """The checks of :meth:`step` for gradients shaped like ``params``, made once before a training loop.

        A loop whose gradients come from its own backward pass (the shapes and dtypes of its
        weights) then steps with ``_apply`` and does not repeat them every step.
        """
        if not self._fits(params, params):
            self._refuse(params, params)

    def _apply(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """:meth:`step` after its checks (:meth:`check`): a small net's step costs a few
        microseconds, and the checks about as much again."""
        if not self.state:
            self.state = [self._init_state(p) for p in params]
        self.t += 1
        for p, g, s in zip(params, grads, self.state):
            self.update(p, g, s)

    def _fits(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> bool:
        """Whether :meth:`step` may go ahead: one pass, no messages (a step of a small net costs
        microseconds, and the full check with its messages cost as much as the update itself)."""
        nd = np.ndarray
        state = self.state
        if len(params) != len(grads) or (state and len(state) != len(params)):
            return False
        if not all([isinstance(p, nd) and isinstance(g, nd) and p.dtype.kind == "f" and g.dtype.kind in "biuf"
                    and p.shape == g.shape for p, g in zip(params, grads)]):
            return False
        return not state or all([v.shape == p.shape for p, s in zip(params, state) for v in s.values()])

    def _refuse(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Raise the error that says why :meth:`_fits` refused ``params`` and ``grads``."""
        name = f"{type(self).__name__}.step"
        if len(params) != len(grads):
            raise ValueError(f"The 'params' and 'grads' parameters of {name} must have the same length. "
                             f"Got {len(params)} and {len(grads)} instead.")
        for i, (p, g) in enumerate(zip(params, grads)):
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                got = f"an array of dtype {p.dtype}" if isinstance(p, np.ndarray) else type(p).__name__
                raise TypeError(f"The 'params' parameter of {name} must be a list of float arrays (updated in "
                                f"place). Got {got} at position {i} instead.")
            if not isinstance(g, np.ndarray) or g.dtype.kind not in "biuf":
                got = f"an array of dtype {g.dtype}" if isinstance(g, np.ndarray) else type(g).__name__
                raise TypeError(f"The 'grads' parameter of {name} must be a list of real arrays. "
                                f"Got {got} at position {i} instead.")
            if p.shape != g.shape:
                raise ValueError(f"The 'grads' parameter of {name}: the gradient at position {i} has shape "
                                 f"{g.shape}, its parameter {p.shape}.")
        raise ValueError(f"The 'params' parameter of {name} does not match this optimizer's state "
                         f"({len(self.state)} arrays). Call reset() before reusing it on another model.")

    def _init_state(self, p: np.ndarray) -> dict[str, np.ndarray]:
        return {}

    @abstractmethod
    def update(self, w: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        """Update one parameter array ``w`` in place from its gradient ``g`` and its state ``s``."""

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if k not in ("t", "state"))
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Plain gradient descent: w <- w - eta * dE/dw (Robbins & Monro 1951; Widrow & Hoff 1960)."""

    def __init__(self, eta: float = 0.1) -> None:
        super().__init__(eta=eta)

    def update(self, w: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        sgd_update(w, g, self.eta)

class Momentum(Optimizer):
    """Gradient descent with momentum in Rumelhart, Hinton & Williams' (1986) form.

    Delta w(t) = -eps dE/dw(t) + alpha Delta w(t-1), eq. (9) of the Nature paper, with
    ``eta`` standing for their epsilon. Polyak's (1964) heavy ball is the same recursion.
    """

    def __init__(self, eta: float = 0.5, alpha: float = 0.9) -> None:
        super().__init__(eta=eta)
        self.alpha = check_scalar(alpha, "alpha", owner="Momentum", min_val=0, max_val=1, include_max=False)

    def _init_state(self, p):
        return {"delta": np.zeros_like(p)}

    def update(self, w: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        momentum_update(w, g, s["delta"], self.eta, self.alpha)

class Nesterov(Optimizer):
    """Nesterov's (1983) accelerated gradient, in the form of Sutskever et al. (2013).

    v(t) = alpha v(t-1) - eta grad f(w + alpha v(t-1)); w <- w + v(t). The gradient at the
    look-ahead point is replaced by the usual change of variables, so only the gradient at
    the stored weights is needed: w <- w + alpha v(t) - eta g.
    """

    def __init__(self, eta: float = 0.1, alpha: float = 0.9) -> None:
        super().__init__(eta=eta)
        self.alpha = check_scalar(alpha, "alpha", owner="Nesterov", min_val=0, max_val=1, include_max=False)

    def _init_state(self, p):
        return {"v": np.zeros_like(p)}

    def update(self, w: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        nesterov_update(w, g, s["v"], self.eta, self.alpha)

class AdaGrad(Optimizer):
    """AdaGrad (Duchi, Hazan & Singer 2011): per-weight steps shrink with the summed squares.

    G(t) = G(t-1) + g^2;  w <- w - eta g / (sqrt(G(t)) + epsilon).
    """

    def __init__(self, eta: float = 0.01, epsilon: float = 1e-10) -> None:
        super().__init__(eta=eta)
        self.epsilon = check_scalar(epsilon, "epsilon", owner="AdaGrad", min_val=0, include_min=False)

    def _init_state(self, p):
        return {"G": np.zeros_like(p)}

    def update(self, w: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        adagrad_update(w, g, s["G"], self.eta, self.epsilon)

class RMSProp(Optimizer):
    """RMSProp (Tieleman & Hinton 2012, Coursera lecture 6.5): divide by a running RMS.

    E[g^2](t) = rho E[g^2](t-1) + (1 - rho) g^2;  w <- w - eta g / (sqrt(E[g^2](t)) + epsilon).
    """

    def __init__(self, eta: float = 0.001, rho: float = 0.9, epsilon: float = 1e-8) -> None:
        super().__init__(eta=eta)
        self.rho = check_scalar(rho, "rho", owner="RMSProp", min_val=0, max_val=1, include_max=False)
        self.epsilon = check_scalar(epsilon, "epsilon", owner="RMSProp", min_val=0, include_min=False)

    def _init_state(self, p):
        return {"ms": np.zeros_like(p)}

    def update(self, w: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        rmsprop_update(w, g, s["ms"], self.eta, self.rho, self.epsilon)

class Adam(Optimizer):
    """Adam, Algorithm 1 of Kingma & Ba (2014), with the bias correction written out.

    Defaults are the paper's: eta (their alpha) = 0.001, beta1 = 0.9, beta2 = 0.999,
    epsilon = 1e-8.
    """

    def __init__(self, eta: float = 0.001, beta1: float = 0.9, beta2: float = 0.999,
                 epsilon: float = 1e-8) -> None:
        super().__init__(eta=eta)
        self.beta1 = check_scalar(beta1, "beta1", owner="Adam", min_val=0, max_val=1, include_max=False)
        self.beta2 = check_scalar(beta2, "beta2", owner="Adam", min_val=0, max_val=1, include_max=False)
        self.epsilon = check_scalar(epsilon, "epsilon", owner="Adam", min_val=0, include_min=False)

    def _init_state(self, p):
        return {"m": np.zeros_like(p), "v": np.zeros_like(p)}

    def update(self, w: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        adam_update(w, g, s["m"], s["v"], self.t, self.eta, self.beta1, self.beta2, self.epsilon)


OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD, "momentum": Momentum, "nesterov": Nesterov,
    "adagrad": AdaGrad, "rmsprop": RMSProp, "adam": Adam,
}


def get_optimizer(optimizer: str | Optimizer | None, *, default_eta: float = 0.1, owner: str = "") -> Optimizer:
    """Return ``optimizer`` itself, or a new one with default settings from its name."""
    if optimizer is None:
        return SGD(eta=default_eta)
    found = lookup(optimizer, OPTIMIZERS, "optimizer", owner=owner, kind=Optimizer, kind_name="an Optimizer")
    return found if isinstance(found, Optimizer) else found()


