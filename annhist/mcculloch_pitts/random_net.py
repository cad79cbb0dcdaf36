"""Random McCulloch-Pitts nets, for the speed benchmark and for rasters of busy nets."""

from __future__ import annotations

import numbers
from typing import Any

from annhist.mcculloch_pitts.network import MPNetwork
from annhist.validation import check_random_state, check_scalar

__all__ = ["MAX_SYNAPSES", "random_network"]

#: The most synapses one call draws (n_neurons x (n_excitatory + n_inhibitory)): each costs a few
#: microseconds and some hundred bytes as a named Python object, so 2**24 is about a minute and a few GB.
MAX_SYNAPSES = 2**24


def random_network(n_neurons: int, *, n_inputs: int = 10, n_excitatory: int = 10, n_inhibitory: int = 2,
                   max_threshold: int = 3, random_state: Any = None) -> MPNetwork:
    """A random net with circles: every neuron gets synapses from random lines and neurons.

    Parameters
    ----------
    n_neurons : int
        Neurons ``n0 .. n{n_neurons-1}``; the input lines are ``x0 .. x{n_inputs-1}``.
    n_inputs : int
        Input lines (>= 0).
    n_excitatory, n_inhibitory : int
        Synapses per neuron, their sources drawn uniformly (with replacement, so a source
        drawn twice makes two synapses) from all lines and neurons. At most ``MAX_SYNAPSES``
        in all (``n_neurons * (n_excitatory + n_inhibitory)``).
    max_threshold : int
        Thresholds are drawn uniformly from ``1 .. max_threshold``.
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    MPNetwork
        Every neuron is an output; initial activity is 0.
    """
    owner = "random_network"
    check_scalar(n_neurons, "n_neurons", owner=owner, kind=numbers.Integral, min_val=1, max_val=10**6)
    check_scalar(n_inputs, "n_inputs", owner=owner, kind=numbers.Integral, min_val=0, max_val=10**6)
    check_scalar(n_excitatory, "n_excitatory", owner=owner, kind=numbers.Integral, min_val=0, max_val=1000)
    check_scalar(n_inhibitory, "n_inhibitory", owner=owner, kind=numbers.Integral, min_val=0, max_val=1000)
    check_scalar(max_threshold, "max_threshold", owner=owner, kind=numbers.Integral, min_val=1, max_val=1000)
    n_synapses = n_neurons * (n_excitatory + n_inhibitory)
    if n_synapses > MAX_SYNAPSES:
        raise ValueError(f"{owner}: n_neurons={n_neurons} with n_excitatory={n_excitatory} and "
                         f"n_inhibitory={n_inhibitory} makes {n_synapses:,} synapses, more than "
                         f"MAX_SYNAPSES = {MAX_SYNAPSES:,}; ask for fewer neurons or synapses per neuron.")
    rng = check_random_state(random_state, owner=owner)
    names = [f"x{j}" for j in range(n_inputs)] + [f"n{i}" for i in range(n_neurons)]
    exc = rng.integers(0, len(names), size=(n_neurons, n_excitatory))      # source indices
    inh = rng.integers(0, len(names), size=(n_neurons, n_inhibitory))
    theta = rng.integers(1, max_threshold + 1, size=n_neurons)
    net = MPNetwork()
    for name in names[:n_inputs]:
        net.add_input(name)
    for i in range(n_neurons):
        net.add_neuron(names[n_inputs + i], int(theta[i]), [names[j] for j in exc[i]],
                       [names[j] for j in inh[i]], output=True)
    return net
