"""The meaning of a temporal propositional expression: its truth value at every time step.

:func:`evaluate_formula` is the specification that compiled nets are tested against. It lives
apart from :mod:`~annhist.mcculloch_pitts.formula` because it reads text through the parser,
which itself builds formula nodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from annhist.mcculloch_pitts.formula import And, Atom, Formula, Not, atoms_of
from annhist.mcculloch_pitts.neuron import check_trains
from annhist.mcculloch_pitts.parser import parse_formula

__all__ = ["evaluate_formula"]


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
    node = parse_formula(formula, owner="evaluate_formula") if isinstance(formula, str) else formula
    names = sorted({a.name for a in atoms_of(node)})
    extra = [k for k in inputs if isinstance(k, str)] if isinstance(inputs, Mapping) else []
    trains, T = check_trains(inputs, names, owner="evaluate_formula", optional=extra)
    return _values(node, trains, T).astype(np.int8)
