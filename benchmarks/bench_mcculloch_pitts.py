"""McCulloch-Pitts nets: the vectorized step (one matrix product and one comparison per step).

Three rows, each the same simulation done two ways on a random net with circles
(``random_network``: 10 excitatory and 2 inhibitory synapses per neuron, thresholds 1-3,
10 input lines driven by random spike trains):

1. 10,000 neurons for 1,000 steps -- ``MPNetwork.run`` (``method="auto"`` stores this net as a
   scipy.sparse CSR matrix; see ``annhist.mcculloch_pitts.dynamics.choose_method``) against a
   bare loop of ``scipy.sparse`` CSR products doing the same steps; steps/s = 1,000 / time.
2. 2,000 neurons for 500 steps -- annhist's sparse (CSR) step against a dense numpy matmul step.
3. 2,000 neurons for 100 steps -- annhist against a plain per-neuron Python loop.

Every row records whether both sides produced the same spike trains (``same_spikes``).
"""

from __future__ import annotations

import numpy as np

from annhist.mcculloch_pitts import random_network
from annhist.mcculloch_pitts.dynamics import signed_weights
from benchmarks.harness import Case

N_INPUTS = 10


def _setup(n: int, steps: int, seed: int):
    net = random_network(n, n_inputs=N_INPUTS, random_state=seed)
    rng = np.random.default_rng(seed)
    trains = {k: rng.integers(0, 2, steps) for k in net.input_names}
    U = np.stack([trains[k] for k in net.input_names], axis=1).astype(float)     # (steps, n_lines)
    theta = np.array([net.neuron(k)["threshold"] for k in net.neuron_names], dtype=float)
    return net, trains, U, theta


def _matrix_loop(W, theta: np.ndarray, U: np.ndarray, steps: int) -> np.ndarray:
    """The reference step: W is the signed matrix (dense ndarray or scipy.sparse), U (steps, n_lines)."""
    n, n_lines = theta.shape[0], U.shape[1]
    S = np.zeros((steps, n), dtype=np.int8)
    z = np.zeros(n_lines + n)
    for t in range(1, steps):
        z[:n_lines], z[n_lines:] = U[t - 1], S[t - 1]
        S[t] = W @ z >= theta
    return S


def _python_loop(net, trains: dict, steps: int) -> np.ndarray:
    """Neuron by neuron, synapse by synapse, in plain Python lists."""
    names = net.neuron_names
    index = {k: j for j, k in enumerate([*net.input_names, *names])}
    specs = [(net.neuron(k)["threshold"],
              [(index[s], c) for s, c in net.neuron(k)["excitatory"].items()],
              [index[s] for s in net.neuron(k)["inhibitory"]]) for k in names]
    lines = [list(map(int, trains[k])) for k in net.input_names]
    state = [0] * len(names)
    out = [state]
    for t in range(1, steps):
        act = [line[t - 1] for line in lines] + state
        state = [0 if any(act[j] for j in inh) else int(sum(act[j] * c for j, c in exc) >= th)
                 for th, exc, inh in specs]
        out.append(state)
    return np.array(out, dtype=np.int8)


def _ours(net, trains: dict, method: str):
    def run():
        out = net.run(trains, method=method)
        return np.stack([out[k] for k in net.neuron_names], axis=1)   # (steps, n)
    return run


def _case_scipy() -> Case:
    """10,000 neurons, 1,000 steps, against scipy.sparse."""
    net, trains, U, theta = _setup(10_000, 1000, seed=0)
    ours = _ours(net, trains, "auto")
    rows, cols, n_exc, n_inh = net.synapses()
    extra = {"n_neurons": 10_000, "steps": 1000, "synapses": int(n_exc.sum() + n_inh.sum()),
             "mean_activity": float(ours().mean()), "storage": net._matrix("auto")[0].method}
    try:
        from scipy import sparse
    except ImportError:  # pragma: no cover - scipy is a dependency of annhist
        return Case("MP net 10,000 neurons x 1,000 steps", ours, None, "scipy.sparse CSR", repeats=3, extra=extra,
                    note="steps/s = 1000 / annhist time", skipped_reason="scipy missing")
    veto = 1.0 + np.bincount(rows, weights=n_exc, minlength=theta.size)        # as in signed_weights
    W = sparse.csr_matrix((n_exc - veto[rows] * n_inh, (rows, cols)), shape=(theta.size, N_INPUTS + theta.size))

    def reference():
        return _matrix_loop(W, theta, U, 1000)

    extra["same_spikes"] = bool(np.array_equal(ours(), reference()))
    return Case("MP net 10,000 neurons x 1,000 steps", ours, reference, "scipy.sparse CSR", repeats=3,
                extra=extra, note="steps/s = 1000 / annhist time")


def _case_dense() -> Case:
    """2,000 neurons, 500 steps: sparse storage against a dense numpy matmul."""
    net, trains, U, theta = _setup(2000, 500, seed=1)
    E, I, _ = net.weights()
    W = signed_weights(E, I)
    ours = _ours(net, trains, "sparse")

    def reference():
        return _matrix_loop(W, theta, U, 500)

    return Case("MP net 2,000 neurons x 500 steps (sparse)", ours, reference, "numpy dense matmul", repeats=3,
                extra={"n_neurons": 2000, "steps": 500, "same_spikes": bool(np.array_equal(ours(), reference()))})


def _case_python() -> Case:
    """2,000 neurons, 100 steps: against a per-neuron Python loop."""
    net, trains, _, _ = _setup(2000, 100, seed=2)
    ours = _ours(net, trains, "auto")

    def reference():
        return _python_loop(net, trains, 100)

    return Case("MP net 2,000 neurons x 100 steps", ours, reference, "per-neuron Python loop", repeats=3,
                extra={"n_neurons": 2000, "steps": 100, "same_spikes": bool(np.array_equal(ours(), reference()))})


def cases() -> list[Case]:
    return [_case_scipy(), _case_dense(), _case_python()]
