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

``signed_weights``, ``mp_step`` and ``simulate`` are inner kernels (the book prints the first two)
that check nothing; ``MPNetwork.run_batch`` checks what reaches them (:func:`check_batch`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from annhist.validation import as_real_array, check_choice

if TYPE_CHECKING:   # scipy.sparse is imported only when a net is stored sparse (it takes ~0.1 s)
    from scipy import sparse

__all__ = ["signed_weights", "choose_method", "SynapseMatrix", "mp_step", "simulate", "check_run_size",
           "check_batch", "MAX_ENTRIES", "METHODS"]

METHODS = ("auto", "dense", "sparse")
#: The most entries ``runs x steps x (lines + neurons)`` of one simulation: the input lines are float64 and the
#: spike trains int8, so at most 1 GiB and 128 MiB (the benchmark's 10,000 neurons for 1,000 steps are 10**7;
#: ``steps=10**12`` was a MemoryError).
MAX_ENTRIES = 2**27

# How ``method="auto"`` stores W (measured on a 2-core x86 machine, one run at a time, random nets with 12
# synapses per neuron): a dense matrix-vector product costs about 0.1-0.2 ns per *entry*, a
# scipy.sparse CSR product about 4 us per call plus 1-2 ns per *synapse*. Below ~40,000 entries
# (about 200 neurons) the call overhead dominates and dense wins; above it CSR wins as long as
# at most ~10% of the entries are synapses. Past DENSE_LIMIT entries (32 MB) W is never dense.
SPARSE_MIN_ENTRIES = 40_000
SPARSE_MAX_DENSITY = 0.1
DENSE_LIMIT = 4_000_000


def signed_weights(E: np.ndarray, I: np.ndarray) -> np.ndarray:
    """``W = E - M * I`` with ``M_i = 1 + sum_j E[i, j]``: absolute inhibition as one weight.

    ``E`` and ``I`` have shape (n_neurons, n_sources); returns a new float array of that shape.
    """
    veto = 1.0 + E.sum(axis=1, keepdims=True)   # (n, 1): more than all the excitation of neuron i
    return E - veto * I


def choose_method(shape: tuple[int, int], n_synapses: int) -> str:
    """``"dense"`` or ``"sparse"``: how ``method="auto"`` stores a (n_neurons, n_sources) matrix.

    Sparse (CSR) when the matrix is large (more than ``SPARSE_MIN_ENTRIES`` entries) and sparse
    (at most ``SPARSE_MAX_DENSITY`` of them are synapses), or too large to hold densely
    (more than ``DENSE_LIMIT`` entries); dense otherwise. Both give identical spike trains.
    """
    entries = shape[0] * shape[1]
    if entries > DENSE_LIMIT:
        return "sparse"
    if entries > SPARSE_MIN_ENTRIES and n_synapses <= SPARSE_MAX_DENSITY * entries:
        return "sparse"
    return "dense"


class SynapseMatrix:
    """The signed matrix ``W`` (n_neurons, n_sources), stored dense or as a scipy.sparse CSR matrix.

    ``rows``, ``cols``, ``weights`` list the synapses (duplicates add up). ``method="auto"``
    picks the storage with :func:`choose_method`. The CSR product visits every synapse once --
    time proportional to the synapse count rather than to n_neurons x n_sources. All weights
    and activities are small integers, so both products are exact in float64 and the spike
    trains are identical whichever storage is used.
    """

    def __init__(self, rows: np.ndarray, cols: np.ndarray, weights: np.ndarray, shape: tuple[int, int],
                 *, method: str = "auto") -> None:
        check_choice(method, "method", METHODS, owner="SynapseMatrix")
        self.shape = shape
        self.rows = np.asarray(rows, dtype=np.intp)
        self.cols = np.asarray(cols, dtype=np.intp)
        self.weights = np.asarray(weights, dtype=np.float64)
        for name, idx, size in (("rows", self.rows, shape[0]), ("cols", self.cols, shape[1])):
            if idx.shape != self.weights.shape or (idx.size and (idx.min() < 0 or idx.max() >= size)):
                raise ValueError(f"The '{name}' parameter of SynapseMatrix must hold one index in 0..{size - 1} per "
                                 f"weight ({self.weights.size}). Got {idx.size} indices from "
                                 f"{idx.min() if idx.size else '-'} to {idx.max() if idx.size else '-'}.")
        self.method = choose_method(shape, self.rows.size) if method == "auto" else method
        self.dense: np.ndarray | None = None
        self.csr: sparse.csr_array | None = None
        if self.method == "dense":
            self.dense = np.zeros(shape)
            np.add.at(self.dense, (self.rows, self.cols), self.weights)
        else:   # the COO -> CSR conversion sums duplicate (row, col) entries, like np.add.at
            from scipy import sparse
            index = np.int32 if max(shape) < 2**31 else np.int64      # 32-bit indices: less memory traffic
            self.csr = sparse.csr_array((self.weights, (self.rows.astype(index), self.cols.astype(index))),
                                        shape=shape)

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
        if z.shape[0] == 1:
            return (self.csr @ z[0])[None, :]                             # one run: a CSR matrix-vector product
        return (self.csr @ z.T).T                                         # (n, m) @ (m, B) -> (n, B) -> (B, n)


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


def check_run_size(runs: int, steps: int, width: int, name: str, owner: str) -> None:
    """Refuse a simulation of more than ``MAX_ENTRIES`` entries ``runs x steps x width`` (lines + neurons)."""
    if runs * steps * max(width, 1) > MAX_ENTRIES:
        raise ValueError(f"The '{name}' parameter of {owner} asks for {runs} run(s) x {steps} steps x {width} lines "
                         f"and neurons, more than MAX_ENTRIES = {MAX_ENTRIES:,} entries. Simulate fewer steps.")


def check_batch(U: Any, initial: Any, n_lines: int, start: list[int], owner: str) -> tuple[np.ndarray, np.ndarray]:
    """``U`` (runs, steps >= 1, n_lines) and ``initial`` (runs, neurons; default ``start`` each run), both of 0/1,
    as the float arrays :func:`simulate` takes; anything else is refused naming 'U' or 'initial'."""
    arr = as_real_array(U, "U", owner=owner)
    if arr.ndim != 3 or arr.shape[0] < 1 or arr.shape[1] < 1 or arr.shape[2] != n_lines:
        raise ValueError(f"The 'U' parameter of {owner} must have shape (runs >= 1, steps >= 1, {n_lines}): every "
                         f"line at every step. Got shape {arr.shape} instead.")
    check_run_size(arr.shape[0], arr.shape[1], n_lines + len(start), "U", owner)
    init = np.tile(start, (arr.shape[0], 1)) if initial is None else as_real_array(initial, "initial", owner=owner)
    if init.shape != (arr.shape[0], len(start)):
        raise ValueError(f"The 'initial' parameter of {owner} must have shape {(arr.shape[0], len(start))}: each "
                         f"neuron's activity at time 0 in each run. Got shape {init.shape} instead.")
    for name, a in (("U", arr), ("initial", init)):
        if not np.all((a == 0) | (a == 1)):
            raise ValueError(f"The '{name}' parameter of {owner} must hold only 0 and 1 (a line or neuron fires or "
                             f"it does not).")
    return np.asarray(arr, dtype=float), np.asarray(init, dtype=float)
