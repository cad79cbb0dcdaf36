"""Bad input to annhist.mlp: refused before any work, with the parameter's name; good input as before."""

import numpy as np
import pytest

from annhist import ConvergenceWarning
from annhist.mlp import MLP, MLPClassifier, MLPRegressor
from annhist.mlp.generalization import early_stopping_epoch
from annhist.mlp.landscapes import ravine, ravine_grad, rosenbrock, rosenbrock_grad
from annhist.mlp.rhw import counts_bits, weight_ratio
from annhist.mlp.stall import continue_descent, error_and_gradient, hessian, xor_net
from annhist.mlp.universal import MAX_POINTS, bump_network, sup_error

X = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]])
Y = np.array([0, 1, 1, 0])
P = [np.ones((2, 2)), np.zeros(2), np.ones((2, 1)), np.zeros(1)]


@pytest.mark.parametrize("stop_within", [1.0, 2.5])
def test_classifier_refuses_a_stop_within_every_output_meets_before_training(stop_within):
    # 2.5 trained 0 epochs and scored 0.5: a logistic output is always within 1 of its 0/1 target
    with pytest.raises(ValueError, match="'stop_within' parameter of MLPClassifier must be < 1"):
        MLPClassifier(stop_within=stop_within).fit(X, Y)


def test_classifier_and_regressor_stop_within_that_still_work():
    clf = MLPClassifier(hidden_layer_sizes=(4,), epochs=3000, stop_within=0.1, random_state=0).fit(X, Y)
    assert clf.n_epochs_ == 264 and clf.score(X, Y) == 1.0
    with pytest.warns(ConvergenceWarning, match="no better"):     # 5 epochs on XOR: R^2 < 0, which it now says
        reg = MLPRegressor(hidden_layer_sizes=(3,), epochs=5, stop_within=2.5, random_state=0).fit(X, Y * 10.0)
    assert reg.n_epochs_ <= 5                                # the regressor's outputs have y's scale: no bound


@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
def test_estimators_blame_init_range_not_eta_or_y(cls):
    # MLPClassifier blamed eta ("The step size eta=0.5 is too large"), MLPRegressor 'Y'
    with pytest.raises(ValueError, match="'init_range' parameter of " + cls.__name__ + " must be <= 1000000"):
        cls(init_range=1e300).fit(X, Y)


@pytest.mark.parametrize("output", ["sigmoid", "identity"])
def test_mlp_fit_blames_init_when_the_weights_it_starts_from_are_beyond_the_divergence_bound(output):
    net = MLP([2, 3, 1], init=("uniform", 1e300), output_activation=output, random_state=0)
    with pytest.raises(ValueError, match="'init' parameter of MLP"):     # was eta (sigmoid) or 'Y' (identity)
        net.fit(X, Y[:, None], epochs=5, verbose=False)


def test_mlp_fit_blames_x_when_outputs_overflow_and_still_y_for_huge_targets():
    net = MLP([2, 3, 1], activation="identity", output_activation="identity", random_state=0)
    with pytest.raises(ValueError, match="Scale down 'X'"):               # was 'Y' (largest |Y| = 1)
        net.fit(X * 1e307, Y[:, None], epochs=5, verbose=False)
    with pytest.raises(ValueError, match="'Y' parameter of MLP"):
        MLP([2, 3, 1], output_activation="identity", random_state=0).fit(X, Y[:, None] * 1e300, epochs=5,
                                                                         verbose=False)


@pytest.mark.parametrize("val_loss", [[], None, [3.0, np.nan, 1.0], [[3.0, 2.0], [1.0, 2.0]], "abc"])
def test_early_stopping_epoch_refuses_what_is_not_a_loss_curve(val_loss):
    # [] and None returned 0, a NaN was never lower, 2-D was flattened
    with pytest.raises((ValueError, TypeError), match="'val_loss' parameter of early_stopping_epoch"):
        early_stopping_epoch(val_loss, 2)


def test_early_stopping_epoch_as_before():
    assert early_stopping_epoch([3, 2, 1, 2, 3, 4], 2) == 2
    assert early_stopping_epoch(np.array([3.5, 3.2, 3.1, 3.3]), 5) == 2


@pytest.mark.parametrize("kwargs, exc, needle", [
    (dict(steepness=1e308), ValueError, "'steepness', 'a' and 'b' parameters of bump_network"),
    (dict(a=-1e308, b=1e308), ValueError, "'steepness', 'a' and 'b' parameters of bump_network"),
    (dict(a=0.0, b=5e-324), ValueError, "'steepness', 'a' and 'b' parameters of bump_network"),
    (dict(f=lambda x: x * np.nan), ValueError, "'f' parameter of bump_network must be finite"),
    (dict(f=lambda x: np.ones(3)), ValueError, "'f' parameter of bump_network must return one value per point"),
    (dict(f=lambda x: "a"), TypeError, "'f' parameter of bump_network must return real numbers"),
])
def test_bump_network_refuses_what_would_give_nan_weights(kwargs, exc, needle):
    args = dict(f=np.sin, a=0.0, b=3.0, n_bumps=20) | kwargs
    with pytest.raises(exc, match=needle):
        bump_network(**args)


def test_bump_network_builds_and_prints_as_before():
    import inspect

    from annhist.mlp import universal
    assert sup_error(bump_network(np.sin, 0, 3, 20), np.sin, 0, 3) == 0.07492970742371555
    body = inspect.getsource(universal.bump_network).split('"""')[-1]      # what chapter 07 prints
    assert body.lstrip().startswith('owner = "bump_network"') and "_values" not in body and "_check_bump" not in body


@pytest.mark.parametrize("call, exc, needle", [
    (lambda net: sup_error(None, np.sin, 0, 1), TypeError, "'net' parameter of sup_error"),
    (lambda net: sup_error(MLP([2, 3, 1]), np.sin, 0, 1), ValueError, "'net' parameter of sup_error"),
    (lambda net: sup_error(net, lambda x: x * np.nan, 0, 1), ValueError, "'f' parameter of sup_error"),
    (lambda net: sup_error(net, lambda x: np.ones(3), 0, 1), ValueError, "'f' parameter of sup_error"),
    (lambda net: sup_error(net, 3, 0, 1), TypeError, "'f' parameter of sup_error"),
    (lambda net: sup_error(net, np.sin, 0, 1, n_points=10**12), ValueError, "'n_points' parameter of sup_error"),
])
def test_sup_error_refuses_bad_nets_functions_and_sizes(call, exc, needle):
    # NaN was returned for a NaN f, None an AttributeError, 10**12 points a MemoryError
    net = MLP([1, 5, 1], activation="sigmoid", output_activation="identity", random_state=0)
    with pytest.raises(exc, match=needle):
        call(net)


def test_sup_error_as_before_and_capped():
    net = MLP([1, 5, 1], activation="sigmoid", output_activation="identity", random_state=0)
    assert sup_error(net, np.sin, 0, 1) == 1.0070933946117888
    assert MAX_POINTS == 10_000_000


@pytest.mark.parametrize("w, exc", [([0, -2, 4], ValueError), ([], ValueError), ([np.nan, 1], ValueError),
                                    ("ab", TypeError), ([[1, 2]], ValueError)])
def test_weight_ratio_refuses_zero_empty_and_non_finite_weights(w, exc):
    # [0, -2, 4] gave (nan, inf, inf), [] an IndexError
    with pytest.raises(exc, match="'w' parameter of weight_ratio"):
        weight_ratio(w)
    assert weight_ratio([1, -2, 4]) == [1.0, 2.0, 4.0]


def test_counts_bits_checks_net_x_and_tol():
    net = MLP([2, 2, 1], random_state=0)
    assert counts_bits(net, [[0, 1], [1, 0]]) == counts_bits(net, np.array([[0.0, 1], [1, 0]]))   # a list: was an
    with pytest.raises(TypeError, match="'net' parameter of counts_bits"):                         # AttributeError
        counts_bits(None, X)
    with pytest.raises(ValueError, match="'net' parameter of counts_bits"):    # no hidden layer: it read the output
        counts_bits(MLP([2, 1], random_state=0), X)
    with pytest.raises(ValueError, match="'tol' parameter of counts_bits"):
        counts_bits(net, X, tol=np.nan)


@pytest.mark.parametrize("call, exc, needle", [
    (lambda: hessian(None), TypeError, "'net' parameter of hessian"),
    (lambda: hessian(MLP([3, 4, 1])), ValueError, "'net' parameter of hessian must be a 2-2-1 MLP"),
    (lambda: continue_descent(MLP([3, 4, 1]), sweeps=10, eta=0.5, checkpoints=2), ValueError,
     "'net' parameter of continue_descent"),
    (lambda: error_and_gradient(xor_net(P), np.zeros(3)), ValueError, "'theta' parameter of error_and_gradient"),
    (lambda: error_and_gradient(xor_net(P), np.full(9, np.nan)), ValueError, "'theta' parameter"),
    (lambda: error_and_gradient(None, np.zeros(9)), TypeError, "'net' parameter of error_and_gradient"),
])
def test_stall_functions_refuse_what_is_not_the_2_2_1_net(call, exc, needle):
    # hessian(None) was an AttributeError, a 3-4-1 net a numpy broadcast error
    with pytest.raises(exc, match=needle):
        call()


def test_stall_functions_as_before():
    H = hessian(xor_net(P))
    np.testing.assert_allclose(H[0, :3], [-0.00499052, 0.00093544, -0.00919639], rtol=1e-5)
    E, g = error_and_gradient(xor_net(P), np.zeros(9))
    assert E == 0.5 and g.shape == (9,)


@pytest.mark.parametrize("f", [rosenbrock, rosenbrock_grad, ravine, ravine_grad])
def test_landscapes_refuse_points_that_are_not_2d_or_not_finite(f):
    # [1, 1, 1] was "too many values to unpack", NaN gave NaN
    for w in ([1.0, 1, 1], [1.0], 5.0):
        with pytest.raises(ValueError, match="'w' parameter of " + f.__name__ + " must have shape"):
            f(w)
    with pytest.raises(ValueError, match="'w' parameter of " + f.__name__ + " must be finite"):
        f([np.nan, 1.0])
    with pytest.raises(TypeError, match="'w' parameter of " + f.__name__):
        f("ab")


def test_landscapes_as_before():
    assert rosenbrock([1.0, 1.0]) == 0.0 and ravine([1.0, 1.0]) == 10.5
    np.testing.assert_array_equal(rosenbrock_grad([0.0, 0.0]), [-2.0, 0.0])
    np.testing.assert_array_equal(ravine_grad(np.ones((2, 3))), [[1, 1, 1], [20, 20, 20]])
    with pytest.raises(ValueError, match="'k' parameter of ravine"):
        ravine([1.0, 1.0], k=np.nan)


def test_mlp_train_many_and_train_by_pattern_refuse_a_stop_within_any_output_meets():
    from annhist.mlp import train_many
    from annhist.mlp.pattern import train_by_pattern
    D = Y[:, None].astype(float)
    # each trained 0 sweeps and called every net converged
    with pytest.raises(ValueError, match="'stop_within' parameter of MLP must be < 1: sigmoid outputs"):
        MLP([2, 2, 1], random_state=0).fit(X, D, stop_within=1.0, verbose=False)
    with pytest.raises(ValueError, match="'stop_within' parameter of MLP must be < 0.75"):
        MLP([2, 2, 1], random_state=0).fit(X, D * 0.5 + 0.25, stop_within=0.8, verbose=False)
    with pytest.raises(ValueError, match="'stop_within' parameter of MLP must be < 2: tanh"):
        MLP([2, 2, 1], output_activation="tanh", random_state=0).fit(X, 2 * D - 1, stop_within=2, verbose=False)
    with pytest.raises(ValueError, match="'stop_within' parameter of train_many must be < 1"):
        train_many([2, 2, 1], X, D, range(3), stop_within=1.5, epochs=5)
    with pytest.raises(ValueError, match="'stop_within' parameter of train_by_pattern must be < 1"):
        train_by_pattern([2, 2, 1], X, D, range(3), stop_within=1.0, epochs=5)
    net = MLP([2, 2, 1], output_activation="identity", random_state=0)
    assert net.fit(X, D, stop_within=5.0, epochs=5, verbose=False).converged_      # unbounded outputs: any > 0
    assert train_many([2, 2, 1], X, D, range(2), stop_within=0.4, epochs=3000).converged.tolist() == [True, True]


def test_train_many_and_train_by_pattern_cap_the_nets_they_build():
    from annhist.mlp import train_many
    from annhist.mlp.many import MAX_NETS
    from annhist.mlp.pattern import train_by_pattern
    D = Y[:, None].astype(float)
    # range(10**9) seeds hung building 10**9 MLP objects
    with pytest.raises(ValueError, match="'seeds' parameter of train_many asks for 1,000,000,000 nets"):
        train_many([2, 2, 1], X, D, range(10**9), epochs=1)
    with pytest.raises(ValueError, match="'seeds' parameter of train_many asks for 10 nets of 25,025,001 weights"):
        train_many([2, 5000, 5000, 1], X, D, range(10), epochs=1)
    with pytest.raises(ValueError, match="'seeds' parameter of train_by_pattern"):
        train_by_pattern([2, 2, 1], X, D, np.arange(MAX_NETS + 1), epochs=1)
    assert MAX_NETS == 100_000
    assert train_many([2, 2, 1], X, D, range(3), epochs=5).n_epochs.tolist() == [5, 5, 5]
