"""Each optimizer against a step computed by hand, and against torch.optim where torch is installed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from annhist.mlp.landscapes import LANDSCAPES, descend, ravine, rosenbrock, rosenbrock_grad
from annhist.optimizers import OPTIMIZERS, SGD, AdaGrad, Adam, Momentum, Nesterov, RMSProp, get_optimizer

G1, G2 = 2.0, -1.0          # the gradients of two successive steps, for one weight starting at w = 1


def _two_steps(opt):
    w = np.array([1.0])
    opt.step([w], [np.array([G1])])
    first = float(w[0])
    opt.step([w], [np.array([G2])])
    return first, float(w[0])


def test_sgd_by_hand():
    # w1 = 1 - 0.1*2 = 0.8;  w2 = 0.8 - 0.1*(-1) = 0.9
    assert _two_steps(SGD(eta=0.1)) == pytest.approx((0.8, 0.9), abs=1e-15)


def test_momentum_by_hand():
    # Delta w(1) = -0.1*2 = -0.2                      -> w1 = 0.8
    # Delta w(2) = -0.1*(-1) + 0.9*(-0.2) = 0.1 - 0.18 = -0.08 -> w2 = 0.72
    assert _two_steps(Momentum(eta=0.1, alpha=0.9)) == pytest.approx((0.8, 0.72), abs=1e-15)


def test_nesterov_by_hand():
    # v1 = -0.1*2 = -0.2;  w1 = 1 + 0.9*(-0.2) - 0.1*2 = 1 - 0.18 - 0.2 = 0.62
    # v2 = 0.9*(-0.2) - 0.1*(-1) = -0.08;  w2 = 0.62 + 0.9*(-0.08) + 0.1 = 0.62 - 0.072 + 0.1 = 0.648
    assert _two_steps(Nesterov(eta=0.1, alpha=0.9)) == pytest.approx((0.62, 0.648), abs=1e-15)


def test_adagrad_by_hand():
    # G1 = 4;  w1 = 1 - 0.1*2/(2 + 1e-10) = 0.9 (to 1e-11)
    # G2 = 4 + 1 = 5;  w2 = 0.9 + 0.1*1/sqrt(5) = 0.9 + 0.0447213595 = 0.9447213595
    first, second = _two_steps(AdaGrad(eta=0.1))
    assert first == pytest.approx(0.9, abs=1e-10)
    assert second == pytest.approx(0.9 + 0.1 / math.sqrt(5), abs=1e-10)


def test_rmsprop_by_hand():
    # E[g^2]1 = 0.1*4 = 0.4;  w1 = 1 - 0.01*2/sqrt(0.4) = 1 - 0.0316227766 = 0.9683772234
    # E[g^2]2 = 0.9*0.4 + 0.1*1 = 0.46;  w2 = w1 + 0.01/sqrt(0.46) = w1 + 0.0147441956
    first, second = _two_steps(RMSProp(eta=0.01, rho=0.9))
    assert first == pytest.approx(1 - 0.02 / math.sqrt(0.4), abs=1e-9)
    assert second == pytest.approx(first + 0.01 / math.sqrt(0.46), abs=1e-9)


def test_adam_by_hand():
    # t=1: m = 0.1*2 = 0.2, v = 0.001*4 = 0.004; m_hat = 0.2/0.1 = 2, v_hat = 0.004/0.001 = 4
    #      w1 = 1 - 0.1 * 2/(2 + 1e-8) = 0.9000000005 (the first Adam step is about eta * sign(g))
    # t=2: m = 0.9*0.2 + 0.1*(-1) = 0.08; v = 0.999*0.004 + 0.001*1 = 0.004996
    #      m_hat = 0.08/0.19 = 0.42105263; v_hat = 0.004996/0.001999 = 2.49924962, sqrt = 1.58090152
    #      w2 = 0.9 - 0.1 * 0.42105263/1.58090152 = 0.9 - 0.02663370 = 0.87336630
    first, second = _two_steps(Adam(eta=0.1))
    assert first == pytest.approx(0.9, abs=1e-8)
    m_hat, v_hat = 0.08 / 0.19, 0.004996 / (1 - 0.999 ** 2)
    assert second == pytest.approx(first - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8), abs=1e-12)
    assert second == pytest.approx(0.87336630, abs=1e-8)


def test_state_is_per_parameter_and_reset_forgets_it():
    opt = Momentum(eta=0.1, alpha=0.5)
    a, b = np.zeros(2), np.zeros((2, 2))
    opt.step([a, b], [np.ones(2), np.ones((2, 2))])
    assert opt.t == 1 and [s["delta"].shape for s in opt.state] == [(2,), (2, 2)]
    with pytest.raises(ValueError, match=r"state.*reset\(\)"):
        opt.step([a], [np.ones(2)])
    opt.reset()
    assert opt.t == 0 and opt.state == []
    with pytest.raises(ValueError, match=r"\(3,\)"):
        opt.step([a], [np.ones(3)])


@pytest.mark.parametrize("cls", list(OPTIMIZERS.values()))
def test_bad_hyperparameters_name_the_parameter(cls):
    with pytest.raises(ValueError, match=f"'eta' parameter of {cls.__name__} must be > 0. Got 0"):
        cls(eta=0)
    with pytest.raises(TypeError, match="'eta'"):
        cls(eta="fast")


def test_momentum_alpha_must_be_below_one():
    with pytest.raises(ValueError, match="'alpha' parameter of Momentum must be < 1. Got 1"):
        Momentum(eta=0.1, alpha=1)
    assert isinstance(get_optimizer("adam"), Adam) and isinstance(get_optimizer(None), SGD)


def _torch_pairs(torch):
    """(ours, torch's) with the same meaning; torch's SGD momentum buffer v = alpha v + g gives Delta w = -eta v."""
    return [
        (SGD(eta=0.001), lambda p: torch.optim.SGD(p, lr=0.001)),
        (Momentum(eta=0.001, alpha=0.9), lambda p: torch.optim.SGD(p, lr=0.001, momentum=0.9)),
        (Nesterov(eta=0.001, alpha=0.9), lambda p: torch.optim.SGD(p, lr=0.001, momentum=0.9, nesterov=True)),
        (AdaGrad(eta=0.1), lambda p: torch.optim.Adagrad(p, lr=0.1, eps=1e-10)),
        (RMSProp(eta=0.01, rho=0.9), lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-8)),
        (Adam(eta=0.01), lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, 0.999), eps=1e-8)),
    ]


@pytest.mark.parametrize("k", range(6), ids=[c.__name__ for c in (SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adam)])
def test_matches_torch_optim_on_rosenbrock(k):
    torch = pytest.importorskip("torch", reason="torch.optim is the reference (make bench installs it)")
    ours, make = _torch_pairs(torch)[k]
    path = descend(ours, rosenbrock_grad, [-1.2, 1.0], 50)
    w = torch.tensor([-1.2, 1.0], dtype=torch.float64, requires_grad=True)
    opt = make([w])
    ref = [w.detach().numpy().copy()]
    for _ in range(50):
        opt.zero_grad()
        f = (1 - w[0]) ** 2 + 100 * (w[1] - w[0] ** 2) ** 2
        f.backward()
        opt.step()
        ref.append(w.detach().numpy().copy())
    np.testing.assert_allclose(path, np.array(ref), rtol=1e-9, atol=1e-12)


def test_landscape_gradients_by_central_differences():
    rng = np.random.default_rng(0)
    for name, (f, grad, minimum) in LANDSCAPES.items():
        assert float(f(np.array(minimum))) == 0.0
        for w in rng.uniform(-2, 2, size=(5, 2)):
            h = 1e-6
            num = [(f(w + h * e) - f(w - h * e)) / (2 * h) for e in np.eye(2)]
            np.testing.assert_allclose(grad(w), num, rtol=1e-6, atol=1e-6)
    assert rosenbrock(np.zeros((2, 3, 4))).shape == (3, 4) and ravine(np.ones(2)) == pytest.approx(10.5)


def test_descend_reaches_the_minimum_and_stops_when_it_flies_off():
    path = descend(Momentum(eta=0.02, alpha=0.9), LANDSCAPES["ravine"][1], [2.0, 1.0], 300)
    assert path.shape == (301, 2) and np.allclose(path[-1], 0, atol=1e-3)
    wild = descend(SGD(eta=1.0), LANDSCAPES["ravine"][1], [2.0, 1.0], 100)   # eta * curvature 20 > 2: diverges
    assert np.all(np.isfinite(wild)) and np.array_equal(wild[-1], wild[-2])
    with pytest.raises(ValueError, match="'w0'.*2 numbers"):
        descend(SGD(), rosenbrock_grad, [1.0, 2.0, 3.0], 5)


def test_check_makes_the_checks_of_step_once_before_a_loop():
    opt = Momentum(eta=0.1, alpha=0.9)
    opt.check([np.zeros(3), np.zeros((2, 2))])                  # a fresh optimizer fits any float arrays
    with pytest.raises(TypeError, match="'params' parameter of Momentum.step must be a list of float arrays"):
        opt.check([np.zeros(3, dtype=int)])
    opt.step([np.zeros(3)], [np.ones(3)])
    with pytest.raises(ValueError, match="does not match this optimizer's state"):
        opt.check([np.zeros(4)])                                # the state is another model's
    opt.check([np.zeros(3)])
