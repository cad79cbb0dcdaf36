"""The Mark I simulation, the retina tasks and the perceptron experiments."""

import json
import warnings

import numpy as np
import pytest

from annhist.datasets.retina import (
    LETTERS,
    draw_letter,
    draw_shape,
    flatten_retina,
    retina_left_right,
    retina_letters,
    retina_shapes,
)
from annhist.perceptron import MarkI
from annhist.validation import ConvergenceWarning, NotFittedError


@pytest.fixture(scope="module")
def shapes_model():
    X, y = retina_shapes(300, noise=0.05, random_state=1)
    return MarkI(random_state=0).fit(X, y), X, y


# ----------------------------------------------------------------------------- the machine
def test_constants_and_wiring():
    mark = MarkI(random_state=0)
    assert (mark.n_sensory, mark.n_association, mark.n_response) == (400, 512, 8)
    C = mark.connections
    assert C.shape == (512, 400) and set(np.unique(C)) <= {-1, 0, 1}
    np.testing.assert_array_equal((C == 1).sum(axis=1), 10)      # 10 excitatory per A-unit
    np.testing.assert_array_equal((C == -1).sum(axis=1), 10)     # 10 inhibitory per A-unit
    assert np.count_nonzero(C, axis=0).max() <= 40               # each S-unit feeds <= 40 A-units
    assert not C.flags.writeable
    np.testing.assert_array_equal(MarkI(random_state=0).connections, C)    # wired from the seed
    assert not np.array_equal(MarkI(random_state=1).connections, C)


def test_a_units_are_threshold_units():
    mark = MarkI(random_state=3)
    C = mark.connections
    exc, inh = (C[0] == 1).astype(float), (C[0] == -1).astype(float)
    # A-unit 0 sees +10 when exactly its excitatory cells are lit (10 >= theta = 2: fires), -10 when
    # its inhibitory cells are lit (no), 1 when one excitatory cell is lit (1 < 2: no), 2 with two (fires).
    one, two = exc.copy(), exc.copy()
    one[np.flatnonzero(exc)[1:]] = 0
    two[np.flatnonzero(exc)[2:]] = 0
    A = mark.transform(np.stack([exc, inh, one, two]))
    np.testing.assert_array_equal(A[:, 0], [1, 0, 0, 1])
    np.testing.assert_array_equal(A, (np.stack([exc, inh, one, two]) @ C.T >= 2).astype(float))


def test_learns_centred_shapes_and_fails_on_shifted_ones(shapes_model):
    mark, X, y = shapes_model
    wiring = mark.connections.copy()
    assert mark.converged_ and mark.score(X, y) == 1.0
    Xte, yte = retina_shapes(300, noise=0.05, random_state=2)
    assert mark.score(Xte, yte) >= 0.95
    Xs, ys = retina_shapes(300, noise=0.05, offset=(3, 0), random_state=2)
    assert mark.score(Xs, ys) < 0.6                              # no invariance to translation
    np.testing.assert_array_equal(mark.connections, wiring)      # only the A->R weights learned
    assert mark.weights_.shape == (8, 512) and mark.bias_.shape == (8,)
    assert np.all(mark.weights_[3:] == 0) and np.any(mark.weights_[:3] != 0)   # 3 classes: 3 R-units
    assert mark.decision_function(X).shape == (300, 3)


def test_binary_coding_learns_ten_letters_and_left_right():
    X, y = retina_letters(200, letters=LETTERS, noise=0.02, random_state=0)
    mark = MarkI(random_state=0, coding="binary").fit(X, y)
    assert mark.n_units_used_ == 4 and mark.score(X, y) == 1.0   # 10 classes in 4 bits
    Xlr, ylr = retina_left_right(200, random_state=0)
    lr = MarkI(random_state=0).fit(Xlr[:100], ylr[:100])
    assert lr.score(Xlr[100:], ylr[100:]) >= 0.9


def test_mark1_determinism_and_warning():
    X, y = retina_shapes(60, noise=0.2, random_state=0)
    with pytest.warns(ConvergenceWarning, match="MarkI did not converge"):
        a = MarkI(random_state=4, epochs=1).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        b = MarkI(random_state=4, epochs=1).fit(X, y)
    np.testing.assert_array_equal(a.weights_, b.weights_)


@pytest.mark.parametrize("images, targets, needle", [
    (np.zeros((4, 16, 16)), ["a", "b", "a", "b"], "'X' parameter of MarkI must hold 20 x 20"),
    (np.zeros((4, 20, 19)), ["a", "b", "a", "b"], "Got shape (4, 20, 19)"),
    (np.full((2, 20, 20), np.nan), ["a", "b"], "'X'"),
    (np.zeros((4, 20, 20)), ["a", "b"], "'y'"),
    (np.zeros((4, 20, 20)), ["a", "a", "a", "a"], "at least two classes"),
    (np.zeros((9, 20, 20)), list("abcdefghi"), "coding='binary'"),
])
def test_mark1_bad_input(images, targets, needle):
    with pytest.raises(ValueError) as info:
        MarkI(random_state=0).fit(images, targets)
    assert needle in str(info.value)


def test_mark1_flat_inputs_of_any_width_are_a_retina_of_that_many_s_units():
    X = np.random.default_rng(0).integers(0, 2, size=(20, 30)).astype(float)
    y = np.arange(20) % 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mark = MarkI(random_state=0, n_association=20, n_excitatory=2, n_inhibitory=1, epochs=5).fit(X, y)
    assert mark.n_features_in_ == 30 and mark.connections.shape == (20, 30)
    assert np.all((mark.connections != 0).sum(axis=0) <= 40)
    with pytest.raises(ValueError, match="'X'.*has 29 features.*expecting 30"):
        mark.predict(X[:, :29])


@pytest.mark.parametrize("n_features", [1, 19, 255])
def test_mark1_refuses_too_few_features_for_its_plugboard_naming_x(n_features):
    # 512 A-units x 20 connections at fan-out <= 40 need 256 S-units (once a message about
    # wire_plugboard's parameters, which the user never passed)
    with pytest.raises(ValueError, match=r"'X' parameter of MarkI has %d feature.*at least 256 S-units" % n_features):
        MarkI(random_state=0, epochs=1).fit(np.ones((4, n_features)), [0, 1, 0, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mark = MarkI(random_state=0, epochs=1).fit(np.ones((4, 256)), [0, 1, 0, 1])    # exactly enough
    assert mark.connections.shape == (512, 256) and np.all((mark.connections != 0).sum(axis=0) <= 40)


def test_mark1_predict_before_fit_and_bad_params(shapes_model):
    with pytest.raises(NotFittedError):
        MarkI(random_state=0).predict(np.zeros((1, 20, 20)))
    with pytest.raises(ValueError, match="'coding'"):
        MarkI(coding="gray").fit(np.zeros((2, 20, 20)), [0, 1])
    with pytest.raises(ValueError, match="'eta' parameter of MarkI must be > 0"):
        MarkI(eta=0).fit(np.zeros((2, 20, 20)), [0, 1])
    with pytest.raises(ValueError, match="20 x 20"):
        shapes_model[0].predict(np.zeros((1, 21, 20)))


# ----------------------------------------------------------------------------- retina tasks
def test_retina_shapes_and_letters():
    X, y = retina_shapes(90, shift=3, random_state=0)
    assert X.shape == (90, 20, 20) and set(np.unique(X)) <= {0.0, 1.0}
    assert sorted(np.unique(y, return_counts=True)[1]) == [30, 30, 30]
    area = {name: draw_shape(name).sum() for name in ("square", "circle", "triangle")}
    assert area["square"] == 64                               # 8 x 8 cells
    np.testing.assert_array_equal([X[k].sum() for k in range(90)], [area[v] for v in y])  # never clipped
    X2, y2 = retina_shapes(90, shift=3, random_state=0)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    moved, _ = retina_shapes(3, shapes=["square"], offset=(0, 2), random_state=0)
    np.testing.assert_array_equal(moved[0], np.roll(draw_shape("square"), 2, axis=1))
    assert draw_letter("T")[3:5, 5:15].all() and draw_letter("T").sum() == (5 + 6) * 4


def test_retina_noise_and_left_right():
    X, _ = retina_shapes(200, shapes=["square"], noise=0.1, random_state=0)
    flipped = np.mean(X != draw_shape("square"))
    assert 0.08 < flipped < 0.12
    X, y = retina_left_right(100, random_state=0)
    left = X[y == "left"]
    assert left[:, :, :10].sum() == left.sum() and X[y == "right"][:, :, :10].sum() == 0
    np.testing.assert_array_equal(X.sum(axis=(1, 2)), 16)       # 4 x 4 marks


@pytest.mark.parametrize("call, needle", [
    (lambda: retina_shapes(10, shapes=["hexagon"]), "'shapes'"),
    (lambda: retina_shapes(10, offset=(0, 9)), "'offset'"),
    (lambda: retina_shapes(10, offset=(0.5, 1)), "'offset'"),
    (lambda: retina_shapes(10, noise=0.7), "'noise'"),
    (lambda: retina_shapes(0), "'n_samples'"),
    (lambda: retina_letters(10, letters="AZ"), "'letters'"),
    (lambda: flatten_retina(np.zeros((3, 20))), "'images'"),
])
def test_retina_bad_input(call, needle):
    with pytest.raises(ValueError) as info:
        call()
    assert needle in str(info.value)


# ----------------------------------------------------------------------------- experiments
def test_registered_experiments_run_and_are_deterministic():
    from annhist.experiments import names, run
    assert {"perceptron-iris", "novikoff", "mark1"} <= set(names())
    iris_run = run("perceptron-iris", epochs=50).to_dict()
    assert iris_run["results"]["same_weights_as_sklearn"] and iris_run["results"]["converged"]
    r = iris_run["results"]
    assert r["nonseparable_pocket_accuracy"] > r["nonseparable_last_weights_accuracy"]
    nov = run("novikoff", seed=1, datasets=8).to_dict()
    assert nov["results"]["all_within_bound"] and len(nov["results"]["updates"]) == 8
    assert json.dumps(nov) == json.dumps(run("novikoff", seed=1, datasets=8).to_dict())
    mark = run("mark1", train=150).to_dict()["results"]
    assert mark["test_accuracy_centred"] > 0.9 and mark["accuracy_by_shift"][-1] < 0.6
