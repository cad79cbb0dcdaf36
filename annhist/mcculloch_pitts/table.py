"""The truth table of a net: every input combination and the outputs it gives."""

from __future__ import annotations

import itertools
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from annhist.mcculloch_pitts.dynamics import check_run_size
from annhist.validation import check_scalar

__all__ = ["TruthTable", "all_combinations", "held_input_table", "MAX_COLUMNS"]

MAX_COLUMNS = 16   # 2**16 rows at most


def all_combinations(n: int, what: str = "inputs") -> np.ndarray:
    """All ``2**n`` rows of 0/1, shape (2**n, n), in counting order (first column slowest); ``n`` is 0 to
    ``MAX_COLUMNS`` (``n = 0``: one empty row)."""
    check_scalar(n, "n", owner="all_combinations", kind=numbers.Integral, min_val=0)
    if n > MAX_COLUMNS:
        raise ValueError(f"A truth table over {n} {what} has too many rows; at most {MAX_COLUMNS} are tabulated.")
    return np.array(list(itertools.product((0, 1), repeat=n)), dtype=np.int8).reshape(2 ** n, n)


@dataclass(frozen=True)
class TruthTable:
    """Every input combination (rows of ``X``) and the outputs it gives (rows of ``Y``)."""

    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    X: np.ndarray
    Y: np.ndarray

    def __str__(self) -> str:
        widths = [max(len(c), 1) for c in (*self.inputs, *self.outputs)]
        head = " ".join(c.rjust(w) for c, w in zip(self.inputs, widths)) + " | " + " ".join(
            c.rjust(w) for c, w in zip(self.outputs, widths[len(self.inputs):]))
        lines = [head, "-" * len(head)]
        for x, y in zip(self.X, self.Y):
            lines.append(" ".join(str(v).rjust(w) for v, w in zip(x, widths)) + " | " + " ".join(
                str(v).rjust(w) for v, w in zip(y, widths[len(self.inputs):])))
        return "\n".join(lines)


def held_input_table(net: Any, time: int | None = None) -> TruthTable:
    """``MPNetwork.truth_table``: every input combination held steady from time 0, outputs read at ``time``.

    ``time`` defaults to ``net.depth`` (required for a net with circles, whose depth is None); the
    ``2**n`` runs of ``time + 1`` steps are at most ``MAX_ENTRIES`` entries with the lines and neurons.
    """
    names = net.input_names
    X = all_combinations(len(names), "input lines")                           # (2**n, n)
    if time is None:
        time = net.depth
        if time is None:
            raise ValueError("This MPNetwork has circles: pass the 'time' parameter of truth_table.")
    check_scalar(time, "time", owner="MPNetwork.truth_table", kind=numbers.Integral, min_val=0)
    check_run_size(X.shape[0], time + 1, len(net.line_names) + len(net.neuron_names), "time", "MPNetwork.truth_table")
    outs = net.outputs or net.neuron_names
    unknown = [o for o in outs if o not in net.neuron_names]
    if unknown:
        raise ValueError(f"The 'outputs' attribute of this MPNetwork names {unknown}, which are not neurons.")
    U = np.zeros((X.shape[0], time + 1, len(net.line_names)))                # (rows, steps, lines)
    for j, name in enumerate(net.line_names):
        const = net.constant_lines().get(name)
        U[:, :, j] = const if const is not None else X[:, [names.index(name)]]
    Y = net.run_batch(U)[:, time, [net.neuron_names.index(o) for o in outs]]
    return TruthTable(tuple(names), tuple(outs), X, Y)
