"""The McCulloch-Pitts neuron, one at a time, and the checks on spike trains and thresholds.

McCulloch and Pitts (1943, section 2) assume that

1. the activity of a neuron is an *all-or-none* process;
2. a certain fixed number of synapses must be excited within the period of latent addition
   to excite a neuron at any time -- the *threshold* -- independent of previous activity and
   of position on the neuron;
3. the only significant delay within the nervous system is *synaptic delay*;
4. the activity of any *inhibitory* synapse *absolutely prevents* excitation of the neuron at
   that time;
5. the structure of the net does not change with time.

``MPNeuron`` is assumptions 1, 2 and 4 for a single neuron. Assumptions 3 and 5 belong to
nets (``MPNetwork``).
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from annhist.validation import check_array, check_scalar

__all__ = ["MPNeuron", "check_threshold", "check_spikes", "check_trains", "check_synapses"]


def check_threshold(threshold: Any, name: str = "threshold", *, owner: str = "MPNeuron") -> int:
    """A threshold is a whole number of synapses >= 0; return it as an ``int``.

    ``2`` and ``2.0`` are accepted; ``1.5`` and ``-1`` raise ``ValueError``, a string or
    ``None`` raises ``TypeError``. A threshold of 0 gives a neuron that fires whenever it is
    not inhibited; the 1943 paper's neurons all need at least one excited synapse.
    """
    if isinstance(threshold, (bool, np.bool_)) or not isinstance(threshold, numbers.Real):
        raise TypeError(f"The '{name}' parameter of {owner} must be a whole number >= 0. "
                        f"Got {threshold!r} of type {type(threshold).__name__} instead.")
    if not np.isfinite(threshold) or threshold != int(threshold) or threshold < 0:
        raise ValueError(f"The '{name}' parameter of {owner} must be a whole number >= 0 (a count of "
                         f"synapses). Got {threshold!r} instead.")
    return int(threshold)


def check_spikes(x: Any, name: str, *, owner: str, allow_empty: bool = False) -> np.ndarray:
    """A 1-D sequence of 0s and 1s (booleans allowed) as a new ``int8`` array."""
    arr = check_array(x, name, ndim=1, owner=owner, min_samples=0 if allow_empty else 1)
    bad = np.flatnonzero((arr != 0) & (arr != 1))
    if bad.size:
        raise ValueError(f"The '{name}' parameter of {owner} must hold only 0 and 1 (a neuron fires or "
                         f"it does not). Got {arr[bad[0]]:g} at index {bad[0]} instead.")
    return arr.astype(np.int8)


def check_trains(inputs: Any, required: Iterable[str], *, owner: str,
                 optional: Iterable[str] = ()) -> tuple[dict[str, np.ndarray], int | None]:
    """Validate a mapping ``name -> spike train``; return the trains and their common length.

    Every name in ``required`` must be present, nothing outside ``required`` and ``optional``
    may be, and all trains must have the same length (``None`` when there are none).
    """
    if not isinstance(inputs, Mapping):
        raise TypeError(f"The 'inputs' parameter of {owner} must be a mapping from input names to spike "
                        f"trains. Got {type(inputs).__name__} instead.")
    required = list(required)
    known = set(required) | set(optional)
    unknown = sorted(str(k) for k in inputs if k not in known)
    if unknown:
        raise ValueError(f"The 'inputs' parameter of {owner} names unknown input(s) {unknown}. "
                         f"Valid input names: {sorted(known)}.")
    missing = [k for k in required if k not in inputs]
    if missing:
        raise ValueError(f"The 'inputs' parameter of {owner} lacks the spike train(s) of {missing}. "
                         f"Every input line needs one: {required}.")
    trains = {k: check_spikes(v, f"inputs[{k!r}]", owner=owner) for k, v in inputs.items()}
    lengths = {k: len(v) for k, v in trains.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"The spike trains in the 'inputs' parameter of {owner} must all have the same "
                         f"length. Got lengths {lengths} instead.")
    return trains, (next(iter(lengths.values())) if lengths else None)


def check_synapses(spec: Any, name: str, *, owner: str) -> dict[str, int]:
    """Sources of synapses -> counts: a list of names (repeats add up) or a mapping name -> int >= 1."""
    if isinstance(spec, str):
        spec = [spec]
    if not isinstance(spec, (Mapping, Iterable)):
        raise TypeError(f"The '{name}' parameter of {owner} must be a list of source names or a mapping "
                        f"name -> number of synapses. Got {spec!r} instead.")
    items = spec.items() if isinstance(spec, Mapping) else ((s, 1) for s in spec)
    counts: dict[str, int] = {}
    for src, k in items:
        if not isinstance(src, str) or not src:
            raise TypeError(f"The '{name}' parameter of {owner} must name its sources with non-empty strings. "
                            f"Got {src!r} instead.")
        check_scalar(k, f"{name}[{src!r}]", owner=owner, kind=numbers.Integral, min_val=1)
        counts[src] = counts.get(src, 0) + int(k)
    return counts


class MPNeuron:
    """A McCulloch-Pitts neuron: all-or-none, an integer threshold, absolute inhibition.

    The neuron fires (returns 1) when no inhibitory synapse is active and at least
    ``threshold`` excitatory synapses are::

        fire = 1   if  sum(excitatory) >= threshold  and  not any(inhibitory)
               0   otherwise

    Parameters
    ----------
    threshold : int
        The number of excitatory synapses that must be active at once (assumption 2); a whole
        number >= 0.

    Notes
    -----
    In a net the answer appears one synaptic delay later (assumption 3): the activity at
    time ``t`` is computed from the synapses' activity at ``t - 1``
    (``run``). Two synapses from the same fibre count
    twice; list the fibre twice.

    References
    ----------
    W. S. McCulloch and W. Pitts, "A logical calculus of the ideas immanent in nervous
    activity", Bulletin of Mathematical Biophysics 5:115-133, 1943, section 2.

    Examples
    --------
    >>> MPNeuron(threshold=2).fire(excitatory=[1, 1], inhibitory=[0])
    1
    >>> MPNeuron(threshold=2).fire(excitatory=[1, 1], inhibitory=[1])   # absolute inhibition
    0
    """

    def __init__(self, threshold: int) -> None:
        self.threshold = check_threshold(threshold, owner="MPNeuron")

    def fire(self, excitatory: Any = (), inhibitory: Any = ()) -> int:
        """1 if the neuron fires given its synapses' activity, else 0.

        Parameters
        ----------
        excitatory, inhibitory : sequence of 0/1
            The activity of each excitatory and each inhibitory synapse (either may be empty).
        """
        e = check_spikes(excitatory, "excitatory", owner="MPNeuron.fire", allow_empty=True)
        i = check_spikes(inhibitory, "inhibitory", owner="MPNeuron.fire", allow_empty=True)
        if i.any():                           # assumption 4: absolute inhibition
            return 0
        return int(int(e.sum()) >= self.threshold)   # assumptions 1 and 2: all-or-none, threshold

    __call__ = fire

    def __repr__(self) -> str:
        return f"MPNeuron(threshold={self.threshold})"
