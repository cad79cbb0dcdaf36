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

import numbers
from dataclasses import dataclass
from typing import Union

__all__ = ["Atom", "Not", "And", "Or", "Formula", "atoms_of", "to_text", "shift", "true_when_silent"]


@dataclass(frozen=True)
class Atom:
    """The variable ``name`` as it was ``delay`` steps ago: ``name[t-delay]`` (``delay`` a whole number >= 0)."""

    name: str
    delay: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"The 'name' parameter of Atom must be a non-empty string (a variable). "
                            f"Got {self.name!r:.60} instead.")
        if isinstance(self.delay, bool) or not isinstance(self.delay, numbers.Integral):
            raise TypeError(f"The 'delay' parameter of Atom must be a whole number of time steps. "
                            f"Got {self.delay!r:.60} of type {type(self.delay).__name__} instead.")
        if self.delay < 0:
            raise ValueError(f"The 'delay' parameter of Atom must be >= 0 (a neuron only looks into the past). "
                             f"Got {self.delay} instead.")
        object.__setattr__(self, "delay", int(self.delay))     # np.int64(2) and 2: the same atom, the same hash


@dataclass(frozen=True)
class Not:
    """``not arg``."""

    arg: "Formula"


def _check_operands(node: "And | Or") -> None:
    """Two or more operands, kept as a tuple (a list is converted); the operands are checked where they are read."""
    args = node.args
    if not isinstance(args, (tuple, list)) or len(args) < 2:
        kind = type(node).__name__
        raise (TypeError if not isinstance(args, (tuple, list)) else ValueError)(
            f"The 'args' parameter of {kind} must be a tuple of two or more formulas (for one, use the formula "
            f"itself). Got {args!r:.60} instead.")
    object.__setattr__(node, "args", tuple(args))


@dataclass(frozen=True)
class And:
    """``args[0] and args[1] and ...`` (two or more operands)."""

    args: tuple["Formula", ...]

    def __post_init__(self) -> None:
        _check_operands(self)


@dataclass(frozen=True)
class Or:
    """``args[0] or args[1] or ...`` (two or more operands)."""

    args: tuple["Formula", ...]

    def __post_init__(self) -> None:
        _check_operands(self)


Formula = Union[Atom, Not, And, Or]


def _check_node(node: object, owner: str) -> None:
    """Refuse anything but a formula node (text is read by ``parse_formula`` first)."""
    if not isinstance(node, (Atom, Not, And, Or)):
        raise TypeError(f"The 'node' parameter of {owner} must be a formula tree (Atom, Not, And or Or; "
                        f"parse_formula reads text). Got {node!r:.60} of type {type(node).__name__} instead.")


def atoms_of(node: Formula) -> list[Atom]:
    """The distinct atoms of ``node``, sorted by name and then by delay."""
    found: set[Atom] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        _check_node(n, "atoms_of")
        if isinstance(n, Atom):
            found.add(n)
        elif isinstance(n, Not):
            stack.append(n.arg)
        else:
            stack.extend(n.args)
    return sorted(found, key=lambda a: (a.name, a.delay))


def to_text(node: Formula) -> str:
    """Write ``node`` back as text that ``parse_formula`` reads (fully parenthesised)."""
    _check_node(node, "to_text")
    if isinstance(node, Atom):
        return node.name if node.delay == 0 else f"{node.name}[t-{node.delay}]"
    if isinstance(node, Not):
        inner = to_text(node.arg)
        return f"not {inner}" if isinstance(node.arg, (Atom, Not)) else f"not ({inner})"
    word = " and " if isinstance(node, And) else " or "
    parts = [to_text(a) if isinstance(a, (Atom, Not)) else f"({to_text(a)})" for a in node.args]
    return word.join(parts)


def shift(node: Formula, steps: int) -> Formula:
    """``node`` evaluated ``steps`` steps later: every delay grows by ``steps`` (which may be < 0 while every
    delay stays >= 0)."""
    _check_node(node, "shift")
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral):
        raise TypeError(f"The 'steps' parameter of shift must be an int. Got {steps!r:.60} instead.")
    if isinstance(node, Atom):
        if node.delay + steps < 0:
            raise ValueError(f"The 'steps' parameter of shift moves {to_text(node)} {-steps} steps back, into the "
                             f"future (a delay must stay >= 0). Got {steps} instead.")
        return Atom(node.name, node.delay + steps)
    if isinstance(node, Not):
        return Not(shift(node.arg, steps))
    return type(node)(tuple(shift(a, steps) for a in node.args))


def true_when_silent(node: Formula) -> bool:
    """The value of ``node`` when every atom is false (Theorem III asks for ``False``)."""
    _check_node(node, "true_when_silent")
    if isinstance(node, Atom):
        return False
    if isinstance(node, Not):
        return not true_when_silent(node.arg)
    vals = [true_when_silent(a) for a in node.args]
    return all(vals) if isinstance(node, And) else any(vals)
