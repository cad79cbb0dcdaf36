"""Four estimator defects found by a user audit, each pinned here.

1. ``score`` (every classifier and MLPRegressor), ``MLPClassifier.fit`` and a second ``Perceptron.partial_fit``
   turned a DataFrame into an array before the feature-name check, so scikit-learn warned "X does not have valid
   feature names" on the very DataFrame the model was fitted on (every fold of a cross_val_score).
2. ``save``/``load`` dropped ``feature_names_in_``: a loaded model took reordered columns silently (accuracy
   1.0 -> 0.5) where the fitted one raised.
3. MLPRegressor returned a constant model (every prediction the mean of y, R^2 = 0) without a word.
4. ``score(..., sample_weight=...)`` took NaN weights (score nan), and a wrong length or weights summing to 0
   failed inside numpy (axis error, bare ZeroDivisionError).

The DataFrame tests need pandas, which is not among the test extras: they skip without it.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_diabetes, load_iris
from sklearn.metrics import r2_score
from sklearn.preprocessing import StandardScaler

from annhist import ConvergenceWarning
from annhist.adaline import Adaline, Madaline
from annhist.io import save_arrays
from annhist.mlp import MLPClassifier, MLPRegressor
from annhist.perceptron import MarkI, Perceptron, Pocket

PANDAS_REASON = "pandas is not installed (not a test extra): the DataFrame checks need it"
X_IRIS, Y_IRIS = load_iris(return_X_y=True)
X2, Y2 = X_IRIS[Y_IRIS < 2], Y_IRIS[Y_IRIS < 2]
X_DIAB, Y_DIAB = load_diabetes(return_X_y=True)

CLASSIFIERS = [Perceptron, Pocket, Adaline, Madaline, lambda: MLPClassifier(eta=0.005, random_state=0)]
MODELS = CLASSIFIERS + [lambda: MLPRegressor(eta=0.001, random_state=0)]
IDS = ["perceptron", "pocket", "adaline", "madaline", "mlp-classifier", "mlp-regressor"]


def _fit(make, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return make().fit(X, y)


def _name_warnings(record):
    return [str(w.message) for w in record if "feature names" in str(w.message)]


@pytest.fixture
def frame():
    pd = pytest.importorskip("pandas", reason=PANDAS_REASON)
    data = load_iris(as_frame=True)
    keep = data.target < 2
    return data.data[keep], data.target[keep], pd


# 1. A DataFrame passed back: no feature-name warning; reordered or renamed columns: still a ValueError

@pytest.mark.parametrize("make", MODELS, ids=IDS)
def test_score_on_the_fitted_dataframe_does_not_warn_and_gives_the_array_score(frame, make):
    X, y, _ = frame
    model = _fit(make, X, y)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        score = model.score(X, y)
    assert _name_warnings(record) == []                 # was: "X does not have valid feature names, but ..."
    assert score == _fit(make, X.to_numpy(), y.to_numpy()).score(X.to_numpy(), y.to_numpy())


@pytest.mark.parametrize("make", MODELS, ids=IDS)
def test_reordered_or_renamed_columns_are_still_refused(frame, make):
    X, y, _ = frame
    model = _fit(make, X, y)
    with pytest.raises(ValueError, match="feature names"):
        model.score(X[X.columns[::-1]], y)
    with pytest.raises(ValueError, match="feature names"):
        model.predict(X.rename(columns={X.columns[0]: "renamed"}))


def test_mlp_classifier_fit_on_a_dataframe_does_not_warn_about_names(frame):
    X, y, _ = frame                       # its check against the majority class predicted on the converted array
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        MLPClassifier(random_state=0).fit(X, y)
    assert _name_warnings(record) == []
    assert any(issubclass(w.category, ConvergenceWarning) for w in record)     # eta=0.5 here: saturated, as before


def test_second_partial_fit_on_a_dataframe_does_not_warn_and_checks_names(frame):
    X, y, _ = frame
    p = Perceptron().partial_fit(X, y)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        p.partial_fit(X, y)
    assert _name_warnings(record) == []
    q = Perceptron().partial_fit(X.to_numpy(), y.to_numpy())
    q.partial_fit(X.to_numpy(), y.to_numpy())
    np.testing.assert_array_equal(p.weights_, q.weights_)
    with pytest.raises(ValueError, match="feature names"):
        p.partial_fit(X[X.columns[::-1]], y)


def test_cross_val_score_on_a_dataframe_is_quiet(frame):
    from sklearn.model_selection import cross_val_score
    X, y, _ = frame
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        scores = cross_val_score(Perceptron(shuffle=True, random_state=0), X, y, cv=3)
    assert _name_warnings(record) == [] and scores.min() == 1.0


# 2. save/load keeps feature_names_in_ (in the file's JSON configuration, no pickle)

@pytest.mark.parametrize("make", MODELS, ids=IDS)
def test_loaded_model_refuses_reordered_columns_as_the_fitted_one(frame, make, tmp_path):
    X, y, _ = frame
    model = _fit(make, X, y)
    back = type(model).load(model.save(tmp_path / "m.npz"))
    np.testing.assert_array_equal(back.feature_names_in_, model.feature_names_in_)
    assert back.feature_names_in_.dtype == object
    with pytest.raises(ValueError, match="feature names"):        # was: no error, accuracy 1.0 -> 0.5
        back.predict(X[X.columns[::-1]])
    np.testing.assert_array_equal(back.predict(X), model.predict(X))


@pytest.mark.parametrize("make", MODELS, ids=IDS)
def test_feature_names_round_trip_without_pandas(make, tmp_path):
    model = _fit(make, X2, Y2)
    names = ["sepal length", "", "width\x00", "é"]     # any str, exactly: a numpy str array drops trailing NULs
    model.feature_names_in_ = np.array(names, dtype=object)
    back = type(model).load(model.save(tmp_path / "m.npz"))
    assert back.feature_names_in_.tolist() == names
    with np.load(tmp_path / "m.npz", allow_pickle=False) as data:        # the file still holds no pickle
        assert json.loads(data["config"].tobytes().decode())["feature_names_in_"] == names


def test_model_fitted_on_an_array_has_no_names_after_loading(tmp_path):
    back = Perceptron.load(Perceptron().fit(X2, Y2).save(tmp_path / "p.npz"))
    assert not hasattr(back, "feature_names_in_")


def _rewrite(path, **change):
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files if not k.startswith("__annhist")}
        kind = str(data["__annhist_kind__"])
    cfg = json.loads(arrays["config"].tobytes().decode())
    cfg.update(change)
    cfg = {k: v for k, v in cfg.items() if v != "drop"}
    arrays["config"] = np.frombuffer(json.dumps(cfg).encode(), dtype=np.uint8)
    return save_arrays(path, arrays, kind=kind)


def test_a_file_saved_before_feature_names_were_saved_still_loads(tmp_path):
    model = Perceptron().fit(X2, Y2)
    expected = model.predict(X2)
    model.feature_names_in_ = np.array(["a", "b", "c", "d"], dtype=object)
    path = _rewrite(model.save(tmp_path / "old.npz"), feature_names_in_="drop")     # the old configuration
    back = Perceptron.load(path)
    assert not hasattr(back, "feature_names_in_")
    np.testing.assert_array_equal(back.predict(X2), expected)


@pytest.mark.parametrize("names", [["a", "b"], ["a", "b", "c", 4], "abcd"])
def test_load_refuses_feature_names_that_do_not_fit(tmp_path, names):
    path = _rewrite(Perceptron().fit(X2, Y2).save(tmp_path / "p.npz"), feature_names_in_=names)
    with pytest.raises(ValueError, match=r"p\.npz.*feature_names_in_ must be a list of 4 str"):
        Perceptron.load(path)


# 3. MLPRegressor warns when it is no better than predicting the mean

def test_constant_regressor_warns_in_the_classifiers_words():
    with pytest.warns(ConvergenceWarning, match=r"no better on its training cases than a constant answer "
                                                r"\(R\^2 0; E = 1\.311e\+06, 1\.311e\+06 .*442 cases"):
        model = MLPRegressor(eta=0.001, random_state=0).fit(X_DIAB, Y_DIAB)
    assert model.score(X_DIAB, Y_DIAB) == 0.0                       # the model itself is as before


def test_a_regressor_that_learned_does_not_warn():
    y = StandardScaler().fit_transform(Y_DIAB[:, None]).ravel()    # what the warning advises
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = MLPRegressor(eta=0.001, epochs=300, random_state=0).fit(X_DIAB, y)
    assert model.score(X_DIAB, y) > 0.4


def test_a_constant_target_is_not_warned_about():
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        MLPRegressor(epochs=50, random_state=0).fit(X2, np.full(len(X2), 3.0))


# 4. sample_weight is checked: a ValueError/TypeError naming it and the value

BAD_WEIGHTS = [
    (lambda n: np.full(n, np.nan), ValueError, r"must hold finite numbers\. Got array\(\[nan"),
    (lambda n: np.ones(3), ValueError, r"one weight per sample: \d+\. Got 3 weight\(s\) instead: array\(\[1\., 1"),
    (lambda n: np.zeros(n), ValueError, r"positive, finite sum\. Got sum 0\.0 for array\(\[0\."),
    (lambda n: np.r_[-1.0, np.ones(n - 1)], ValueError, r"must be >= 0\. Got array\(\[-1\."),
    (lambda n: np.full(n, "a"), TypeError, "must contain real numbers"),
    (lambda n: np.ones((n, 1)), ValueError, "must be a 1-D array"),
    (lambda n: 2.0, ValueError, "must be a 1-D array"),
]
BAD_IDS = ["nan", "length", "zero-sum", "negative", "strings", "2-D", "scalar"]


def _markI():
    rng = np.random.default_rng(0)
    X, y = rng.random((30, 400)), rng.integers(0, 3, 30)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return MarkI(random_state=0, epochs=2).fit(X, y), X, y


def _fitted(make):
    if make is MarkI:
        return _markI()
    return _fit(make, X2, Y2), X2, Y2


@pytest.mark.parametrize("make", MODELS + [MarkI], ids=IDS + ["mark1"])
@pytest.mark.parametrize("weights, error, needle", BAD_WEIGHTS, ids=BAD_IDS)
def test_score_refuses_bad_sample_weight_naming_it(make, weights, error, needle):
    model, X, y = _fitted(make)
    owner = type(model).__name__
    with pytest.raises(error, match=rf"The 'sample_weight' parameter of {owner} .*{needle}"):
        model.score(X, y, sample_weight=weights(len(y)))


@pytest.mark.parametrize("make", MODELS + [MarkI], ids=IDS + ["mark1"])
def test_valid_sample_weight_gives_the_same_score_as_before(make):
    model, X, y = _fitted(make)
    rng = np.random.default_rng(1)
    for w in (None, rng.integers(0, 4, len(y)), rng.random(len(y)), rng.random(len(y)).astype(np.float32),
              np.r_[0.0, np.ones(len(y) - 1)]):
        pred = model.predict(X)
        expected = (r2_score(y, pred, sample_weight=w) if isinstance(model, MLPRegressor)
                    else float(np.average(pred == y, weights=w)))          # what score computed before
        assert model.score(X, y, sample_weight=w) == expected
