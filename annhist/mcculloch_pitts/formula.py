"""Temporal propositional expressions (TPEs) as trees, and their truth values over time.

McCulloch and Pitts (1943) describe what a neuron does by a logical expression over the
past activity of other neurons, e.g. for the heat/cold illusion of their Fig. 1e::

    feel_heat(t)  <=>  heat(t-1) or (cold(t-3) and not cold(t-2))

Here the expression is a tree of ``Atom`` (``heat[t-1]``), ``Not``, ``And``
and ``Or``; ``parse_formula`` reads it from text.
``evaluate_formula`` gives its truth value at every time step of given spike trains --
the specification every compiled net is tested against.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Union

import numpy as np

from annhist.mcculloch_pitts.neuron import check_trains

__all__ = ["Atom", "Not", "And", "Or", "Formula", "atoms_of", "to_text", "shift", "true_when_silent",
           "evaluate_formula"]


@dataclass(frozen=True)
class Atom:
    """The variable ``name`` as it was ``delay`` steps ago: ``name[t-delay]``."""

    name: str
    delay: int = 0


@dataclass(frozen=True)
class Not:
    """``not arg``."""

    arg: "Formula"


@dataclass(frozen=True)
class And:
    """``args[0] and args[1] and ...`` (two or more operands)."""

    args: tuple["Formula", ...]


@dataclass(frozen=True)
class Or:
    """``args[0] or args[1] or ...`` (two or more operands)."""

    args: tuple["Formula", ...]


Formula = Union[Atom, Not, And, Or]


def atoms_of(node: Formula) -> list[Atom]:
    """The distinct atoms of ``node``, sorted by name and then by delay."""
    found: set[Atom] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Atom):
            found.add(n)
        elif isinstance(n, Not):
            stack.append(n.arg)
        else:
            stack.extend(n.args)
    return sorted(found, key=lambda a: (a.name, a.delay))


def to_text(node: Formula) -> str:
    """Write ``node`` back as text that ``parse_formula`` reads (fully parenthesised)."""
    if isinstance(node, Atom):
        return node.name if node.delay == 0 else f"{node.name}[t-{node.delay}]"
    if isinstance(node, Not):
        inner = to_text(node.arg)
        return f"not {inner}" if isinstance(node.arg, (Atom, Not)) else f"not ({inner})"
    word = " and " if isinstance(node, And) else " or "
    parts = [to_text(a) if isinstance(a, (Atom, Not)) else f"({to_text(a)})" for a in node.args]
    return word.join(parts)


def shift(node: Formula, steps: int) -> Formula:
    """``node`` evaluated ``steps`` steps later: every delay grows by ``steps`` (which may be < 0)."""
    if isinstance(node, Atom):
        return Atom(node.name, node.delay + steps)
    if isinstance(node, Not):
        return Not(shift(node.arg, steps))
    return type(node)(tuple(shift(a, steps) for a in node.args))


def true_when_silent(node: Formula) -> bool:
    """The value of ``node`` when every atom is false (Theorem III asks for ``False``)."""
    if isinstance(node, Atom):
        return False
    if isinstance(node, Not):
        return not true_when_silent(node.arg)
    vals = [true_when_silent(a) for a in node.args]
    return all(vals) if isinstance(node, And) else any(vals)


def _values(node: Formula, trains: Mapping[str, np.ndarray], T: int) -> np.ndarray:
    if isinstance(node, Atom):
        out = np.zeros(T, dtype=bool)                 # before time 0 every line was silent
        if node.delay < T:
            out[node.delay:] = trains[node.name][:T - node.delay] == 1
        return out
    if isinstance(node, Not):
        return ~_values(node.arg, trains, T)
    vals = [_values(a, trains, T) for a in node.args]
    return np.logical_and.reduce(vals) if isinstance(node, And) else np.logical_or.reduce(vals)


def evaluate_formula(formula: str | Formula, inputs: Mapping[str, Any]) -> np.ndarray:
    """The truth value of a TPE at every time step of the given input trains.

    ``F(t)`` is computed from ``x[t-k] = inputs[x][t-k]``, with every line silent (0) before
    time 0. This is the specification a compiled net is tested against.

    Parameters
    ----------
    formula : str or Formula
    inputs : mapping of str to sequence of 0/1
        One spike train per variable of the formula, all of the same length ``T`` (trains of
        other names are checked and ignored, so a net's whole input can be passed).

    Returns
    -------
    ndarray of int8, shape (T,)

    Examples
    --------
    >>> evaluate_formula("x[t-1] and not y", {"x": [1, 1, 0], "y": [0, 1, 0]}).tolist()
    [0, 0, 1]
    """
    from annhist.mcculloch_pitts.parser import parse_formula   # the parser imports this module

    node = parse_formula(formula, owner="evaluate_formula") if isinstance(formula, str) else formula
    names = sorted({a.name for a in atoms_of(node)})
    extra = [k for k in inputs if isinstance(k, str)] if isinstance(inputs, Mapping) else []
    trains, T = check_trains(inputs, names, owner="evaluate_formula", optional=extra)
    return _values(node, trains, T).astype(np.int8)
