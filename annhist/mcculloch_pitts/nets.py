"""Small nets built by hand: the gates of Fig. 1, the heat/cold illusion, and nets with circles.

Each function returns a new ``MPNetwork`` with a drawing
``layout``; the docstrings give the temporal propositional expression each output realizes
(McCulloch & Pitts 1943, Fig. 1 and section 3).
"""

from __future__ import annotations

import math
import numbers

from annhist.mcculloch_pitts.network import MPNetwork
from annhist.validation import check_scalar

__all__ = ["and_gate", "or_gate", "and_not_gate", "xor_net", "heat_cold_illusion", "latch",
           "pulse_counter", "every_k"]


def _two_inputs() -> MPNetwork:
    net = MPNetwork().add_input("a").add_input("b")
    net.layout = {"a": (0.0, 1.0), "b": (0.0, 0.0), "out": (1.0, 0.5)}
    return net


def or_gate() -> MPNetwork:
    """Fig. 1b, disjunction: ``out(t) = a(t-1) or b(t-1)`` -- threshold 1."""
    return _two_inputs().add_neuron("out", 1, ["a", "b"], output=True)


def and_gate() -> MPNetwork:
    """Fig. 1c, conjunction: ``out(t) = a(t-1) and b(t-1)`` -- threshold 2."""
    return _two_inputs().add_neuron("out", 2, ["a", "b"], output=True)


def and_not_gate() -> MPNetwork:
    """Fig. 1d, conjoined negation: ``out(t) = a(t-1) and not b(t-1)`` -- ``b`` inhibits."""
    return _two_inputs().add_neuron("out", 1, ["a"], ["b"], output=True)


def xor_net() -> MPNetwork:
    """Exclusive or in two layers: ``out(t) = (a and not b)(t-2) or (b and not a)(t-2)``.

    No single McCulloch-Pitts neuron computes XOR: an input that fires the neuron on its own
    cannot be inhibitory, so ``a`` and ``b`` would both be excitatory -- and excitation only
    adds up, so ``a and b`` would fire it too. Two ``and not`` neurons and an ``or`` neuron
    do; the answer comes two steps later.
    """
    net = MPNetwork().add_input("a").add_input("b")
    net.add_neuron("a_not_b", 1, ["a"], ["b"]).add_neuron("b_not_a", 1, ["b"], ["a"])
    net.add_neuron("out", 1, ["a_not_b", "b_not_a"], output=True)
    net.layout = {"a": (0.0, 1.0), "b": (0.0, 0.0), "a_not_b": (1.0, 1.0), "b_not_a": (1.0, 0.0),
                  "out": (2.0, 0.5)}
    return net


def heat_cold_illusion() -> MPNetwork:
    """Fig. 1e: a cold object held briefly to the skin is felt as hot.

    Input lines ``heat`` and ``cold`` are the receptors (the paper's N1 and N2); the outputs
    ``feel_heat`` and ``feel_cold`` (N3 and N4) obey::

        feel_heat(t) = heat(t-1) or (cold(t-3) and not cold(t-2))
        feel_cold(t) = cold(t-2) and cold(t-1)

    Two internal neurons realize the delays: ``a(t) = cold(t-1)`` and
    ``b(t) = a(t-1) and not cold(t-1) = cold(t-2) and not cold(t-1)``. A single cold pulse at
    time 0 makes ``feel_heat`` fire at time 3 and ``feel_cold`` never; cold held for two steps
    or more is felt as cold.

    Examples
    --------
    >>> net = heat_cold_illusion()
    >>> out = net.run({"heat": [0, 0, 0, 0, 0], "cold": [1, 0, 0, 0, 0]})
    >>> out["feel_heat"].tolist(), out["feel_cold"].tolist()
    ([0, 0, 0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0])
    """
    net = MPNetwork().add_input("heat").add_input("cold")
    net.add_neuron("a", 1, ["cold"])                       # a(t) = cold(t-1)
    net.add_neuron("b", 1, ["a"], ["cold"])                # b(t) = a(t-1) and not cold(t-1)
    net.add_neuron("feel_heat", 1, ["heat", "b"], output=True)
    net.add_neuron("feel_cold", 2, ["a", "cold"], output=True)
    net.labels = {"a": "cold[t-1]", "b": "cold[t-2] and not cold[t-1]",
                  "feel_heat": "heat[t-1] or (cold[t-3] and not cold[t-2])", "feel_cold": "cold[t-2] and cold[t-1]"}
    net.layout = {"heat": (0.0, 2.0), "cold": (0.0, 0.0), "a": (1.0, -0.8), "b": (2.0, 1.0),
                  "feel_heat": (3.0, 2.0), "feel_cold": (3.0, -0.8)}
    return net


def latch() -> MPNetwork:
    """A net with a circle that stores one bit.

    ``memory(t) = not reset(t-1) and (set(t-1) or memory(t-1))``: the neuron re-excites itself
    through its own axon, so one pulse on ``set`` keeps it firing until ``reset`` inhibits it.
    """
    net = MPNetwork().add_input("set").add_input("reset")
    net.add_neuron("memory", 1, ["set", "memory"], ["reset"], output=True)
    net.layout = {"set": (0.0, 1.0), "reset": (0.0, 0.0), "memory": (1.0, 0.5)}
    return net


def pulse_counter(n: int = 3) -> MPNetwork:
    """Count pulses up to ``n``: after ``m`` pulses, neurons ``c1 .. cm`` fire for ever.

    ``ci(t) = ci(t-1) or (pulse(t-1) and c(i-1)(t-1))`` with ``c0`` always true: neuron ``ci``
    has threshold 2, two synapses from itself (the circle) and one each from ``pulse`` and
    ``c(i-1)``. The output ``c{n}`` fires from the step after the ``n``-th pulse on.
    """
    check_scalar(n, "n", owner="pulse_counter", kind=numbers.Integral, min_val=1, max_val=64)
    net = MPNetwork().add_input("pulse")
    net.layout = {"pulse": (0.0, 0.0)}
    for i in range(1, n + 1):
        prev = {"pulse": 2} if i == 1 else {"pulse": 1, f"c{i - 1}": 1}
        net.add_neuron(f"c{i}", 2, {f"c{i}": 2, **prev}, output=i == n)
        net.layout[f"c{i}"] = (float(i), 1.0)
    return net


def every_k(k: int = 3) -> MPNetwork:
    """A ring of ``k`` neurons: after a pulse on ``start``, ``tick`` fires every ``k`` steps.

    ``tick(t) = start(t-1) or r{k-1}(t-1)`` and ``ri(t) = r(i-1)(t-1)``; the activity runs
    round the circle for ever, a net with a circle in the sense of the paper's part III.
    """
    check_scalar(k, "k", owner="every_k", kind=numbers.Integral, min_val=1, max_val=1000)
    net = MPNetwork().add_input("start")
    ring = ["tick", *(f"r{i}" for i in range(1, k))]
    net.add_neuron("tick", 1, ["start", ring[-1]], output=True)
    for i in range(1, k):
        net.add_neuron(ring[i], 1, [ring[i - 1]])
    net.layout = {"start": (0.0, 0.0)}
    for i, name in enumerate(ring):
        angle = math.pi - 2 * math.pi * i / k
        net.layout[name] = (2.0 + math.cos(angle), math.sin(angle))
    return net
