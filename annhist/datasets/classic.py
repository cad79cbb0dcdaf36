"""Small classic data sets: truth tables, parity, symmetry, Iris and the 8x8 digits.

Iris and the digits come from scikit-learn's bundled copies (no download).
"""

from __future__ import annotations

import itertools
import numbers

import numpy as np

from annhist.validation import check_scalar

__all__ = ["binary_inputs", "xor", "logic_gate", "parity", "symmetry", "iris", "digits", "breast_cancer"]

_GATES = {
    "and": lambda a, b: a & b,
    "or": lambda a, b: a | b,
    "nand": lambda a, b: 1 - (a & b),
    "nor": lambda a, b: 1 - (a | b),
    "xor": lambda a, b: a ^ b,
    "xnor": lambda a, b: 1 - (a ^ b),
}


def binary_inputs(n: int) -> np.ndarray:
    """All 2**n binary input vectors, shape (2**n, n), in counting order (first input slowest)."""
    check_scalar(n, "n", owner="binary_inputs", kind=numbers.Integral, min_val=1, max_val=20)
    return np.array(list(itertools.product((0, 1), repeat=n)), dtype=float)


def logic_gate(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The truth table of a two-input gate: X (4, 2) in {0, 1}, y (4,) in {0, 1}."""
    if not isinstance(name, str) or name not in _GATES:
        raise ValueError(f"The 'name' parameter of logic_gate must be one of {', '.join(map(repr, _GATES))}. "
                         f"Got {name!r} instead.")
    X = binary_inputs(2)
    a, b = X[:, 0].astype(int), X[:, 1].astype(int)
    return X, _GATES[name](a, b).astype(float)


def xor() -> tuple[np.ndarray, np.ndarray]:
    """The XOR truth table: X = [[0,0],[0,1],[1,0],[1,1]], y = [0, 1, 1, 0]."""
    return logic_gate("xor")


def parity(n: int) -> tuple[np.ndarray, np.ndarray]:
    """n-bit parity on all 2**n inputs: y = 1 when an odd number of bits is on."""
    X = binary_inputs(n)
    return X, (X.sum(axis=1) % 2).astype(float)


def symmetry(n: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """Mirror symmetry of an n-bit string (Rumelhart, Hinton & Williams 1986, Fig. 1).

    y = 1 when the string reads the same backwards, on all 2**n patterns.
    """
    X = binary_inputs(n)
    return X, np.all(X == X[:, ::-1], axis=1).astype(float)


def iris(classes: tuple[str, ...] | None = None, features: tuple[int, ...] | None = None
         ) -> tuple[np.ndarray, np.ndarray]:
    """Fisher's Iris (150 x 4), from scikit-learn's bundled copy.

    ``classes`` selects species by name (e.g. ``("setosa", "versicolor")``); ``features``
    selects columns (0 sepal length, 1 sepal width, 2 petal length, 3 petal width); neither may be empty.
    Returns ``X`` (float) and ``y`` (species names as strings).
    """
    from sklearn.datasets import load_iris

    data = load_iris()
    names = np.asarray(data.target_names)[data.target]
    X = np.asarray(data.data, dtype=float)
    for arg, value in (("classes", classes), ("features", features)):
        if value is not None and (isinstance(value, str) or not isinstance(value, (tuple, list))):
            raise TypeError(f"The '{arg}' parameter of iris must be None or a tuple. Got {value!r} instead.")
        if value is not None and len(value) == 0:                 # () gave a (150, 0) X, or no flowers
            raise ValueError(f"The '{arg}' parameter of iris must be None (all) or name at least one. Got {value!r} "
                             f"instead.")
    if classes is not None:
        if not all(isinstance(c, str) for c in classes):
            raise ValueError(f"The 'classes' parameter of iris must hold species names. Got {classes!r} instead.")
        unknown = sorted(set(classes) - set(data.target_names))
        if unknown:
            raise ValueError(f"The 'classes' parameter of iris holds unknown species {unknown}; "
                             f"valid: {list(data.target_names)}.")
        mask = np.isin(names, classes)
        X, names = X[mask], names[mask]
    if features is not None:
        bad = [f for f in features if isinstance(f, bool) or not isinstance(f, numbers.Integral) or not 0 <= f < 4]
        if bad:
            raise ValueError(f"The 'features' parameter of iris must hold column indices 0..3. Got {bad}.")
        X = X[:, list(features)]
    return X, names.astype(str)


def digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled 8x8 handwritten digits: X (1797, 8, 8) in [0, 16], y (1797,) in 0..9."""
    from sklearn.datasets import load_digits

    data = load_digits()
    return np.asarray(data.images, dtype=float), np.asarray(data.target, dtype=np.int64)


def breast_cancer() -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The Wisconsin diagnostic breast cancer data (569 x 30), scikit-learn's bundled copy.

    Thirty features computed from digitized images of fine-needle aspirates of breast masses
    (Street, Wolberg & Mangasarian 1993). Returns ``X`` (float), ``y`` (1 = malignant,
    0 = benign; note scikit-learn codes benign as 1) and the feature names.
    """
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    y = (np.asarray(data.target) == 0).astype(np.int64)     # scikit-learn: 0 = malignant
    return np.asarray(data.data, dtype=float), y, [str(n) for n in data.feature_names]
