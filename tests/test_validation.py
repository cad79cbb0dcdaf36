"""Shared input validation: every refusal names the parameter and the value."""

import warnings

import numpy as np
import pytest

from annhist.validation import (
    DivergenceError,
    NotFittedError,
    check_array,
    check_binary_labels,
    check_choice,
    check_finite_weights,
    check_is_fitted,
    check_random_state,
    check_scalar,
    check_X_y,
)


def test_check_scalar_messages():
    with pytest.raises(ValueError, match=r"The 'eta' parameter of Perceptron must be > 0. Got -1 instead."):
        check_scalar(-1, "eta", owner="Perceptron", min_val=0, include_min=False)
    with pytest.raises(TypeError, match=r"'epochs'.*must be an int. Got 2.5"):
        import numbers
        check_scalar(2.5, "epochs", kind=numbers.Integral)
    with pytest.raises(TypeError, match="must be a real number. Got True"):
        check_scalar(True, "eta")
    with pytest.raises(ValueError, match="must be finite. Got nan"):
        check_scalar(float("nan"), "eta")


@pytest.mark.parametrize("X, exc, needle", [
    ([[1, np.nan]], ValueError, "1 NaN or infinite"),
    ([[1, np.inf]], ValueError, "NaN or infinite"),
    ([1.0, 2.0], ValueError, "must be a 2-D array. Got an array of shape (2,)"),
    (np.zeros((0, 3)), ValueError, "at least 1 sample"),
    ([["a", "b"]], TypeError, "must contain real numbers"),
    ([[1 + 2j]], TypeError, "complex"),
    ([[1, 2], [3]], ValueError, "could not be read as an array"),
    (None, TypeError, "Got None"),
    ("abc", TypeError, "Got a string"),
])
def test_check_array_refusals(X, exc, needle):
    with pytest.raises(exc) as info:
        check_array(X, "X", owner="Thing")
    assert needle in str(info.value) and "'X'" in str(info.value)


def test_check_array_copies():
    X = np.ones((2, 2))
    out = check_array(X)
    out[0, 0] = 5
    assert X[0, 0] == 1


def test_check_array_without_a_copy_returns_the_array_itself_only_when_it_has_the_dtype():
    """copy=False (a caller that only reads): the very array when it is already of the dtype, a converted
    copy otherwise; the refusals are the same."""
    X = np.arange(6.0).reshape(3, 2)
    assert check_array(X, copy=False) is X
    as32 = check_array(X, copy=False, dtype=np.float32)
    assert as32.dtype == np.float32 and not np.shares_memory(as32, X)
    ints = np.arange(6).reshape(3, 2)
    assert check_array(ints, copy=False).dtype == np.float64
    with pytest.raises(ValueError, match="1 NaN or infinite"):
        check_array(np.array([[1.0, np.nan]]), "X", copy=False)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_check_array_accepts_finite_numbers_whose_sum_overflows(dtype):
    """The finiteness check sums first (a NaN or an infinity makes the sum non-finite); a sum that overflows
    on finite numbers falls back to the entry-wise test: accepted, and an infinity among them still refused."""
    big = np.full((4, 3), np.finfo(dtype).max / 2, dtype=dtype)
    assert np.array_equal(check_array(big, dtype=dtype), big)
    big[2, 1] = -np.inf
    with pytest.raises(ValueError, match="1 NaN or infinite"):
        check_array(big, "X", dtype=dtype)
    mixed = np.array([[np.inf, -np.inf]])                   # their sum is NaN
    with pytest.raises(ValueError, match="2 NaN or infinite"):
        check_array(mixed, "X")


def test_check_X_y_lengths_and_labels():
    with pytest.raises(ValueError, match="same number of samples. Got 3 and 2"):
        check_X_y(np.zeros((3, 2)), [0, 1])
    with pytest.raises(ValueError, match="NaN"):
        check_X_y(np.zeros((2, 2)), [0.0, np.nan])
    with pytest.raises(TypeError, match="labels of one kind"):
        check_X_y(np.zeros((2, 2)), np.array([1, "a"], dtype=object))
    classes, ypm = check_binary_labels(np.array(["b", "a", "b"]))
    assert list(classes) == ["a", "b"] and list(ypm) == [1.0, -1.0, 1.0]
    with pytest.raises(ValueError, match="exactly two classes. Got 3"):
        check_binary_labels(np.array([0, 1, 2]))


def test_random_state():
    assert check_random_state(3).normal() == np.random.default_rng(3).normal()
    g = np.random.default_rng(0)
    assert check_random_state(g) is g
    with pytest.raises(ValueError, match="'random_state'.*>= 0. Got -1"):
        check_random_state(-1)
    with pytest.raises(TypeError, match="'random_state'"):
        check_random_state("seed")


def test_choice_fitted_divergence():
    with pytest.raises(ValueError, match="'mode'.*'online', 'batch'. Got 'fast'"):
        check_choice("fast", "mode", ("online", "batch"))

    class Est:
        weights_ = None

    with pytest.raises(NotFittedError, match="not fitted yet"):
        check_is_fitted(Est(), "weights_")
    with pytest.raises(DivergenceError, match="eta=2 exceeds the stability limit 1"):
        check_finite_weights(np.array([np.inf]), eta=2.0, limit=1.0)
    assert issubclass(DivergenceError, ArithmeticError)


def test_import_annhist_loads_no_sklearn_until_not_fitted_error_is_used():
    # scikit-learn (and SciPy with it) takes seconds to import; annhist loads it only on first use
    # of NotFittedError (or an estimator), and then the class is one class, scikit-learn's subclass.
    import subprocess
    import sys

    code = ("import sys, annhist, annhist.validation, annhist.cli.main\n"
            "assert 'sklearn' not in sys.modules, 'sklearn imported'\n"
            "from annhist import NotFittedError as a\n"
            "from annhist.errors import NotFittedError as b\n"
            "from annhist.validation import NotFittedError as c\n"
            "import sklearn.exceptions as se\n"
            "assert a is b is c and issubclass(a, se.NotFittedError) and issubclass(a, (ValueError, AttributeError))\n"
            "assert a.__module__ == 'annhist.errors' and a.__qualname__ == 'NotFittedError'\n"
            "import annhist.errors as e\n"
            "try:\n    e.Nothing\nexcept AttributeError as exc:\n    assert 'Nothing' in str(exc)\n"
            "else:\n    raise SystemExit('no AttributeError')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]


@pytest.mark.parametrize("value, exc, needle", [
    (__import__("fractions").Fraction(1, 2), TypeError, "'eta' parameter of Perceptron must be an int or a float"),
    (10**400, ValueError, "'eta' parameter of Perceptron must be finite"),
    (np.float16(np.inf), ValueError, "'eta' parameter of Perceptron must be finite"),
    (np.longdouble("1e400"), ValueError, "'eta' parameter of Perceptron must be finite"),
], ids=["Fraction", "10**400", "float16-inf", "longdouble-1e400"])
def test_check_scalar_refuses_reals_that_are_not_finite_floats(value, exc, needle):
    # a Fraction made "ufunc 'isfinite' not supported" (no name), and would turn float arrays into objects
    with pytest.raises(exc, match=needle):
        check_scalar(value, "eta", owner="Perceptron", min_val=0, include_min=False)


def test_check_scalar_still_takes_ints_floats_and_numpy_scalars():
    import numbers
    for v in (1, 0.5, np.float32(0.25), np.int64(3), -10**300):
        assert check_scalar(v, "eta") is v
    assert check_scalar(10**400, "n", kind=numbers.Integral) == 10**400     # an int has no range to exceed


def test_a_fraction_eta_is_refused_by_an_estimator_before_training():
    from fractions import Fraction

    from annhist.optimizers import SGD
    from annhist.perceptron import Perceptron
    X = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]])
    with pytest.raises(TypeError, match="'eta' parameter of Perceptron"):
        Perceptron(eta=Fraction(1, 2)).fit(X, [0, 0, 0, 1])
    with pytest.raises(TypeError, match="'eta' parameter of SGD"):
        SGD(Fraction(1, 10))


def test_check_array_refuses_a_masked_array():
    # np.asarray dropped the mask and used the hidden value 2.0
    with pytest.raises(TypeError, match="'X' parameter must not be a masked array"):
        check_array(np.ma.masked_array([[1.0, 2.0]], mask=[[0, 1]]))
    np.testing.assert_array_equal(check_array(np.ma.masked_array([[1.0, 2.0]]).filled()), [[1.0, 2.0]])


def test_check_n_features_refuses_a_1d_X():
    from annhist.validation import check_n_features
    with pytest.raises(ValueError, match="'X' parameter of MLP must be a 2-D array. Got shape \\(3,\\)"):
        check_n_features(np.ones(3), 3, owner="MLP")          # was an IndexError
    with pytest.raises(ValueError, match="has 2 features"):
        check_n_features(np.ones((1, 2)), 3)
    assert check_n_features(np.ones((1, 3)), 3) is None


def test_check_scalar_compares_a_float32_with_a_bound_beyond_its_range_without_overflow():
    # np.float32(1.0) <= 1e150 overflowed float32 (a RuntimeWarning, an error under np.errstate(all="raise")).
    with np.errstate(all="raise"):
        assert check_scalar(np.float32(1.0), "eps", owner="T", max_val=1e150) == np.float32(1.0)
        with pytest.raises(ValueError, match="'eps' parameter of T must be >= 1e-200"):
            check_scalar(np.float32(0.0), "eps", owner="T", min_val=1e-200)


def test_checked_by_checks_before_the_kernel_and_keeps_it_as_wrapped():
    from annhist.validation import checked_by

    def check(x):
        if x < 0:
            raise ValueError("The 'x' parameter of k must be >= 0.")

    @checked_by(check)
    def k(x):
        """The kernel."""
        return 2 * x

    assert k(3) == 6 and k.__wrapped__(-1) == -2 and k.__doc__ == "The kernel." and k.__name__ == "k"
    with pytest.raises(ValueError, match="'x'"):
        k(-1)


def test_check_random_state_names_the_parameter_it_is_given_as():
    from annhist.validation import check_random_state

    with pytest.raises(TypeError, match="The 'rng' parameter of f must be None, an int >= 0"):
        check_random_state("x", owner="f", name="rng")
    with pytest.raises(ValueError, match="The 'seed' parameter of f must be >= 0"):
        check_random_state(-1, owner="f", name="seed")
    with pytest.raises(TypeError, match="The 'random_state' parameter"):
        check_random_state(1.5)


@pytest.mark.parametrize("name", ["Perceptron", "Pocket"])
def test_three_classes_name_the_one_unit_per_class_ways(name):
    # A lecturer's iris pipeline got "Only binary classification is supported" and no way forward.
    import annhist.perceptron as perceptron

    X = np.arange(12.0).reshape(6, 2)
    with pytest.raises(ValueError, match=rf"exactly two classes.*OneVsRestClassifier\({name}\(\)\).*MarkI"):
        getattr(perceptron, name)().fit(X, [0, 0, 1, 1, 2, 2])


def test_one_vs_rest_perceptron_in_a_pipeline_classifies_iris_as_scikit_learn_does():
    from sklearn.datasets import load_iris
    from sklearn.linear_model import Perceptron as SkPerceptron
    from sklearn.model_selection import train_test_split
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from annhist.perceptron import Perceptron

    X, y = load_iris(return_X_y=True)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
    ours = make_pipeline(StandardScaler(), OneVsRestClassifier(Perceptron(epochs=20)))
    theirs = make_pipeline(StandardScaler(), OneVsRestClassifier(SkPerceptron(alpha=0, eta0=1, shuffle=False,
                                                                                tol=None, max_iter=20)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")                    # versicolor against the rest is not separable
        ours.fit(Xtr, ytr), theirs.fit(Xtr, ytr)
    assert np.array_equal(ours.predict(Xte), theirs.predict(Xte))
    assert ours.score(Xte, yte) > 0.8
