"""Rosenblatt's perceptron on 50,000 x 20 separable data against scikit-learn's Cython perceptron.

Same work on both sides: samples in order (no shuffling), w = 0, eta = 1, no penalty, and the
same number of epochs -- the number annhist needs to converge (its last epoch makes no
correction), given to scikit-learn as ``max_iter`` with ``tol=None`` so it runs exactly that
many. The weights come out identical (reported in the row as ``same_weights``).
"""

from __future__ import annotations

import warnings

import numpy as np

from annhist.datasets.separable import linearly_separable
from annhist.perceptron import Perceptron
from benchmarks.harness import Case

N_SAMPLES, N_FEATURES, GAP = 50_000, 20, 0.02


def cases() -> list[Case]:
    X, y = linearly_separable(N_SAMPLES, N_FEATURES, margin=GAP, random_state=0)
    probe = Perceptron(epochs=1000).fit(X, y)
    epochs = probe.n_epochs_
    extra = {"n_samples": N_SAMPLES, "n_features": N_FEATURES, "epochs": epochs,
             "corrections": probe.n_updates_}
    try:
        from sklearn.linear_model import Perceptron as SkPerceptron
    except ImportError:  # pragma: no cover - scikit-learn is a dependency
        SkPerceptron = None

    def ours(method: str):
        return lambda: Perceptron(epochs=epochs, method=method).fit(X, y)

    reference = None
    if SkPerceptron is not None:
        def reference():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return SkPerceptron(eta0=1.0, alpha=0.0, shuffle=False, tol=None, max_iter=epochs).fit(X, y)
        extra["same_weights"] = bool(np.array_equal(reference().coef_.ravel(), probe.weights_))
    return [
        Case(f"perceptron fit {N_SAMPLES}x{N_FEATURES} (vectorized scan)", ours("vectorized"), reference,
             "sklearn Perceptron", repeats=7, extra=dict(extra),
             skipped_reason="" if reference else "scikit-learn missing"),
        Case(f"perceptron fit {N_SAMPLES}x{N_FEATURES} (plain loop)", ours("loop"), reference,
             "sklearn Perceptron", repeats=3, extra=dict(extra),
             note="the one-sample-at-a-time loop, for comparison",
             skipped_reason="" if reference else "scikit-learn missing"),
    ]
