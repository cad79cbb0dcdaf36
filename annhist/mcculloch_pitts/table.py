"""The truth table of a net: every input combination and the outputs it gives."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

__all__ = ["TruthTable", "all_combinations", "MAX_COLUMNS"]

MAX_COLUMNS = 16   # 2**16 rows at most


def all_combinations(n: int, what: str = "inputs") -> np.ndarray:
    """All ``2**n`` rows of 0/1, shape (2**n, n), in counting order (first column slowest)."""
    if n > MAX_COLUMNS:
        raise ValueError(f"A truth table over {n} {what} has too many rows; at most {MAX_COLUMNS} are tabulated.")
    return np.array(list(itertools.product((0, 1), repeat=n)), dtype=np.int8).reshape(-1, n)


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
