"""The Mark I's fixed parts: the plugboard, the R-unit codes, and its labels' check.

The plugboard (Hay, Martin & Wightman 1960; Rosenblatt 1962) wires each A-unit to a few
S-units by excitatory (+1) or inhibitory (-1) connections that never learn; no S-unit feeds
more than ``max_fan_out`` (40 on the machine) A-units. The R-units name a class by a code of
+1/-1 answers (:func:`response_codes`).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from sklearn.utils.multiclass import check_classification_targets

from annhist.base import column_y
from annhist.layers import MAX_WEIGHTS
from annhist.validation import check_choice, check_random_state, check_scalar

__all__ = ["wire_plugboard", "check_plugboard_size", "response_codes", "check_labels", "check_theta",
           "MAX_CODE_ENTRIES"]

#: The most entries ``n_classes x R-units used`` of the code table :func:`response_codes` builds (float64, 8 MB):
#: the Mark I had 8 R-units, so at most 256 classes; ``n_classes=10**12`` would be terabytes.
MAX_CODE_ENTRIES = 2**20


def check_plugboard_size(n_association: int, n_sensory: int, *, owner: str, sensory: str = "'n_sensory'") -> None:
    """The (A, S) plugboard holds at most :data:`annhist.initializers.MAX_WEIGHTS` entries, as a layer's weights:
    10**6 A-units on 10**6 S-units asked for 931 GiB (and a loop of 10**6 draws over 10**6 sockets)."""
    n_association, n_sensory = int(n_association), int(n_sensory)     # Python ints: numpy int64 wraps around
    if n_association * n_sensory > MAX_WEIGHTS:
        raise ValueError(f"The 'n_association' parameter of {owner} asks for a plugboard of {n_association:,} A-units "
                         f"x {n_sensory:,} S-units ({sensory}) = {n_association * n_sensory:,} sockets, more than "
                         f"MAX_WEIGHTS = {MAX_WEIGHTS:,}.")


def wire_plugboard(rng: np.random.Generator, *, n_sensory: int = 400, n_association: int = 512,
                   n_excitatory: int = 10, n_inhibitory: int = 10, max_fan_out: int = 40) -> np.ndarray:
    """Random fixed S->A wiring: an (A, S) array of -1/0/+1.

    Each A-unit gets ``n_excitatory`` (+1) and ``n_inhibitory`` (-1) connections from distinct
    S-units; no S-unit feeds more than ``max_fan_out`` A-units (S-units with more free sockets
    are proportionally likelier to be chosen, so the plugboard fills evenly). ``rng``: a
    ``numpy.random.Generator`` (used as it is), an int seed or None, as ``random_state`` elsewhere.
    A x S is at most ``MAX_WEIGHTS`` (:func:`check_plugboard_size`).
    """
    rng = check_random_state(rng, owner="wire_plugboard")
    for name, value, low in (("n_sensory", n_sensory, 1), ("n_association", n_association, 1),
                             ("n_excitatory", n_excitatory, 0), ("n_inhibitory", n_inhibitory, 0),
                             ("max_fan_out", max_fan_out, 1)):
        check_scalar(value, name, owner="wire_plugboard", kind=numbers.Integral, min_val=low)
    check_plugboard_size(n_association, n_sensory, owner="wire_plugboard")
    k = n_excitatory + n_inhibitory
    if n_association * k > n_sensory * max_fan_out or k > n_sensory:
        raise ValueError(f"The 'n_excitatory' and 'n_inhibitory' parameters of wire_plugboard ask for more than "
                         f"the plugboard holds: {n_association} A-units x {k} connections with "
                         f"{n_sensory} S-units of fan-out <= {max_fan_out}.")
    C = np.zeros((n_association, n_sensory), dtype=np.int8)
    free = np.full(n_sensory, max_fan_out)                   # free sockets per S-unit
    signs = np.r_[np.ones(n_excitatory), -np.ones(n_inhibitory)].astype(np.int8)
    for a in range(n_association):
        if np.count_nonzero(free) < k:
            raise ValueError("The plugboard ran out of free S-units: lower the 'n_excitatory' and 'n_inhibitory' "
                             "parameters (fewer connections per A-unit).")
        src = rng.choice(n_sensory, size=k, replace=False, p=free / free.sum())
        C[a, src] = signs
        free[src] -= 1
    return C


def response_codes(n_classes: int, coding: str, n_response: int = 8) -> np.ndarray:
    """The +1/-1 answer of each R-unit for each class, shape (n_classes, units used).

    ``"one-hot"``: one R-unit per class (at most ``n_response`` classes); ``"binary"``: the bits
    of the class index (at most ``2 ** n_response`` classes).
    """
    check_scalar(n_classes, "n_classes", owner="response_codes", kind=numbers.Integral, min_val=1)
    check_choice(coding, "coding", ("one-hot", "binary"), owner="response_codes")
    check_scalar(n_response, "n_response", owner="response_codes", kind=numbers.Integral, min_val=1)
    n_classes, n_response = int(n_classes), int(n_response)              # Python ints: numpy int64 products wrap
    if n_classes * min(n_classes, n_response) > MAX_CODE_ENTRIES:           # one-hot: k x k; binary: k x bits
        raise ValueError(f"The 'n_classes' parameter of response_codes asks for a code table of more than "
                         f"MAX_CODE_ENTRIES = {MAX_CODE_ENTRIES} entries. Got n_classes={n_classes} "
                         f"(n_response={n_response}).")
    if coding == "one-hot":
        if n_classes > n_response:
            raise ValueError(f"MarkI with coding='one-hot' has {n_response} R-units, one per class: "
                             f"got {n_classes} classes. Use coding='binary'.")
        return 2.0 * np.eye(n_classes) - 1.0                  # (k, k) of +1/-1
    bits = max(1, int(np.ceil(np.log2(n_classes))))
    if bits > n_response:
        raise ValueError(f"The 'y' parameter of MarkI holds {n_classes} classes; "
                         f"{n_response} R-units code at most {2 ** n_response}.")
    return 2.0 * ((np.arange(n_classes)[:, None] >> np.arange(bits)) & 1) - 1.0   # (k, bits)


def check_labels(y: Any, n_samples: int | None = None) -> np.ndarray:
    """``y`` as an array of labels of one kind (strings or numbers), refusing NaN and objects.

    With ``n_samples`` (in ``fit``): also one label per image, class labels (not a continuous
    target), at least two classes.
    """
    if y is None:
        raise ValueError("The 'y' parameter of MarkI is missing: MarkI requires y to be passed, but the "
                         "target y is None.")
    try:
        y = np.asarray(column_y(y))
        if y.dtype.kind == "O" and y.size and all(isinstance(v, str) for v in y.flat):
            y = y.astype(str)                                  # labels of one kind: strings
    except (ValueError, TypeError) as exc:                     # ragged nested lists
        raise ValueError(f"The 'y' parameter of MarkI could not be read as an array: {exc}") from None
    if y.dtype.kind not in "biufUS":
        raise TypeError(f"The 'y' parameter of MarkI must hold numbers or strings. Got an array of dtype "
                        f"{y.dtype} instead (Unknown label type).")
    if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
        raise ValueError("The 'y' parameter of MarkI contains NaN or infinite values.")
    if n_samples is None:
        return y
    if y.ndim != 1 or y.shape[0] != n_samples:
        raise ValueError(f"The 'y' parameter of MarkI must be 1-D with one label per image "
                         f"({n_samples}). Got shape {y.shape} instead.")
    try:
        check_classification_targets(y)
    except ValueError as exc:
        raise ValueError(f"The 'y' parameter of MarkI must hold class labels. {exc}") from None
    if np.unique(y).size < 2:
        raise ValueError(f"The 'y' parameter of MarkI must hold at least two classes. "
                         f"Got 1 class: {np.unique(y).tolist()!r}.")
    return y


def check_theta(theta: Any, S: np.ndarray, n_excitatory: int, n_inhibitory: int) -> None:
    """Refuse an A-unit threshold that is not a real number, or that no A-unit can reach (``MarkI(theta=1e300)``).

    The S-units are photocells, 0 or 1; with values of ``S`` outside [0, 1] the range widens to theirs. An A-unit's
    net input is then at most ``n_excitatory * max(S, 1) - n_inhibitory * min(S, 0)``: a ``theta`` above that
    leaves every A-unit silent on every image.
    """
    check_scalar(theta, "theta", owner="MarkI")
    lo, hi = min(float(S.min()), 0.0), max(float(S.max()), 1.0)
    top = n_excitatory * hi - n_inhibitory * lo
    if theta > top:
        raise ValueError(f"The 'theta' parameter of MarkI is {theta!r}, above every net input an A-unit can receive "
                         f"({n_excitatory} excitatory and {n_inhibitory} inhibitory connections, S-unit values in "
                         f"[{lo:g}, {hi:g}]: at most {top:g}): no A-unit would ever fire. Lower theta.")
