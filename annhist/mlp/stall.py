"""Stalled XOR runs are not strict local minima: gradient, Hessian and continued descent.

Rumelhart, Hinton & Williams (1986, PDP ch. 8, pp. 331-332) reported that the 2-2-1 XOR net
occasionally stopped at an error of about 0.25 and called this a local minimum. Hamey (1998)
and Sprinkhuizen-Kuyper & Boers (1998, 1999) later proved that the finite stationary points
of this net are saddles or lie on plateaus: from every finite point a strictly decreasing
path leads to zero error. :func:`stall_analysis` measures this at one stalled net:

- the backpropagation gradient at the stall (small, but not zero);
- the eigenvalues of the 9x9 Hessian of E, by central differences of that gradient;
- E along continued plain gradient descent (no momentum, float64): it keeps falling, towards
  0.25 from above, while the weights grow -- a trough that descends towards infinite
  weights, not a minimum at a finite point;
- E along the ray that multiplies the input-to-hidden weights and biases by ``c``.

E is the paper's ``1/2 sum (y - d)^2`` over the four XOR cases (eq. 3), logistic units.

References
----------
D. E. Rumelhart, G. E. Hinton and R. J. Williams, "Learning internal representations by error
propagation", in *Parallel Distributed Processing*, vol. 1, ch. 8 (1986). L. G. C. Hamey,
"XOR has no local minima: a case study in neural network error surface analysis", Neural
Networks 11(4):669-681 (1998). I. G. Sprinkhuizen-Kuyper and E. J. W. Boers, "The error
surface of the 2-2-1 XOR network: the finite stationary points", Neural Networks
11(4):683-690 (1998).
"""

from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np

from annhist.mlp.delta_rule import backward, forward, loss_and_delta
from annhist.mlp.network import MLP
from annhist.validation import check_array, check_scalar, short_repr

__all__ = ["XOR_X", "XOR_D", "xor_net", "error_and_gradient", "hessian", "continue_descent", "stall_analysis"]

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_D = np.array([[0.0], [1.0], [1.0], [0.0]])
SHAPES = ((2, 2), (2,), (2, 1), (1,))             # W1, b1, W2, b2 of the 2-2-1 net


def xor_net(params: Sequence[Any]) -> MLP:
    """A 2-2-1 logistic :class:`MLP` holding copies of ``params = [W1 (2,2), b1 (2,), W2 (2,1), b2 (1,)]``."""
    if len(params) != 4:
        raise ValueError(f"The 'params' parameter must be [W1, b1, W2, b2] of a 2-2-1 net. Got {len(params)} arrays.")
    net = MLP([2, 2, 1], random_state=0)
    for p, q, shape in zip(net.params_, params, SHAPES):
        q = check_array(q, "params", ndim=len(shape), owner="xor_net")
        if q.shape != shape:
            raise ValueError(f"The 'params' parameter must hold arrays of shapes {SHAPES}. Got {q.shape}.")
        p[...] = q
    return net


def _check_xor_net(net: Any, owner: str) -> None:
    """``net`` must be a 2-2-1 :class:`MLP` without skip connections (:func:`xor_net` makes one): 9 weights."""
    if not isinstance(net, MLP) or net.sizes != (2, 2, 1) or net.skip:
        error = ValueError if isinstance(net, MLP) else TypeError
        raise error(f"The 'net' parameter of {owner} must be a 2-2-1 MLP without skip connections (see xor_net). "
                    f"Got {short_repr(net)} instead.")


def error_and_gradient(net: MLP, theta: np.ndarray) -> tuple[float, np.ndarray]:
    """E and dE/dw (backpropagation) at the flat weight vector ``theta`` (9 numbers, W1 b1 W2 b2).

    ``net`` is a 2-2-1 net (its units and masks are used, not its weights); ``theta`` 9 finite numbers.
    """
    _check_xor_net(net, "error_and_gradient")
    theta = check_array(theta, "theta", ndim=1, owner="error_and_gradient")
    if theta.shape != (9,):
        raise ValueError(f"The 'theta' parameter of error_and_gradient must hold the 9 weights of a 2-2-1 net. "
                         f"Got shape {theta.shape} instead.")
    return _error_and_gradient(net, theta)


def _error_and_gradient(net: MLP, theta: np.ndarray) -> tuple[float, np.ndarray]:
    """:func:`error_and_gradient` without its checks: the loops below call it with a checked net, 9 weights."""
    params = _unflatten(theta)
    outs = forward(params, XOR_X, net.spec)
    E, delta, _ = loss_and_delta(outs[-1], XOR_D, net.spec)
    return float(E), np.concatenate([g.ravel() for g in backward(params, outs, delta, net.spec)])


def _unflatten(theta: np.ndarray) -> list[np.ndarray]:
    out, i = [], 0
    for shape in SHAPES:
        n = int(np.prod(shape))
        out.append(theta[i:i + n].reshape(shape))
        i += n
    return out


def hessian(net: MLP, h: float = 1e-5) -> np.ndarray:
    """The 9x9 Hessian of E at ``net``'s weights: central differences of the backprop gradient, symmetrised.

    Column ``i`` is ``(g(theta + h e_i) - g(theta - h e_i)) / (2 h)``; the result is ``(H + H.T) / 2``.
    """
    _check_xor_net(net, "hessian")
    check_scalar(h, "h", owner="hessian", min_val=0, include_min=False)
    theta = np.concatenate([p.ravel() for p in net.params_])
    H = np.empty((theta.size, theta.size))
    for i in range(theta.size):
        e = np.zeros(theta.size)
        e[i] = h
        H[:, i] = (_error_and_gradient(net, theta + e)[1] - _error_and_gradient(net, theta - e)[1]) / (2 * h)
    return (H + H.T) / 2


def continue_descent(net: MLP, *, sweeps: int, eta: float, checkpoints: int) -> tuple[np.ndarray, np.ndarray]:
    """Plain full-batch gradient descent ``w <- w - eta dE/dw`` from ``net``'s weights (``net`` is unchanged).

    Returns E and the largest ``|w|`` at ``checkpoints`` evenly spaced sweeps (the last after ``sweeps``).
    """
    _check_xor_net(net, "continue_descent")
    check_scalar(sweeps, "sweeps", owner="continue_descent", kind=numbers.Integral, min_val=1)
    check_scalar(eta, "eta", owner="continue_descent", min_val=0, include_min=False)
    check_scalar(checkpoints, "checkpoints", owner="continue_descent", kind=numbers.Integral, min_val=1,
                 max_val=sweeps)
    theta = np.concatenate([p.ravel() for p in net.params_])
    marks = set(np.linspace(sweeps / checkpoints, sweeps, checkpoints).round().astype(int).tolist())
    E_at, w_at = [], []
    for t in range(1, sweeps + 1):
        theta = theta - eta * _error_and_gradient(net, theta)[1]     # w <- w - eta dE/dw
        if t in marks:
            E_at.append(_error_and_gradient(net, theta)[0])
            w_at.append(float(np.max(np.abs(theta))))
    return np.asarray(E_at), np.asarray(w_at)


def stall_analysis(params: Sequence[Any], *, sweeps: int = 200_000, eta: float = 0.5, checkpoints: int = 5,
                   scales: tuple[float, ...] = (1, 2, 4, 8), h: float = 1e-5) -> dict[str, Any]:
    """Is a stalled 2-2-1 XOR net at a local minimum? Measure it.

    Parameters
    ----------
    params : [W1 (2, 2), b1 (2,), W2 (2, 1), b2 (1,)]
        The trained net's weights (e.g. ``ManyResult.net(i).params_``).
    sweeps, eta, checkpoints
        Continued plain gradient descent: ``sweeps`` more full-batch sweeps at step ``eta``,
        E recorded at ``checkpoints`` evenly spaced points.
    scales
        Factors ``c`` for the ray that multiplies W1 and b1 by ``c`` (output layer unchanged).
    h
        Step of the central differences for the Hessian.

    Returns
    -------
    dict
        ``E``, ``grad_norm`` (of all 9 weights and biases), ``hessian_eigenvalues`` (sorted),
        ``continued_E``, ``continued_max_abs_weight``, ``ray_E`` (one per scale) and
        ``outputs`` (the four outputs at the stall).
    """
    net = xor_net(params)
    theta = np.concatenate([p.ravel() for p in net.params_])
    E, g = _error_and_gradient(net, theta)
    eig = np.linalg.eigvalsh(hessian(net, h))
    cont_E, cont_w = continue_descent(net, sweeps=sweeps, eta=eta, checkpoints=checkpoints)
    ray = []
    for c in scales:
        check_scalar(c, "scales", owner="stall_analysis", min_val=0, include_min=False)
        scaled = theta.copy()
        scaled[:6] *= c                                              # W1 (4 numbers) and b1 (2)
        ray.append(_error_and_gradient(net, scaled)[0])
    return {"E": E, "grad_norm": float(np.linalg.norm(g)), "hessian_eigenvalues": eig,
            "continued_E": cont_E, "continued_max_abs_weight": cont_w, "ray_E": np.asarray(ray),
            "outputs": net.predict(XOR_X)[:, 0]}
