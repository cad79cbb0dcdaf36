"""Which Boolean functions one threshold unit computes: the 16 of two inputs, and the best a unit can do.

Each function is decided by the linear program of :func:`annhist.xor.separability.separate`
(a separator, or a Farkas certificate that none exists).
"""

from __future__ import annotations

import itertools
import numbers
from typing import Any

import numpy as np

from annhist.datasets.classic import binary_inputs
from annhist.validation import check_array, check_scalar
from annhist.xor.separability import pm_labels, separate

__all__ = ["BOOLEAN_FUNCTIONS", "separable_functions", "best_linear_accuracy", "MAX_FUNCTION_INPUTS"]

#: The most inputs :func:`separable_functions` enumerates the Boolean functions of: one LP per function, 2**(2**n)
#: of them -- 256 for 3 inputs (about 1 s), 65,536 for 4 (259 s), 2**32 for 5 (never finished).
MAX_FUNCTION_INPUTS = 3

# The 16 Boolean functions of two inputs (A, B), keyed by their outputs on (0,0), (0,1), (1,0), (1,1).
# The table only *names* them; whether one threshold unit computes each is decided by an LP.
BOOLEAN_FUNCTIONS: dict[tuple[int, int, int, int], str] = {
    (0, 0, 0, 0): "FALSE", (0, 0, 0, 1): "AND", (0, 0, 1, 0): "A AND NOT B", (0, 0, 1, 1): "A",
    (0, 1, 0, 0): "NOT A AND B", (0, 1, 0, 1): "B", (0, 1, 1, 0): "XOR", (0, 1, 1, 1): "OR",
    (1, 0, 0, 0): "NOR", (1, 0, 0, 1): "XNOR", (1, 0, 1, 0): "NOT B", (1, 0, 1, 1): "A OR NOT B",
    (1, 1, 0, 0): "NOT A", (1, 1, 0, 1): "NOT A OR B", (1, 1, 1, 0): "NAND", (1, 1, 1, 1): "TRUE",
}


def separable_functions(n_inputs: int = 2) -> list[dict[str, Any]]:
    """For each of the ``2**(2**n_inputs)`` Boolean functions, whether one threshold unit computes it.

    Each is decided by ``separate``. Two-input functions carry their usual name
    (``BOOLEAN_FUNCTIONS``); 14 of the 16 are separable, XOR and XNOR are not. ``n_inputs`` is 1 to
    ``MAX_FUNCTION_INPUTS``.
    """
    check_scalar(n_inputs, "n_inputs", owner="separable_functions", kind=numbers.Integral, min_val=1,
                 max_val=MAX_FUNCTION_INPUTS)
    X = binary_inputs(n_inputs)
    out = []
    for outputs in itertools.product((0, 1), repeat=X.shape[0]):
        sep = separate(X, np.array(outputs))
        name = BOOLEAN_FUNCTIONS.get(outputs, "".join(map(str, outputs))) if n_inputs == 2 else "".join(
            map(str, outputs))
        out.append({"name": name, "outputs": list(outputs), **sep.to_dict()})
    return out


def best_linear_accuracy(X: Any, y: Any) -> tuple[float, list[list[int]]]:
    """The best accuracy any single threshold unit reaches on ``(X, y)``, by exhaustive search.

    Every labelling ``z`` of the ``n`` points is tried (``2**n`` of them, so ``n <= 16``); those an
    LP finds separable are the labellings a threshold unit can produce, and the best of them
    agrees with ``y`` on the most points.

    Returns
    -------
    accuracy : float
    best : list of list of int
        The separable labellings (in {0, 1}) that reach it.
    """
    X = check_array(X, "X", owner="best_linear_accuracy")
    target = pm_labels(y, owner="best_linear_accuracy")
    if X.shape[0] > 16 or target.shape[0] != X.shape[0]:
        raise ValueError(f"The 'X' and 'y' parameters of best_linear_accuracy must match, with at most 16 points. "
                         f"Got {X.shape[0]} and {target.shape[0]}.")
    best, which = -1, []
    for z in itertools.product((-1.0, 1.0), repeat=X.shape[0]):
        agree = int(np.sum(np.asarray(z) == target))
        if agree < best or not separate(X, np.asarray(z)).feasible:
            continue
        if agree > best:
            best, which = agree, []
        which.append([int(v > 0) for v in z])
    return best / X.shape[0], which
