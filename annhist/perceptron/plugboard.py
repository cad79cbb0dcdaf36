"""The Mark I's plugboard: fixed random S->A wiring (Hay, Martin & Wightman 1960; Rosenblatt 1962).

Each A-unit is wired to a few S-units by excitatory (+1) or inhibitory (-1) connections that
never learn; no S-unit feeds more than ``max_fan_out`` (40 on the machine) A-units.
"""

from __future__ import annotations

import numbers

import numpy as np

from annhist.validation import check_scalar

__all__ = ["wire_plugboard"]


def wire_plugboard(rng: np.random.Generator, *, n_sensory: int = 400, n_association: int = 512,
                   n_excitatory: int = 10, n_inhibitory: int = 10, max_fan_out: int = 40) -> np.ndarray:
    """Random fixed S->A wiring: an (A, S) array of -1/0/+1.

    Each A-unit gets ``n_excitatory`` (+1) and ``n_inhibitory`` (-1) connections from distinct
    S-units; no S-unit feeds more than ``max_fan_out`` A-units (S-units with more free sockets
    are proportionally likelier to be chosen, so the plugboard fills evenly).
    """
    for name, value, low in (("n_sensory", n_sensory, 1), ("n_association", n_association, 1),
                             ("n_excitatory", n_excitatory, 0), ("n_inhibitory", n_inhibitory, 0),
                             ("max_fan_out", max_fan_out, 1)):
        check_scalar(value, name, owner="wire_plugboard", kind=numbers.Integral, min_val=low)
    k = n_excitatory + n_inhibitory
    if n_association * k > n_sensory * max_fan_out or k > n_sensory:
        raise ValueError(f"The 'n_excitatory' and 'n_inhibitory' parameters of wire_plugboard ask for more than "
                         f"the plugboard holds: {n_association} A-units x {k} connections with "
                         f"{n_sensory} S-units of fan-out <= {max_fan_out}.")
    C = np.zeros((n_association, n_sensory), dtype=np.int8)
    free = np.full(n_sensory, max_fan_out)                   # free sockets per S-unit
    signs = np.r_[np.ones(n_excitatory), -np.ones(n_inhibitory)].astype(np.int8)
    for a in range(n_association):
        if np.count_nonzero(free) < k:
            raise ValueError("The plugboard ran out of free S-units: lower the 'n_excitatory' and 'n_inhibitory' "
                             "parameters (fewer connections per A-unit).")
        src = rng.choice(n_sensory, size=k, replace=False, p=free / free.sum())
        C[a, src] = signs
        free[src] -= 1
    return C
