"""Nets of McCulloch-Pitts neurons: named input lines, neurons, synapses -- circles allowed.

A net is built by hand (``add_input``, ``add_neuron``, ``connect``) or by
``compile_formula``. ``MPNetwork.run`` simulates discrete time with one synaptic delay per
step (assumption 3 of McCulloch & Pitts 1943) and the structure fixed (assumption 5); one
step is one matrix product and one comparison (``annhist.mcculloch_pitts.dynamics``).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from annhist.mcculloch_pitts.dynamics import METHODS, SynapseMatrix, check_batch, check_run_size, simulate
from annhist.mcculloch_pitts.files import NetworkFile
from annhist.mcculloch_pitts.graph import longest_chain
from annhist.mcculloch_pitts.neuron import check_spikes, check_synapses, check_threshold, check_trains
from annhist.mcculloch_pitts.table import TruthTable, held_input_table
from annhist.validation import check_choice, check_scalar

__all__ = ["MPNetwork"]


@dataclass
class _Neuron:
    threshold: int
    excitatory: dict[str, int] = field(default_factory=dict)   # source -> number of synapses
    inhibitory: dict[str, int] = field(default_factory=dict)
    initial: int = 0


class MPNetwork(NetworkFile):
    """A net of McCulloch-Pitts neurons with named input lines; circles (feedback) allowed.

    Neuron ``i`` fires at time ``t`` iff, at ``t - 1``, none of its inhibitory synapses was
    active and at least ``threshold_i`` of its excitatory synapses were. Input lines carry
    the spike trains given to ``run``; a *constant* line (``add_input(name, constant=1)``)
    is always on -- **not** part of the 1943 calculus, offered for ``compile_formula(...,
    drive=True)`` and labelled so. ``save(path)`` / ``MPNetwork.load(path)`` write and read the net as ``.npz``
    (no pickle).

    Attributes
    ----------
    outputs : list of str
        The neurons reported by ``truth_table`` (all neurons when empty).
    layout : dict or None
        Optional drawing positions ``name -> (x, y)`` for ``annhist.plotting.plot_mp_net``.
    labels : dict
        Optional description of what each neuron computes (shown by ``describe``).

    References
    ----------
    W. S. McCulloch and W. Pitts, "A logical calculus of the ideas immanent in nervous
    activity", Bulletin of Mathematical Biophysics 5:115-133, 1943.

    Examples
    --------
    A latch: one pulse on ``set`` is remembered until ``reset`` fires (a net with a circle).

    >>> net = MPNetwork().add_input("set").add_input("reset")
    >>> net = net.add_neuron("m", 1, excitatory=["set", "m"], inhibitory=["reset"], output=True)
    >>> net.run({"set": [1, 0, 0, 0, 0], "reset": [0, 0, 0, 1, 0]})["m"].tolist()
    [0, 1, 1, 1, 0]
    """

    def __init__(self) -> None:
        self._lines: dict[str, int | None] = {}    # input line -> constant value, or None
        self._neurons: dict[str, _Neuron] = {}
        self.outputs: list[str] = []
        self.layout: dict[str, tuple[float, float]] | None = None
        self.labels: dict[str, str] = {}
        self._cache: dict[Any, Any] = {}   # matrices and depths; cleared on every change

    # ------------------------------------------------------------------ building
    def _check_new_name(self, name: Any, what: str) -> str:
        if not isinstance(name, str) or not name:
            raise TypeError(f"The 'name' parameter (the name of a new {what}) must be a non-empty string. "
                            f"Got {name!r} instead.")
        if name in self._lines or name in self._neurons:
            raise ValueError(f"The 'name' parameter: {name!r} is already used in this MPNetwork; names must be "
                             f"unique.")
        return name

    def add_input(self, name: str, *, constant: int | None = None) -> "MPNetwork":
        """Add an input line (a receptor or afferent fibre); ``constant=1`` makes it always on."""
        self._check_new_name(name, "input line")
        if constant is not None and (isinstance(constant, bool) or constant not in (0, 1)):
            raise ValueError(f"The 'constant' parameter of MPNetwork.add_input must be None, 0 or 1. "
                             f"Got {constant!r} instead.")
        self._lines[name] = None if constant is None else int(constant)
        self._cache.clear()
        return self

    def add_neuron(self, name: str, threshold: int, excitatory: Any = (), inhibitory: Any = (), *,
                   initial: int = 0, output: bool = False) -> "MPNetwork":
        """Add a neuron.

        Parameters
        ----------
        name : str
        threshold : int
            Whole number >= 0 of excitatory synapses that must be active together.
        excitatory, inhibitory : sequence of str or mapping of str to int
            The sources (input lines or neurons, possibly not yet added, possibly this neuron
            itself); a name listed twice, or mapped to 2, makes two synapses.
        initial : {0, 1}
            Activity at time 0.
        output : bool
            Add the neuron to ``outputs``.
        """
        self._check_new_name(name, "neuron")
        theta = check_threshold(threshold, owner="MPNetwork.add_neuron")
        if isinstance(initial, bool) or initial not in (0, 1):
            raise ValueError(f"The 'initial' parameter of MPNetwork.add_neuron must be 0 or 1. "
                             f"Got {initial!r} instead.")
        owner = "MPNetwork.add_neuron"
        self._neurons[name] = _Neuron(theta, check_synapses(excitatory, "excitatory", owner=owner),
                                      check_synapses(inhibitory, "inhibitory", owner=owner), int(initial))
        if output:
            self.outputs.append(name)
        self._cache.clear()
        return self

    def connect(self, source: str, target: str, *, inhibitory: bool = False, synapses: int = 1) -> "MPNetwork":
        """Add ``synapses`` excitatory (or inhibitory) synapses from ``source`` onto neuron ``target``."""
        if not isinstance(target, str) or target not in self._neurons:
            raise ValueError(f"The 'target' parameter of MPNetwork.connect must be a neuron of this net. "
                             f"Got {target!r} instead.")
        if not isinstance(source, str) or not source:
            raise TypeError(f"The 'source' parameter of MPNetwork.connect must be a non-empty name. "
                            f"Got {source!r} instead.")
        check_scalar(synapses, "synapses", owner="MPNetwork.connect", kind=numbers.Integral, min_val=1)
        kind = "inhibitory" if inhibitory else "excitatory"
        table = getattr(self._neurons[target], kind)
        for src, k in check_synapses({source: synapses}, kind, owner="MPNetwork.connect").items():
            table[src] = table.get(src, 0) + k
        self._cache.clear()
        return self

    # ------------------------------------------------------------------ looking at it
    @property
    def input_names(self) -> list[str]:
        """The input lines ``run`` needs (constant lines excluded)."""
        return [k for k, c in self._lines.items() if c is None]

    @property
    def line_names(self) -> list[str]:
        """Every input line, constant ones included."""
        return list(self._lines)

    @property
    def neuron_names(self) -> list[str]:
        """The neurons, in the order they were added (the rows of ``weights`` and of ``run_batch``'s output)."""
        return list(self._neurons)

    def constant_lines(self) -> dict[str, int]:
        """The always-on (or always-off) lines and their values."""
        return {k: c for k, c in self._lines.items() if c is not None}

    def neuron(self, name: str) -> dict[str, Any]:
        """``threshold``, ``excitatory`` and ``inhibitory`` (source -> count) and ``initial`` of a neuron."""
        if name not in self._neurons:
            raise ValueError(f"The 'name' parameter of MPNetwork.neuron must be a neuron of this net. "
                             f"Got {name!r} instead.")
        n = self._neurons[name]
        return {"threshold": n.threshold, "excitatory": dict(n.excitatory), "inhibitory": dict(n.inhibitory),
                "initial": n.initial}

    def describe(self) -> list[dict[str, Any]]:
        """One row per neuron: name, threshold, excitatory and inhibitory sources, label."""
        return [{"neuron": k, **self.neuron(k), "computes": self.labels.get(k, "")} for k in self._neurons]

    def targets(self) -> dict[str, set[str]]:
        """Wiring: every line and neuron -> the neurons it has synapses onto (either kind)."""
        out: dict[str, set[str]] = {k: set() for k in (*self._lines, *self._neurons)}
        for tgt, n in self._neurons.items():
            for src in (*n.excitatory, *n.inhibitory):
                out.setdefault(src, set()).add(tgt)
        return out

    @property
    def depth(self) -> int | None:
        """The longest chain of neurons from an input line to an output neuron.

        An input at time ``t`` can influence the outputs up to ``t + depth``; inputs held
        steady give steady outputs from time ``depth`` on. ``None`` when a circle lies on such
        a chain (then the net has memory and no fixed answer time).
        """
        key = ("depth", tuple(self.outputs))     # ``outputs`` is a public list: part of the key
        if key not in self._cache:
            self._cache[key] = longest_chain(self.targets(), self.input_names, self.outputs or self.neuron_names)
        return self._cache[key]

    # ------------------------------------------------------------------ running it
    def synapses(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Coordinate lists ``(rows, cols, n_excitatory, n_inhibitory)`` of every synapse.

        ``rows`` index neurons (``neuron_names``), ``cols`` index sources: the input
        lines (``line_names``), then the neurons.
        """
        col = {k: j for j, k in enumerate((*self._lines, *self._neurons))}
        entries = []
        for i, (name, n) in enumerate(self._neurons.items()):
            for src in dict.fromkeys((*n.excitatory, *n.inhibitory)):
                if src not in col:
                    raise ValueError(f"Neuron {name!r} of this MPNetwork has a synapse from {src!r} (in its "
                                     f"'excitatory' or 'inhibitory' sources), which is neither an input line nor "
                                     f"a neuron.")
                entries.append((i, col[src], n.excitatory.get(src, 0), n.inhibitory.get(src, 0)))
        rows, cols, exc, inh = (np.array(v, dtype=np.intp) for v in zip(*entries)) if entries else (
            np.zeros(0, dtype=np.intp) for _ in range(4))
        return rows, cols, exc, inh

    def weights(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Dense ``(E, I, theta)``: synapse counts (n_neurons, n_lines + n_neurons) and thresholds."""
        rows, cols, exc, inh = self.synapses()
        E, I = (np.zeros((len(self._neurons), len(self._lines) + len(self._neurons))) for _ in range(2))
        np.add.at(E, (rows, cols), exc)
        np.add.at(I, (rows, cols), inh)
        return E, I, np.array([n.threshold for n in self._neurons.values()], dtype=float)

    def _matrix(self, method: str) -> tuple[SynapseMatrix, np.ndarray]:
        if method not in self._cache:
            rows, cols, exc, inh = self.synapses()
            shape = (len(self._neurons), len(self._lines) + len(self._neurons))
            self._cache[method] = (SynapseMatrix.from_counts(rows, cols, exc, inh, shape, method=method),
                                   np.array([n.threshold for n in self._neurons.values()], dtype=float))
        return self._cache[method]

    def run_batch(self, U: np.ndarray, *, initial: np.ndarray | None = None, method: str = "auto") -> np.ndarray:
        """Simulate B runs at once: ``U`` (B, steps, n_lines) of 0/1 -> (B, steps, n_neurons).

        ``U`` gives every line (constant ones included, in ``line_names`` order) at every step; ``initial``
        (B, n_neurons) defaults to each neuron's ``initial``. B x steps x (lines + neurons) <= ``MAX_ENTRIES``.
        """
        check_choice(method, "method", METHODS, owner="MPNetwork.run")
        U, initial = check_batch(U, initial, len(self._lines), [n.initial for n in self._neurons.values()],
                                 "MPNetwork.run_batch")
        W, theta = self._matrix(method)
        return simulate(W, theta, U, initial)

    def run(self, inputs: Mapping[str, Any] | None = None, *, steps: int | None = None,
            initial: Mapping[str, int] | None = None, method: str = "auto") -> dict[str, np.ndarray]:
        """Simulate the net and return every line's and every neuron's spike train.

        Parameters
        ----------
        inputs : mapping of str to sequence of 0/1
            One train per input line (constant lines excepted), all of length ``T``.
        steps : int, optional
            Time steps to simulate, ``>= T``; default ``T + depth`` (``T`` when the net has
            circles), so that the answer to the last input is included. The lines are silent
            after their trains end. At most ``MAX_ENTRIES`` steps x (lines + neurons).
        initial : mapping of str to {0, 1}, optional
            Activity of some neurons at time 0 (default: each neuron's ``initial``).
        method : {"auto", "dense", "sparse"}
            How the synapse matrix is stored; the results are identical.

        Returns
        -------
        dict of str to ndarray of int8, shape (steps,)
            Lines first, then neurons; entry ``t`` is the activity at time ``t``. A neuron at
            ``t`` answers for its synapses at ``t - 1``; at ``t = 0`` it shows ``initial``.
        """
        trains, T = check_trains({} if inputs is None else inputs, self.input_names, owner="MPNetwork.run")
        if steps is None:
            if T is None:
                raise ValueError("The 'steps' parameter of MPNetwork.run is needed for a net without input lines.")
            steps = T + (self.depth or 0)
        check_scalar(steps, "steps", owner="MPNetwork.run", kind=numbers.Integral, min_val=max(1, T or 0))
        check_run_size(1, steps, len(self._lines) + len(self._neurons), "steps", "MPNetwork.run")
        U = np.zeros((1, steps, len(self._lines)))
        for j, (name, const) in enumerate(self._lines.items()):
            U[0, :, j] = const if const is not None else np.pad(trains[name], (0, steps - T))
        init = np.array([[n.initial for n in self._neurons.values()]])
        if not isinstance(initial, (Mapping, type(None))):
            raise TypeError(f"The 'initial' parameter of MPNetwork.run must be a mapping. Got {initial!r} instead.")
        for name, v in (initial or {}).items():
            if name not in self._neurons:
                raise ValueError(f"The 'initial' parameter of MPNetwork.run names {name!r}, which is not a neuron.")
            init[0, list(self._neurons).index(name)] = check_spikes([v], f"initial[{name!r}]", owner="MPNetwork.run")[0]
        S = self.run_batch(U, initial=init, method=method)[0]
        out = {name: U[0, :, j].astype(np.int8) for j, name in enumerate(self._lines)}
        out.update({name: S[:, i] for i, name in enumerate(self._neurons)})
        return out

    def truth_table(self, *, time: int | None = None) -> TruthTable:
        """The outputs at ``time`` for every combination of input lines held steady from time 0.

        ``time`` defaults to ``depth`` (required for a net with circles).
        """
        return held_input_table(self, time)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(inputs={self.input_names}, neurons={len(self._neurons)}, "
                f"outputs={self.outputs})")
