"""Tests written by a mutation audit: each one fails on a small wrong version of a core rule that
the rest of the suite let pass (a sign flip, an off-by-one, ``<`` for ``<=``, a dropped term).

The mutant each test kills is named in its docstring; the arithmetic is in the comments.
"""

import numpy as np

from annhist.adaline import logic_output
from annhist.adaline.lms import alpha_lms_update
from annhist.hopfield import sync_update
from annhist.hopfield.boltzmann import noisy_clamp
from annhist.mlp.delta_rule import NetSpec, loss_and_delta
from annhist.perceptron import Pocket
from annhist.xor import separate, verify_certificate


# ----------------------------------------------------------------------------- the pocket (Gallant 1990)
def _gallant_pocket(X, y_pm, *, eta, epochs, ratchet, seed):
    """Gallant (1990), section III, transcribed plainly, one draw at a time (a mistake: y w.x <= 0).

    Returns the pocket weights (bias last), the corrections made, and per epoch the training
    mistakes of the pocket and of the perceptron.
    """
    Xa = np.hstack([X, np.ones((len(X), 1))])
    n = len(X)

    def right(w):                                    # training samples w gets right (0 is a mistake)
        return sum(1 for x, t in zip(Xa, y_pm) if t * (x @ w) > 0)

    rng = np.random.default_rng(seed)                # the draws Pocket makes from random_state=seed
    P = np.zeros(Xa.shape[1])
    W, run_P, run_W, right_W = P.copy(), 0, 0, 0
    updates, mistakes, p_mistakes = 0, [], []
    for _ in range(epochs):
        for k in rng.integers(n, size=n):
            if y_pm[k] * (Xa[k] @ P) > 0:            # P is right on sample k: its run grows
                run_P += 1
                # into the pocket when the run is *longer* and (ratchet) P gets *more* samples right
                if run_P > run_W and (not ratchet or right(P) > right_W):
                    W, run_W, right_W = P.copy(), run_P, right(P)
            else:                                    # a mistake: correct P, its run starts again
                P = P + eta * y_pm[k] * Xa[k]
                run_P = 0
                updates += 1
        mistakes.append(n - right_W)
        p_mistakes.append(n - right(P))
        if right_W == n:
            break
    return W, updates, mistakes, p_mistakes


def test_pocket_makes_gallants_draws_and_decisions():
    """Kills: run ``>`` -> ``>=``, ratchet ``>`` -> ``>=``, an activation of 0 counted right, and the
    perceptron's history column filled with the pocket's mistakes (all four survived the suite before;
    it also kills a stale count of P's right answers after a correction, which one test caught)."""
    for seed in range(6):
        rng = np.random.default_rng(100 + seed)
        X = rng.integers(-2, 3, size=(12, 2)).astype(float)     # small integers: ties and zeros happen
        y = np.where(rng.random(12) < 0.5, 1.0, -1.0)           # random labels: not separable
        for ratchet in (True, False):
            W, updates, mistakes, p_mistakes = _gallant_pocket(X, y, eta=1.0, epochs=15, ratchet=ratchet, seed=seed)
            clf = Pocket(eta=1.0, epochs=15, ratchet=ratchet, random_state=seed).fit(X, y)
            np.testing.assert_array_equal(clf.weights_, W[:-1])
            assert clf.bias_ == W[-1] and clf.n_updates_ == updates
            np.testing.assert_array_equal(clf.history_["mistakes"], mistakes)
            np.testing.assert_array_equal(clf.history_["perceptron_mistakes"], p_mistakes)


# ----------------------------------------------------------------------------- alpha-LMS (Widrow & Lehr 1990)
def test_alpha_lms_removes_the_fraction_alpha_of_the_error():
    """Kills: alpha-LMS without the division by |x|^2 (then it is plain LMS with eta = alpha; before, only
    scikit-learn's check_estimator noticed, indirectly)."""
    # w = 0, x = (1, 2, 2): |x|^2 = 1 + 4 + 4 = 9; d = 3, so eps = 3 - 0 = 3.
    # alpha = 0.5: w <- 0 + 0.5 * 3 * x / 9 = x / 6 = (1/6, 1/3, 1/3); new error 3 - w.x = 3 - 9/6 = 1.5
    # = (1 - alpha) * eps. Unnormalized, w would be 1.5 x and the error 3 - 13.5 = -10.5.
    x = np.array([1.0, 2.0, 2.0])
    w = alpha_lms_update(np.zeros(3), x, 3.0, 0.5)
    np.testing.assert_allclose(w, [1 / 6, 1 / 3, 1 / 3])
    np.testing.assert_allclose(3.0 - w @ x, 1.5)
    # Scale-free: the same pattern 10 times larger loses the same fraction of its error.
    w10 = alpha_lms_update(np.zeros(3), 10 * x, 3.0, 0.5)
    np.testing.assert_allclose(3.0 - w10 @ (10 * x), 1.5)


# ----------------------------------------------------------------------------- Farkas certificates
def test_a_certificate_needs_nonnegative_multipliers():
    """Kills: ``verify_certificate`` accepting a negative multiplier (then AND 'is not separable')."""
    # AND, rows y_i (x_i, 1): (0,0,-1), (0,-1,-1), (-1,0,-1), (1,1,1). lam = (-1, 1, 1, 1):
    # column 1: -1*0 + 1*0 + 1*(-1) + 1*1 = 0; column 2: 0 - 1 + 0 + 1 = 0; column 3: 1 - 1 - 1 + 1 = 0;
    # sum lam = 2 > 0. Only the sign condition lam >= 0 rules it out, and AND is separable.
    A = separate([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 0, 0, 1]).A
    np.testing.assert_array_equal(np.array([-1, 1, 1, 1]) @ A, 0)
    assert not verify_certificate(A, (-1, 1, 1, 1))
    # XOR's certificate (1, 1, 1, 1) is a real one.
    assert verify_certificate(separate([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]).A, (1, 1, 1, 1))


# ----------------------------------------------------------------------------- Boltzmann clamping noise
def test_noisy_clamp_turns_on_units_off_with_the_first_rate():
    """Kills: the two noise rates swapped (Ackley, Hinton & Sejnowski 1985: on -> off 0.15, off -> on 0.05)."""
    rng = np.random.default_rng(0)
    on, off = np.ones(20_000), np.zeros(20_000)
    clamped = noisy_clamp(np.concatenate([on, off]), (0.4, 0.0), rng)
    assert not clamped[20_000:].any()                        # off -> on with probability 0: never
    assert abs(1.0 - clamped[:20_000].mean() - 0.4) < 0.02   # on -> off with probability 0.4
    clamped = noisy_clamp(np.concatenate([on, off]), (0.0, 0.3), rng)
    assert clamped[:20_000].all()                            # on -> off with probability 0: never
    assert abs(clamped[20_000:].mean() - 0.3) < 0.02         # off -> on with probability 0.3


# ----------------------------------------------------------------------------- the MLP's dead zone
def test_dead_zone_zeroes_only_errors_strictly_inside_it():
    """Kills: the dead zone's ``<`` -> ``<=`` (and a dead zone that is ignored: no test used it)."""
    spec = NetSpec(n_layers=1, hidden="sigmoid", output="sigmoid", loss="mse", reduction="sum", skip=False,
                   masks=(None,))
    y = np.array([[0.875, 0.75, 0.0625]])                    # exact binary fractions
    D = np.array([[1.0, 1.0, 0.0]])
    # dead_zone = 0.25: |0.875 - 1| = 0.125 < 0.25 -> no error; |0.75 - 1| = 0.25 is not inside
    # ("on" must be *above* 1 - 0.25, as RHW's 0.8 for 0.2) -> error -0.25; |0.0625 - 0| < 0.25 -> 0.
    # E = 1/2 (0.25)^2 = 0.03125; delta = (y - d) y (1 - y) = -0.25 * 0.75 * 0.25 = -0.046875.
    E, delta, _ = loss_and_delta(y, D, spec, dead_zone=0.25)
    assert E == 0.03125
    np.testing.assert_array_equal(delta, [[0.0, -0.046875, 0.0]])


# ----------------------------------------------------------------------------- LeCun's diagonal curvature
def _gauss_newton_diagonal(net, X, out_hessian, eps=1e-5):
    """sum_n J_n^T H_n J_n for every weight, J_n = d(outputs of pattern n)/d(weight) by central differences."""
    out = []
    for layer in net.layers:
        for p in layer.params.values():
            h = np.zeros(p.shape)
            for i in np.ndindex(p.shape):
                old = p[i]
                p[i] = old + eps
                up = net.forward(X, training=False)
                p[i] = old - eps
                down = net.forward(X, training=False)
                p[i] = old
                J = (up - down) / (2 * eps)                             # (N, n_out)
                h[i] = np.einsum("ni,nij,nj->", J, out_hessian, J)
            out.append(h)
    return out


def test_diagonal_hessian_equals_gauss_newton_where_the_diagonal_is_exact():
    """Kills: f' not squared through an activation layer, the RBF layer's (dy/dx)^2 = 4 (x - w)^2
    taken as 2 (x - w)^2, the cross-entropy curvature p (1 - p) not divided by the batch size, and
    the subsampling layer's s^2 (for coef) and coef^2 (passed back) taken unsquared.

    Each weight below reaches the outputs by a single unit, and the squared error's output curvature
    is diagonal, so LeCun et al.'s (1998, appendix C) diagonal estimate drops nothing: it must be the
    Gauss-Newton diagonal sum_n J^T H J exactly (and for one linear layer under cross-entropy, the
    true second derivative too).
    """
    from annhist.cnn import RBF, Conv2d, Flatten, Sequential, Subsampling, diagonal_hessian
    from annhist.layers import ActivationLayer, Dense

    rng = np.random.default_rng(0)
    X, labels = rng.normal(size=(5, 3)), np.array([0, 1, 1, 0, 1])
    X_maps = rng.normal(size=(5, 1, 4, 4))
    every = None
    cases = [([Dense(3, 4, random_state=1), ActivationLayer("tanh"), Dense(4, 2, random_state=2)], X, "mse", every),
             ([Dense(3, 4, random_state=1), RBF(rng.normal(size=(2, 4)))], X, "mse", every),
             ([Dense(3, 2, random_state=1)], X, "cross_entropy", every),
             # a 1x1 convolution with one bias per unit, then LeNet's subsampling: each of those biases
             # reaches one output through coef, and coef is linear in the outputs; the shared 1x1
             # weights reach each output through 4 units of a window, so they are not compared.
             ([Conv2d(1, 2, 1, bias="unshared", input_size=(4, 4), random_state=1), Subsampling(2, random_state=2),
               Flatten()], X_maps, "mse", [False, True, True, True])]
    for layers, X, loss, compare in cases:
        net = Sequential(layers, input_shape=X.shape[1:], loss=loss)
        out = net.forward(X, training=False)
        n, k = out.shape
        if loss == "mse":                             # E = mean over patterns and outputs of (y - d)^2
            H = np.broadcast_to(2.0 / (n * k) * np.eye(k), (n, k, k))
        else:                                         # E = mean over patterns of -log softmax(z)_label
            p = np.exp(out - out.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            H = (np.einsum("ni,ij->nij", p, np.eye(k)) - np.einsum("ni,nj->nij", p, p)) / n
        pairs = list(zip(diagonal_hessian(net, X, labels), _gauss_newton_diagonal(net, X, H)))
        for (got, want), exact in zip(pairs, compare or [True] * len(pairs)):
            if exact:
                np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-10)


# ----------------------------------------------------------------------------- ties
def test_synchronous_update_keeps_a_unit_whose_field_is_zero():
    """Kills: ``sync_update`` flipping a unit on a tie (the async rule's tie test did not cover it)."""
    # W = [[0,1,0],[1,0,0],[0,0,0]], s = (1, -1, -1): h = s W = (-1, 1, 0) -> (-1, 1, and unit 3 keeps -1).
    W = [[0, 1, 0], [1, 0, 0], [0, 0, 0]]
    np.testing.assert_array_equal(sync_update(W, [1, -1, -1]), [-1, 1, -1])
    np.testing.assert_array_equal(sync_update(np.zeros((3, 3)), [[1, -1, 1], [-1, -1, 1]]), [[1, -1, 1], [-1, -1, 1]])


def test_madaline_majority_tie_counts_as_plus_one():
    """Kills: the majority element breaking a tie (an even number of ADALINEs) toward -1; documented +1."""
    # sums: 1 - 1 = 0 (tie) -> +1; 1 + 1 = 2 -> +1; -1 - 1 = -2 -> -1; four units, 1 + 1 - 1 - 1 = 0 -> +1.
    np.testing.assert_array_equal(logic_output([[1, -1], [1, 1], [-1, -1]], "majority"), [1, 1, -1])
    np.testing.assert_array_equal(logic_output([[1, -1, -1, 1]], "majority"), [1])
