"""Explorables for the chapter "1943: threshold logic": one neuron, and the heat/cold net in time.

Both are tables, not pictures: every cell is :meth:`MPNeuron.fire` or
:meth:`~annhist.mcculloch_pitts.network.MPNetwork.run`
(McCulloch & Pitts 1943, assumptions 1-4, and Fig. 1e).
"""

from __future__ import annotations

import html
import itertools
import numbers
from typing import Any

from annhist.mcculloch_pitts.nets import heat_cold_illusion
from annhist.mcculloch_pitts.neuron import MPNeuron
from annhist.plotting.explorable import Control, Explorable, Frame, check_mode
from annhist.validation import check_choice, check_scalar

__all__ = ["MAX_INPUTS", "HEAT_COLD_STEPS", "neuron_response", "mp_neuron_explorable", "mp_neuron", "heat_cold_trains",
           "heat_cold_explorable", "heat_cold"]

_KINDS = ("excitatory", "inhibitory")

#: The most inputs of the neuron explorable: its static form stores a frame for every threshold and every
#: kind and state of each input, ``(n + 1) * 4**n`` frames (1,280 for 4 inputs, 6,144 for 5).
MAX_INPUTS = 4

#: The fewest and most time steps of the heat/cold explorable (the longest touch, at t=2 for 3 steps, ends at t=4).
HEAT_COLD_STEPS = (5, 50)


def neuron_response(kinds: tuple[str, ...], threshold: int, active: tuple[int, ...]) -> dict[str, Any]:
    """What :meth:`MPNeuron.fire` says for inputs of ``kinds`` with activity ``active`` (one 0/1 per input)."""
    if not isinstance(kinds, (tuple, list)) or not all(isinstance(k, str) and k in _KINDS for k in kinds):
        raise ValueError(f"The 'kinds' parameter of neuron_response must be a sequence of {_KINDS[0]!r} or "
                         f"{_KINDS[1]!r}, one per input. Got {kinds!r:.60} instead.")
    if not isinstance(active, (tuple, list)) or len(active) != len(kinds) or not all(
            isinstance(a, numbers.Real) and a in (0, 1) for a in active):
        raise ValueError(f"The 'active' parameter of neuron_response must hold one 0 or 1 per input "
                         f"({len(kinds)}). Got {active!r:.60} instead.")
    exc = [a for k, a in zip(kinds, active) if k == "excitatory"]
    inh = [a for k, a in zip(kinds, active) if k == "inhibitory"]
    return {"excitation": sum(exc), "inhibited": any(inh),
            "fires": MPNeuron(threshold=threshold).fire(excitatory=exc, inhibitory=inh)}


def _truth_table(kinds: tuple[str, ...], threshold: int, active: tuple[int, ...]) -> str:
    head = "".join(f"<th>x{i + 1} ({k[:3]}.)</th>" for i, k in enumerate(kinds))
    rows = []
    for pattern in itertools.product((0, 1), repeat=len(kinds)):
        r = neuron_response(kinds, threshold, pattern)
        mark = ' style="background:#fde6c8;color:#000;font-weight:bold"' if pattern == active else ""
        cells = "".join(f"<td>{p}</td>" for p in pattern)
        rows.append(f"<tr{mark}>{cells}<td>{r['excitation']}</td><td>{'yes' if r['inhibited'] else 'no'}</td>"
                    f"<td>{r['fires']}</td></tr>")
    return (f'<table><caption>threshold {threshold}</caption><tr>{head}<th>excited synapses</th>'
            f'<th>inhibited</th><th>fires</th></tr>{"".join(rows)}</table>')


def mp_neuron_explorable(n_inputs: int = 3) -> Explorable:
    """The explorable behind :func:`mp_neuron`: each input excitatory or inhibitory, on or off; a threshold.

    ``n_inputs``: 1 to ``MAX_INPUTS``.
    """
    check_scalar(n_inputs, "n_inputs", owner="mp_neuron_explorable", kind=numbers.Integral, min_val=1,
                 max_val=MAX_INPUTS)
    names = [f"x{i + 1}" for i in range(n_inputs)]

    def render(threshold: int, **knobs: Any) -> Frame:
        kinds = tuple(knobs[f"kind_{n}"] for n in names)
        active = tuple(int(knobs[f"on_{n}"]) for n in names)
        r = neuron_response(kinds, threshold, active)
        why = ("an inhibitory input is active: absolute veto" if r["inhibited"] else
               f"{r['excitation']} excited synapse(s) {'>=' if r['fires'] else '<'} threshold {threshold}")
        text = f"inputs {active}: {why} -> the neuron {'FIRES (1)' if r['fires'] else 'is silent (0)'}"
        return Frame(text=text, html=_truth_table(kinds, threshold, active),
                     numbers={"fires": r["fires"], "excitation": r["excitation"]})

    controls = [Control("threshold", "threshold theta", tuple(range(n_inputs + 1)))]
    for n in names:
        controls.append(Control(f"kind_{n}", f"synapse of {n}", _KINDS, kind="buttons"))
        controls.append(Control(f"on_{n}", f"{n} fires", (0, 1), labels=("no (0)", "yes (1)"), kind="buttons"))
    return Explorable("explore-mp-neuron", "A McCulloch-Pitts neuron: set its synapses and threshold", controls,
                      render, start=[min(2, n_inputs)] + [0] * (2 * n_inputs))


def mp_neuron(mode: str = "auto", n_inputs: int = 3) -> Any:
    """One McCulloch-Pitts neuron with switchable excitatory/inhibitory inputs and a threshold control.

    ``mode``: ``"auto"`` (static HTML in the book, ipywidgets in a live kernel), ``"static"``,
    ``"widgets"`` (see :mod:`annhist.plotting.explorable`).
    """
    check_mode(mode, "mp_neuron")
    return mp_neuron_explorable(n_inputs).show(mode)


def heat_cold_trains(stimulus: str, start: int, duration: int, steps: int = 9) -> dict[str, Any]:
    """The spike trains of the heat/cold net (Fig. 1e) for one touch of the skin.

    Computed by :meth:`~annhist.mcculloch_pitts.network.MPNetwork.run`.
    """
    owner = "heat_cold_trains"
    check_choice(stimulus, "stimulus", ("cold", "heat"), owner=owner)
    check_scalar(steps, "steps", owner=owner, kind=numbers.Integral, min_val=1, max_val=HEAT_COLD_STEPS[1])
    check_scalar(start, "start", owner=owner, kind=numbers.Integral, min_val=0, max_val=steps - 1)
    check_scalar(duration, "duration", owner=owner, kind=numbers.Integral, min_val=1, max_val=steps - start)
    touch = [1 if start <= t < start + duration else 0 for t in range(steps)]
    quiet = [0] * steps
    inputs = {"heat": touch, "cold": quiet} if stimulus == "heat" else {"heat": quiet, "cold": touch}
    return heat_cold_illusion().run(inputs)


def _raster(trains: dict[str, Any], now: int) -> str:
    steps = len(next(iter(trains.values())))
    now_style = ' style="background:#fde6c8;color:#000"'
    head = "".join(f"<th{now_style if t == now else ''}>t={t}</th>" for t in range(steps))
    rows = []
    for name, train in trains.items():
        cells = "".join("<td>&#9679;</td>" if (t <= now and s) else ("<td>.</td>" if t <= now else "<td></td>")
                        for t, s in enumerate(train))
        rows.append(f"<tr><th>{html.escape(name)}</th>{cells}</tr>")
    return f"<table><tr><th>neuron</th>{head}</tr>{''.join(rows)}</table>"


def heat_cold_explorable(steps: int = 7) -> Explorable:
    """The explorable behind :func:`heat_cold`: what to touch with, when, how long; then step through time.

    ``steps``: from ``HEAT_COLD_STEPS[0]`` to ``HEAT_COLD_STEPS[1]``.
    """
    check_scalar(steps, "steps", owner="heat_cold_explorable", kind=numbers.Integral, min_val=HEAT_COLD_STEPS[0],
                 max_val=HEAT_COLD_STEPS[1])
    total = len(heat_cold_trains("cold", 0, 1, steps)["cold"])     # the run adds the net's settling steps

    def render(stimulus: str, start: int, duration: int, now: int) -> Frame:
        trains = heat_cold_trains(stimulus, start, duration, steps)
        felt = [f"{name[5:]} at t={t}" for name in ("feel_heat", "feel_cold") for t in range(now + 1)
                if trains[name][t]]
        text = (f"t = {now}: skin touched with {stimulus} at t={start} for {duration} step(s); "
                f"felt so far: {', '.join(felt) if felt else 'nothing'}")
        return Frame(text=text, html=_raster(trains, now),
                     numbers={"feel_heat": int(trains["feel_heat"][:now + 1].sum()),
                              "feel_cold": int(trains["feel_cold"][:now + 1].sum())})

    controls = [Control("stimulus", "touch the skin with", ("cold", "heat"), kind="buttons"),
                Control("start", "touch at time", (0, 1, 2), labels=("t=0", "t=1", "t=2")),
                Control("duration", "hold it for", (1, 2, 3), labels=("1 step", "2 steps", "3 steps")),
                Control("now", "time now", tuple(range(total)), labels=tuple(f"t={t}" for t in range(total)))]
    return Explorable("explore-heat-cold", "The heat/cold illusion, step by step", controls, render)


def heat_cold(mode: str = "auto", steps: int = 7) -> Any:
    """The heat/cold net of Fig. 1e stepped through time; the reader chooses when and how long to touch."""
    check_mode(mode, "heat_cold")
    return heat_cold_explorable(steps).show(mode)
