"""The time step of a McCulloch-Pitts net, vectorized: one matrix product and one comparison.

Let ``z(t)`` stack the activity of the input lines and of the neurons at time ``t``. With
``E[i, j]`` the number of excitatory and ``I[i, j]`` the number of inhibitory synapses from
``j`` onto neuron ``i``, assumptions 2-4 of McCulloch and Pitts (1943) read

    N_i(t+1) = 1  iff  sum_j E[i, j] z_j(t) >= theta_i  and  sum_j I[i, j] z_j(t) == 0.

Absolute inhibition is a veto, and a veto is a weight larger than everything it must
overrule. With ``M_i = 1 + sum_j E[i, j]`` -- one more than all the excitation neuron ``i``
can ever receive -- the single signed matrix ``W = E - M I`` gives the same answer *exactly*:

    N(t+1) = [ W z(t) >= theta ]

because one active inhibitory synapse pushes the sum to at most ``sum_j E[i, j] - M_i = -1``,
below every threshold >= 0, while without inhibition ``W z = E z``. All counts are small
integers, so the float arithmetic is exact.
"""

from __future__ import annotations

import numpy as np

__all__ = ["signed_weights", "SynapseMatrix", "mp_step", "simulate"]

DENSE_LIMIT = 4_000_000   # matrices with at most this many entries are stored dense


def signed_weights(E: np.ndarray, I: np.ndarray) -> np.ndarray:
    """``W = E - M * I`` with ``M_i = 1 + sum_j E[i, j]``: absolute inhibition as one weight.

    ``E`` and ``I`` have shape (n_neurons, n_sources); returns a new float array of that shape.
    """
    veto = 1.0 + E.sum(axis=1, keepdims=True)   # (n, 1): more than all the excitation of neuron i
    return E - veto * I


class SynapseMatrix:
    """The signed matrix ``W`` (n_neurons, n_sources), stored dense or as coordinate lists.

    ``rows``, ``cols``, ``weights`` list the synapses (duplicates add up). The sparse product
    gathers every synapse's source activity and sums the synapses of each target neuron with
    ``np.add.reduceat`` -- the same sum as ``W @ z``, in time proportional to the synapse count.
    """

    def __init__(self, rows: np.ndarray, cols: np.ndarray, weights: np.ndarray, shape: tuple[int, int],
                 *, method: str = "auto") -> None:
        self.shape = shape
        self.method = ("dense" if shape[0] * shape[1] <= DENSE_LIMIT else "sparse") if method == "auto" else method
        order = np.argsort(np.asarray(rows, dtype=np.intp), kind="stable")   # synapses grouped by target
        self.rows = np.asarray(rows, dtype=np.intp)[order]
        self.cols = np.asarray(cols, dtype=np.intp)[order]
        self.weights = np.asarray(weights, dtype=np.float64)[order]
        counts = np.bincount(self.rows, minlength=shape[0])
        self._targets = np.flatnonzero(counts)                       # neurons with at least one synapse
        self._starts = (np.cumsum(counts) - counts)[self._targets]    # where each one's synapses begin
        self.dense: np.ndarray | None = None
        if self.method == "dense":
            self.dense = np.zeros(shape)
            np.add.at(self.dense, (self.rows, self.cols), self.weights)

    @classmethod
    def from_counts(cls, rows: np.ndarray, cols: np.ndarray, n_exc: np.ndarray, n_inh: np.ndarray,
                    shape: tuple[int, int], *, method: str = "auto") -> "SynapseMatrix":
        """From synapse counts per (neuron, source): the signed weights of ``signed_weights``."""
        n_exc, n_inh = np.asarray(n_exc, dtype=float), np.asarray(n_inh, dtype=float)
        veto = 1.0 + np.bincount(rows, weights=n_exc, minlength=shape[0])   # M_i = 1 + sum_j E[i, j]
        return cls(rows, cols, n_exc - veto[rows] * n_inh, shape, method=method)

    def dot(self, z: np.ndarray) -> np.ndarray:
        """``z @ W.T`` for a batch of activity vectors: (B, n_sources) -> (B, n_neurons)."""
        if self.dense is not None:
            return z @ self.dense.T                                       # (B, m) @ (m, n) -> (B, n)
        out = np.zeros((z.shape[0], self.shape[0]))
        if self.rows.size:
            contrib = np.take(z, self.cols, axis=1)                       # (B, n_synapses): each synapse's source
            contrib *= self.weights
            out[:, self._targets] = np.add.reduceat(contrib, self._starts, axis=1)   # sum per target neuron
        return out


def mp_step(z: np.ndarray, W: SynapseMatrix, theta: np.ndarray) -> np.ndarray:
    """One synaptic delay: the neurons' activity at ``t + 1`` from all activity ``z`` at ``t``.

    ``z`` has shape (B, n_sources) (input lines first, then neurons); returns (B, n_neurons)
    of 0.0/1.0. McCulloch & Pitts (1943), section 2, assumptions 1-4.
    """
    return (W.dot(z) >= theta).astype(np.float64)    # a matrix product and a comparison


def simulate(W: SynapseMatrix, theta: np.ndarray, U: np.ndarray, initial: np.ndarray) -> np.ndarray:
    """Run a net for ``U.shape[1]`` time steps.

    Parameters
    ----------
    W : SynapseMatrix
        Shape (n_neurons, n_lines + n_neurons).
    theta : ndarray of shape (n_neurons,)
    U : ndarray of shape (B, steps, n_lines)
        The input lines' activity at every time step, for B independent runs.
    initial : ndarray of shape (B, n_neurons)
        The neurons' activity at time 0.

    Returns
    -------
    ndarray of int8, shape (B, steps, n_neurons)
        ``S[:, t]`` is the neurons' activity at time ``t``; ``S[:, 0] = initial``.
    """
    B, steps, n_lines = U.shape
    n = theta.shape[0]
    S = np.empty((B, steps, n), dtype=np.int8)
    S[:, 0] = initial
    z = np.empty((B, n_lines + n))
    z[:, n_lines:] = initial
    for t in range(1, steps):
        z[:, :n_lines] = U[:, t - 1]                 # lines at t-1 ...
        z[:, n_lines:] = mp_step(z, W, theta)         # ... and neurons at t-1 give the neurons at t
        S[:, t] = z[:, n_lines:]
    return S
