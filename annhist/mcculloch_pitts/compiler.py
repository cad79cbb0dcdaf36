"""Theorem II made executable: compile a temporal propositional expression into a net.

McCulloch and Pitts (1943) prove that every TPE that is false when all its atoms are false
is realized by a net without circles (Theorems II and III). ``compile_formula`` builds
such a net from the formula's parse tree. Every signal ``S`` it builds is *guarded*: a neuron
realizes ``G(S) = S and any``, where ``any`` is the disjunction of all the formula's atoms.

* an atom ``x[t-k]`` is the input line ``x``, or a chain of delay neurons (threshold 1);
* ``S1 or ... or Sm``: one neuron of threshold 1 with an excitatory synapse from each ``G(Si)``;
* ``P1 and ... and Pm and not Q1 and ... and not Qn`` (m >= 1): one neuron of threshold ``m``,
  excitatory from the ``G(Pi)``, inhibitory from the ``G(Qj)`` -- absolute inhibition does the
  negation, as in the paper's Fig. 1d; ``not (Q1 or Q2)`` inhibits from ``G(Q1)`` and ``G(Q2)``
  (and ``not (not P or Q)`` counts ``P`` as positive: De Morgan);
* with no positive term (``not Q1 and ...``) the neuron takes its excitation from ``any``.

Each neuron answers one synaptic delay after its sources, so shallower operands are delayed
until they line up. The output neuron then fires at time ``t + depth`` iff the formula is true
at time ``t`` (lines silent before time 0); ``depth`` is the smallest delay >= 0 this
construction allows, and it is 0 when the formula is written, as in the paper, with enough
delay on every atom: ``"heat[t-1] or (cold[t-3] and not cold[t-2])"`` compiles to the heat
half of Fig. 1e, neuron for neuron.

Because the formula is false when all atoms are false, ``F = G(F)``. A formula *true* when all
atoms are false (``not a``) has no such net: Theorem III. ``drive=True`` -- not part of the
1943 calculus -- adds an always-on input line ``on`` that supplies the missing excitation.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from annhist.mcculloch_pitts.dynamics import check_run_size
from annhist.mcculloch_pitts.formula import And, Atom, Formula, Not, Or, atoms_of, shift, to_text, true_when_silent
from annhist.mcculloch_pitts.network import MPNetwork
from annhist.mcculloch_pitts.parser import parse_formula
from annhist.mcculloch_pitts.table import TruthTable, all_combinations

__all__ = ["compile_formula", "CompiledNetwork"]

DRIVE_LINE = "on"


def _normalize(node: Formula) -> Formula:
    """Drop double negations, flatten nested and/or, remove repeated operands (all equivalences)."""
    if isinstance(node, Atom):
        return node
    if isinstance(node, Not):
        inner = _normalize(node.arg)
        return inner.arg if isinstance(inner, Not) else Not(inner)
    args: list[Formula] = []
    for a in map(_normalize, node.args):
        for b in (a.args if type(a) is type(node) else (a,)):
            if b not in args:
                args.append(b)
    return args[0] if len(args) == 1 else type(node)(tuple(args))


def _parts(node: And | Not) -> tuple[list[Formula], list[Formula]]:
    """The excitatory and the inhibitory operands of a conjunction (``not`` alone is one)."""
    pos: list[Formula] = []
    neg: list[Formula] = []
    for a in (node.args if isinstance(node, And) else (node,)):
        if not isinstance(a, Not):
            pos.append(a)
        elif isinstance(a.arg, Or):            # not (q1 or not p) = not q1 and p: De Morgan
            for q in a.arg.args:
                (pos.append(q.arg) if isinstance(q, Not) else neg.append(q))
        else:
            neg.append(a.arg)
    return pos, neg


class _Builder:
    """Realizes guarded signals ``G(S)`` at a given lag: activity at ``t`` = ``G(S)`` at ``t - lag``."""

    def __init__(self, net: MPNetwork, guard: Formula | None) -> None:
        self.net, self.guard = net, guard            # guard None: the always-on line (drive=True)
        self.memo: dict[tuple[Formula, int], str] = {}
        self.lags: dict[Formula, int] = {}
        self.ids = itertools.count(1)

    def min_lag(self, node: Formula) -> int:
        """The smallest lag at which ``G(node)`` can be realized (an input line has lag ``-k``)."""
        if node not in self.lags:
            if isinstance(node, Atom):
                lag = -node.delay
            elif isinstance(node, Or):
                lag = max(map(self.min_lag, node.args)) + 1
            else:
                pos, neg = _parts(node)
                extra = [self.guard] if not pos and self.guard is not None else []
                lag = max(map(self.min_lag, [*pos, *neg, *extra])) + 1
            self.lags[node] = lag
        return self.lags[node]

    def realize(self, node: Formula, lag: int, name: str | None = None) -> str:
        """The line or neuron whose activity at ``t`` is ``G(node)`` at ``t - lag``."""
        assert lag >= self.min_lag(node), "a signal cannot be realized before its sources"
        if (node, lag) in self.memo:
            return self.memo[(node, lag)]
        if isinstance(node, Atom) and node.delay:   # x[t-k] at lag l is x at lag l + k: share the chain
            return self.realize(Atom(node.name), lag + node.delay, name)
        if isinstance(node, Atom):                 # the line, then a chain of delay neurons
            src, at = node.name, 0
            while at < lag:
                at += 1
                src = self.memo.get((node, at)) or self._neuron(node, at, 1, [src], [], name if at == lag else None)
            return src
        if isinstance(node, Or):
            return self._neuron(node, lag, 1, [self.realize(a, lag - 1) for a in node.args], [], name)
        pos, neg = _parts(node)
        if pos:
            exc = [self.realize(p, lag - 1) for p in pos]
        else:                                      # no positive term: excitation from "any" (or "on")
            exc = [DRIVE_LINE if self.guard is None else self.realize(self.guard, lag - 1)]
        inh = [self.realize(q, lag - 1) for q in neg]
        return self._neuron(node, lag, max(len(pos), 1), exc, inh, name)

    def _neuron(self, node: Formula, lag: int, theta: int, exc: list[str], inh: list[str], name: str | None) -> str:
        name = name or f"_{'d' if isinstance(node, Atom) else 'g'}{next(self.ids)}"
        silent = true_when_silent(node)            # only possible for a conjunction of negations
        computed = And((self.guard, node)) if silent and self.guard is not None else node
        # With the drive line, each neuron starts as if the line had always been on (inputs silent).
        self.net.add_neuron(name, theta, exc, inh, initial=int(silent and self.guard is None))
        self.net.labels[name] = to_text(shift(computed, lag))
        self.memo[(node, lag)] = name
        return name


class CompiledNetwork(MPNetwork):
    """An ``MPNetwork`` built by ``compile_formula``, with the formula it realizes.

    Attributes
    ----------
    formula : str
        The formula as given; ``tree`` is its parse tree and ``atoms`` its distinct atoms.
    output : str
        The output neuron: it fires at ``t + depth`` iff the formula holds at ``t``.
    drive : bool
        True when the non-1943 always-on line ``on`` was added.
    """

    def __init__(self, formula: str, tree: Formula, output: str, drive: bool) -> None:
        super().__init__()
        self.formula, self.tree, self.output, self.drive = formula, tree, output, drive
        self.atoms = atoms_of(tree)
        self._depth = 0

    @property
    def depth(self) -> int:
        """Steps from the formula's time to the output's answer: ``out(t + depth) = F(t)``."""
        return self._depth

    def evaluate(self, inputs: Any) -> np.ndarray:
        """The net's verdict on ``F(t)`` for ``t = 0 .. T-1``: the output train from ``depth`` on."""
        return self.run(inputs)[self.output][self.depth:]

    def truth_table(self) -> TruthTable:  # type: ignore[override]
        """The output for every assignment of the formula's atoms (``y[t-3]`` and ``y[t-2]`` apart).

        Each row becomes input trains of length ``K + 1`` (``K`` the largest delay) that give
        the atoms their values at the formula's time ``t = K``; the output is read at
        ``K + depth``.
        """
        X = all_combinations(len(self.atoms), "atoms")                             # (2**n, n)
        K = max(a.delay for a in self.atoms)
        check_run_size(X.shape[0], K + 1 + self.depth, len(self.line_names) + len(self.neuron_names), "formula",
                       "CompiledNetwork.truth_table")                             # many atoms and long delays
        U = np.zeros((X.shape[0], K + 1 + self.depth, len(self.line_names)))
        for j, line in enumerate(self.line_names):
            if line == DRIVE_LINE and self.drive:
                U[:, :, j] = 1
            for col, atom in enumerate(self.atoms):
                if atom.name == line:
                    U[:, K - atom.delay, j] = X[:, col]                          # x(t - k) at t = K
        S = self.run_batch(U)
        Y = S[:, K + self.depth, [self.neuron_names.index(self.output)]]
        return TruthTable(tuple(to_text(a) for a in self.atoms), (self.output,), X, Y)


def compile_formula(formula: str, *, output: str = "out", drive: bool = False) -> CompiledNetwork:
    """Build a net of McCulloch-Pitts neurons that realizes a temporal propositional expression.

    Parameters
    ----------
    formula : str
        ``and``, ``or``, ``not``, parentheses and atoms ``x`` or ``x[t-k]``, e.g.
        ``"(a and b) or (c and not d)"`` or ``"x[t-1] or (y[t-3] and not y[t-2])"``.
    output : str
        Name of the output neuron.
    drive : bool, default False
        **Not in the 1943 paper.** Allow a formula that is true when all its atoms are false
        by adding an always-on input line ``"on"`` (filled in by ``run``); its neurons start
        as if the line had always been on.

    Returns
    -------
    CompiledNetwork
        Its ``output`` neuron fires at ``t + depth`` iff the formula holds at ``t``; ``run``
        simulates ``depth`` extra steps by default and ``truth_table`` reads at the right time.

    Raises
    ------
    FormulaError
        (a ``ValueError``) malformed text, with the position of the error.
    ValueError
        The formula is true when all its atoms are false, and ``drive`` is False
        (McCulloch & Pitts 1943, Theorem III); or a variable is named like the output or ``on``.

    References
    ----------
    W. S. McCulloch and W. Pitts, "A logical calculus of the ideas immanent in nervous
    activity", Bulletin of Mathematical Biophysics 5:115-133, 1943, Theorems II and III.

    Examples
    --------
    >>> net = compile_formula("a and not b")
    >>> net.depth, net.run({"a": [1, 1, 0], "b": [0, 1, 0]})["out"].tolist()
    (1, [0, 1, 0, 0])
    """
    if not isinstance(drive, (bool, np.bool_)):
        raise TypeError(f"The 'drive' parameter of compile_formula must be a bool. Got {drive!r} instead.")
    if not isinstance(output, str) or not output or output.startswith("_"):
        raise ValueError(f"The 'output' parameter of compile_formula must be a non-empty name not starting "
                         f"with '_'. Got {output!r} instead.")
    tree = parse_formula(formula, owner="compile_formula")
    names = sorted({a.name for a in atoms_of(tree)})
    silent = true_when_silent(tree)
    if output in names:
        raise ValueError(f"The formula of compile_formula uses the variable {output!r}, which is also the 'output' "
                         f"parameter (the output neuron's name); rename one of them.")
    if drive and silent and DRIVE_LINE in names:
        raise ValueError(f"The formula of compile_formula uses the variable {DRIVE_LINE!r}, the name of the drive "
                         f"line that drive=True adds; rename it.")
    if silent and not drive:
        raise ValueError(f"The formula {formula!r} is true when all its atoms are false, so no net of McCulloch-Pitts "
                         f"neurons realizes it: a neuron fires only when some synapse excites it "
                         f"(McCulloch & Pitts 1943, Theorem III). Pass drive=True to add an always-on input line "
                         f"(not part of the 1943 calculus).")
    node = _normalize(tree)
    net = CompiledNetwork(formula, tree, output, bool(drive and silent))
    for name in names:
        net.add_input(name)
    guard: Formula | None = None
    if net.drive:
        net.add_input(DRIVE_LINE, constant=1)
    else:
        atoms = atoms_of(node)
        guard = atoms[0] if len(atoms) == 1 else Or(tuple(atoms))     # "any": some atom is true
    builder = _Builder(net, guard)
    lowest = -node.delay + 1 if isinstance(node, Atom) else builder.min_lag(node)
    net._depth = max(0, lowest)
    builder.realize(node, net._depth, name=output)
    net.outputs = [output]
    return net

