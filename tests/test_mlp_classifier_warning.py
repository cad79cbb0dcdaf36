"""MLPClassifier never returns a chance-level model silently: it warns when training did no better than a
constant answer (a lecturer's iris pipeline with the paper's step size saturated every unit and predicted
class 0 for nearly everything, without a word)."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from annhist import ConvergenceWarning
from annhist.mlp import MLPClassifier

X_IRIS, Y_IRIS = load_iris(return_X_y=True)
XOR_X, XOR_Y = np.array([[0, 0], [0, 1], [1, 0], [1, 1.0]]), np.array([0, 1, 1, 0])


def test_saturated_net_warns_and_names_the_step_that_would_do():
    pipe = make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(8,), random_state=0))
    with pytest.warns(ConvergenceWarning, match=r"no better .* than a constant answer .*E = 75, 50 .*0.5/150"):
        pipe.fit(X_IRIS, Y_IRIS)
    assert pipe.score(X_IRIS, Y_IRIS) < 0.4                    # it is the chance-level model the warning names


@pytest.mark.parametrize("model", [
    MLPClassifier(hidden_layer_sizes=(8,), eta=0.0033, random_state=0),        # the step the warning suggests
    MLPClassifier(hidden_layer_sizes=(2,), epochs=2000, random_state=0),        # XOR, the paper's settings
])
def test_a_net_that_learned_does_not_warn(model):
    X, y = (StandardScaler().fit_transform(X_IRIS), Y_IRIS) if model.eta < 0.5 else (XOR_X, XOR_Y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        assert model.fit(X, y).score(X, y) > 0.95


def test_a_stalled_xor_net_warns():
    # One hidden unit, no direct connections: it cannot do better than three of four; E stays at or above 0.5.
    with pytest.warns(ConvergenceWarning, match="stalled"):
        MLPClassifier(hidden_layer_sizes=(1,), epochs=300, eta=0.01, random_state=0).fit(XOR_X, XOR_Y)
