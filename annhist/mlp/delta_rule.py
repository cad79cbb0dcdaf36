"""The generalized delta rule as pure functions: the forward and backward passes of a layered net.

Rumelhart, Hinton & Williams (1986), "Learning representations by back-propagating errors",
*Nature* 323:533-536, eqs. (1)-(7); the same rule in PDP vol. 1, ch. 8, eqs. (8)-(15).
The paper's symbols and the code's names:

=============  =========================================  ==================================
paper          meaning                                    code
=============  =========================================  ==================================
``y_i``        output of unit ``i``                       ``o`` (``outs[l]``, layer ``l``)
``x_j``        total input of unit ``j``: sum_i y_i w_ji  ``a``
``w_ji``       weight from unit ``i`` to unit ``j``       ``W[i, j]`` (``W`` is (n_in, n_out))
``d_j``        desired output                             ``D``
``dE/dx_j``    the error signal ("delta") of unit ``j``   ``delta``
=============  =========================================  ==================================

The parameters are a flat list ``[W_1, b_1, ..., W_L, b_L]``, followed by ``W_skip`` (the
direct input->output weights) when the net has them. Every function here also accepts a
*stack* of S networks -- ``W`` of shape (S, n_in, n_out), ``b`` of shape (S, 1, n_out) -- with
the same inputs ``X`` of shape (N, n_in): :func:`annhist.mlp.many.train_many` trains many
seeds at once this way. Nothing here modifies its arguments.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np

from annhist.activations import ACTIVATIONS
from annhist.losses import half_sse, half_sse_grad, softmax, softmax_cross_entropy_value_and_grad
from annhist.underflow import allow_underflow

__all__ = ["NetSpec", "forward", "output_probabilities", "loss_and_delta", "backward", "dead_zone_targets"]


class NetSpec(NamedTuple):
    """The fixed structure of a network: everything the passes need besides the weights.

    ``output`` is an activation name or ``"softmax"`` (then the last layer's outputs are
    the logits z, the loss is cross-entropy and its gradient with respect to z is used).
    ``masks[l]`` is a 0/1 array of ``W_l``'s shape (absent connections are 0) or None.
    """

    n_layers: int
    hidden: str
    output: str
    loss: str
    reduction: str
    skip: bool
    masks: tuple[np.ndarray | None, ...]


def _T(a: np.ndarray) -> np.ndarray:
    """Transpose the last two axes: (..., m, n) -> (..., n, m)."""
    return a.swapaxes(-1, -2)           # the method: np.swapaxes's dispatch cost as much as the view


def forward(params: Sequence[np.ndarray], X: np.ndarray, spec: NetSpec) -> list[np.ndarray]:
    """The outputs of every layer, ``[X, y_1, ..., y_L]``, for the cases in the rows of ``X``.

    For a softmax net the last entry holds the logits z (see :func:`~annhist.mlp.delta_rule.output_probabilities`).
    """
    outs = [X]
    o = X
    for l in range(spec.n_layers):
        W, b = params[2 * l], params[2 * l + 1]
        a = o @ W                                   # x_j = sum_i y_i w_ji   (eq. 1): (.., N, n_in) @ (.., n_in, n_out)
        a += b                                      # + the bias, a weight from a unit that is always on
        if spec.skip and l == spec.n_layers - 1:
            a += X @ params[-1]                     # + direct input -> output connections (PDP ch. 8)
        last = l == spec.n_layers - 1
        name = (spec.output if last else spec.hidden)
        o = a if name == "softmax" else ACTIVATIONS[name].f(a)   # y_j = f(x_j)   (eq. 2)
        outs.append(o)
    return outs


def output_probabilities(last: np.ndarray, spec: NetSpec) -> np.ndarray:
    """The net's outputs y from the last layer's values (applies softmax to logits)."""
    return softmax(last) if spec.output == "softmax" else last


def dead_zone_targets(y: np.ndarray, D: np.ndarray, dead_zone: float) -> np.ndarray:
    """The targets with every output within ``dead_zone`` of its target (strictly) set to the output itself, so
    that its error is zero (Rumelhart et al. 1986, the family trees: 0.2); ``D`` itself when ``dead_zone`` is 0."""
    return D if dead_zone == 0 else np.where(np.abs(y - D) < dead_zone, y, D)


def loss_and_delta(last: np.ndarray, D: np.ndarray, spec: NetSpec, dead_zone: float = 0.0
                   ) -> tuple[float, np.ndarray, np.ndarray]:
    """The error E, the output units' delta dE/dx_j, and the outputs y.

    For the paper's E = 1/2 sum (y - d)^2: dE/dy_j = y_j - d_j (eq. 4) and
    dE/dx_j = dE/dy_j f'(x_j) (eq. 5), f' taken from the output (``y_j (1 - y_j)``).
    ``dead_zone`` counts an output's error as zero when it is within ``dead_zone`` of its
    target (Rumelhart et al. 1986 used 0.2 for the family trees: "on" above 0.8 and "off"
    below 0.2 are right). For softmax + cross-entropy, dE/dz = softmax(z) - d.
    Works on one net only (E is a float); stacks compute their per-net E themselves.
    """
    if spec.output == "softmax":
        E, delta, y = softmax_cross_entropy_value_and_grad(last, D, spec.reduction)
        return E, delta, y
    y = last
    D = dead_zone_targets(y, D, dead_zone)               # an output close enough has no error
    E = half_sse(y, D, spec.reduction)                   # E = 1/2 sum_c sum_j (y_jc - d_jc)^2   (eq. 3)
    delta = half_sse_grad(y, D, spec.reduction)          # dE/dy_j = y_j - d_j                    (eq. 4)
    delta *= ACTIVATIONS[spec.output].f_prime_out(y)     # dE/dx_j = dE/dy_j * y_j (1 - y_j)      (eq. 5)
    return E, delta, y


def backward(params: Sequence[np.ndarray], outs: Sequence[np.ndarray], delta: np.ndarray,
             spec: NetSpec) -> list[np.ndarray]:
    """dE/dw for every parameter, from the output units' delta: the backward pass.

    Each layer turns the delta of its units into gradients for its weights (eq. 6) and
    passes the error back to the units below it (eq. 7, then eq. 5 for those units).
    Gradients are summed over the cases (rows); absent (masked) connections get 0.
    """
    grads: list[np.ndarray] = [np.empty(0)] * len(params)
    if spec.skip:
        grads[-1] = _T(outs[0]) @ delta              # direct connections: dE/dw_ji = dE/dx_j y_i
    for l in range(spec.n_layers - 1, -1, -1):
        W, b = params[2 * l], params[2 * l + 1]
        o_in = outs[l]                               # y_i, the outputs feeding layer l
        gW = _T(o_in) @ delta                        # dE/dw_ji = sum_c dE/dx_j y_i (eq. 6): (n_in, N) @ (N, n_out)
        if spec.masks[l] is not None:
            gW *= spec.masks[l]                      # a missing connection has no weight to learn
        grads[2 * l] = gW
        grads[2 * l + 1] = delta.sum(axis=-2).reshape(b.shape)   # the bias's input y_i is always 1
        if l > 0:
            dE_dy = delta @ _T(W)                    # dE/dy_i = sum_j dE/dx_j w_ji (eq. 7): (N, n_out) @ (n_out, n_in)
            dE_dy *= ACTIVATIONS[spec.hidden].f_prime_out(o_in)   # dE/dx_i = dE/dy_i f'(x_i)  (eq. 5)
            delta = dE_dy
    return grads


# Products of tiny values may underflow to 0 -- their exact limit -- even under errstate(all="raise").
# (Wrapped here rather than decorated, so that the chapters' inspect.getsource shows the passes alone.)
forward = allow_underflow(forward)
loss_and_delta = allow_underflow(loss_and_delta)
backward = allow_underflow(backward)
