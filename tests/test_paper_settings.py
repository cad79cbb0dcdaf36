"""The papers' settings and reported numbers, pinned where the code states them.

Each test names the primary source of the value it checks (the book cites it from
book/references.bib). A default that differs from a paper must be a labelled variant, never a
silent change: these tests fail if a default drifts away from the paper's value, or if a
published number is restated differently in the code or on the "What we reproduced" page.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from annhist import experiments
from annhist.activations import lecun_tanh
from annhist.adaline.lms import lms_stability_limit, lms_update
from annhist.cnn import SDLM
from annhist.cnn.experiments import PAPER_1989, PAPER_1998
from annhist.cnn.nets import C3_TABLE, H2_TABLE, lecun1989, lenet5
from annhist.cnn.rbf import digit_bitmaps
from annhist.datasets import TGF_TARGETS, letters
from annhist.datasets.usps import N_TEST, N_TRAIN
from annhist.experiments.claims import CLAIMS
from annhist.losses import half_sse
from annhist.mcculloch_pitts import heat_cold_illusion
from annhist.mcculloch_pitts.nets import and_gate, or_gate
from annhist.mlp import family_trees
from annhist.mlp.network import MLP
from annhist.optimizers import Adam, Momentum
from annhist.perceptron import MarkI, Perceptron


def _defaults(name: str) -> dict:
    return {o.name: o.default for o in experiments.get(name).options}


def _claim(source: str, quantity_start: str):
    hits = [c for c in CLAIMS if c.source == source and c.quantity.startswith(quantity_start)]
    assert len(hits) == 1, (source, quantity_start, hits)
    return hits[0]


# --- 1943 ---------------------------------------------------------------------------------------

def test_mcculloch_pitts_fig1_thresholds():
    """McCulloch & Pitts 1943, Fig. 1b-c: OR has threshold 1, AND threshold 2."""
    assert or_gate().describe()[0]["threshold"] == 1
    assert and_gate().describe()[0]["threshold"] == 2


def test_heat_cold_net_is_fig1e_formula_on_every_input():
    """McCulloch & Pitts 1943, Fig. 1e: N3(t) = N1(t-1) or [N2(t-3) and not N2(t-2)];
    N4(t) = N2(t-2) and N2(t-1), for every heat/cold history of four steps."""
    net = heat_cold_illusion()
    for bits in itertools.product((0, 1), repeat=8):
        heat, cold = list(bits[:4]) + [0] * 4, list(bits[4:]) + [0] * 4
        out = net.run({"heat": heat, "cold": cold})
        h, c = out["heat"], out["cold"]
        for t in range(3, 8):
            assert out["feel_heat"][t] == int(h[t - 1] or (c[t - 3] and not c[t - 2])), (bits, t)
            assert out["feel_cold"][t] == int(c[t - 2] and c[t - 1]), (bits, t)


# --- 1958-1962 ----------------------------------------------------------------------------------

def test_perceptron_starts_at_zero_and_corrects_by_eta_y_x():
    """Novikoff 1962 (w0 = 0) and Rosenblatt's error correction w <- w + eta y x, bias folded in."""
    X, y = np.array([[2.0, -1.0], [-2.0, 1.0]]), np.array([1, 0])
    clf = Perceptron(eta=0.5, epochs=2).fit(X, y)           # epoch 2: no mistake
    # sample 0 (+1): w = 0 gives activation 0, a mistake: w = 0 + 0.5 * (+1) * (2, -1, 1);
    # sample 1 (-1): (1, -0.5, 0.5) . (-2, 1, 1) = -2, right: no change.
    assert clf.weights_.tolist() == [1.0, -0.5] and clf.bias_ == 0.5
    assert not Perceptron().shuffle                                    # fixed order unless asked


def test_mark1_dimensions():
    """Mark I operators' manual (Hay, Martin & Wightman 1960): 400 S-units (20 x 20), 512 A-units,
    8 R-units; each S-unit feeds at most 40 A-units."""
    assert (MarkI.n_sensory, MarkI.n_association, MarkI.n_response, MarkI.max_fan_out) == (400, 512, 8, 40)
    m = MarkI(random_state=0)
    assert m.n_association == 512 and m.max_fan_out == 40
    assert set(np.unique(m.connections)) <= {-1, 0, 1}                  # excitatory +1 / inhibitory -1
    assert np.count_nonzero(m.connections, axis=0).max() <= 40


# --- 1960 ---------------------------------------------------------------------------------------

def test_lms_uses_the_error_before_the_quantizer():
    """Widrow & Hoff 1960: w <- w + eta (d - w.x) x, the linear error, not the quantized one."""
    w, x = np.array([0.1, 0.2]), np.array([1.0, 1.0])                 # s = 0.3, sign(s) = +1 = d
    assert np.allclose(lms_update(w, x, 1.0, 0.5), w + 0.5 * 0.7 * x)  # still learns: 1 - 0.3 = 0.7


def test_adaline_letters_grid_targets_and_safe_step():
    """Widrow & Hoff 1960 (as Hagan, Demuth & Beale 1996 retell it): 16 switches of +-1 and a
    threshold weight; T, G, F at +60, 0, -60. tr(R) = 17 with the bias, so 2/tr(R) = 2/17."""
    X, _ = letters(("T", "G", "F"), shifts=True)
    assert X.shape[1] == 16 and set(np.unique(X)) == {-1.0, 1.0}
    assert TGF_TARGETS == {"T": 60.0, "G": 0.0, "F": -60.0}
    assert math.isclose(lms_stability_limit(X, bound="trace"), 2 / 17)
    assert lms_stability_limit(X) >= 2 / 17                            # lambda_max <= tr(R)


# --- 1986 ---------------------------------------------------------------------------------------

def test_rhw_common_settings():
    """Rumelhart, Hinton & Williams 1986: logistic units, E = 1/2 sum over cases and outputs of
    (y - d)^2, one change per sweep, Delta w(t) = -eps dE/dw + alpha Delta w(t-1), alpha 0.9,
    initial weights uniform in +-0.3 (Nature, Fig. 1)."""
    net = MLP([2, 2, 1])
    assert (net.activation, net.loss, net.reduction, net.init) == ("sigmoid", "mse", "sum", ("uniform", 0.3))
    opt = Momentum()
    assert (opt.eta, opt.alpha) == (0.5, 0.9)
    y, d = np.array([[0.8, 0.1], [0.3, 0.6]]), np.array([[1.0, 0.0], [0.0, 1.0]])
    assert math.isclose(half_sse(y, d), 0.5 * (0.04 + 0.01 + 0.09 + 0.16))   # summed over the cases


@pytest.mark.parametrize("name, eta", [("rhw-xor", 0.5), ("rhw-symmetry", 0.1), ("rhw-parity", 0.5)])
def test_rhw_experiment_step_sizes(name, eta):
    """RHW 1986: XOR (2-1-1 + direct connections) 558 sweeps at eta 0.5 (PDP ch. 8); symmetry
    eps 0.1, alpha 0.9 (Nature Fig. 1); 4-bit parity eta 0.5 (PDP ch. 8)."""
    d = _defaults(name)
    assert (d["eta"], d["alpha"]) == (eta, 0.9)


def test_family_trees_net_and_paper_schedule(monkeypatch):
    """RHW 1986 (Nature, Figs. 2-4): 36 -> 6+6 -> 12 -> 6 -> 24; 1,500 sweeps, eps 0.005 and alpha 0.5
    for the first 20, then eps 0.01 and alpha 0.9; 0.2 % decay per weight change; zero error
    beyond 0.8 / 0.2."""
    assert family_trees.SIZES == [36, 12, 12, 6, 24]
    mask = family_trees.family_tree_net(0).masks[0]
    assert mask[:24, :6].all() and not mask[:24, 6:].any() and mask[24:, 6:].all() and not mask[24:, :6].any()
    calls = []
    monkeypatch.setattr(MLP, "fit", lambda self, X, Y, *, optimizer, epochs, **kw: calls.append(
        (optimizer.eta, optimizer.alpha, epochs, kw["weight_decay"], kw["dead_zone"])) or self)
    family_trees.train_family_tree(np.zeros((100, 36)), np.zeros((100, 24)), variant="paper")
    assert calls == [(0.005, 0.5, 20, 0.002, 0.2), (0.01, 0.9, 1480, 0.002, 0.2)]
    assert _defaults("rhw-family-trees")["variant"] == "paper"


def test_family_tree_data_sizes():
    """RHW 1986: 24 people, 12 relations, 104 triples; trained on 100, tested on 4."""
    from annhist.datasets.family_trees import family_tree_cases, family_tree_split
    X, Y, triples = family_tree_cases()
    assert X.shape == (104, 36) and Y.shape == (104, 24) and len(triples) == 104
    Xtr, _, Xte, _, _ = family_tree_split(4, random_state=0)
    assert (len(Xtr), len(Xte)) == (100, 4)


# --- 1989 ---------------------------------------------------------------------------------------

def test_lecun1989_net_as_published():
    """LeCun et al. 1989: H1 12@8x8 (5x5, stride 2, one bias per unit), H2 12@4x4 reading 8 of the
    12 H1 maps, 30 and 10 units; scaled tanh; MSE on +-1 targets; weights uniform in +-2.4/F."""
    net = lecun1989(0)
    h1, h2 = net.layers[0], net.layers[2]
    assert (h1.stride, h1.padding, h1.params["b"].shape) == (2, 2, (12, 8, 8))
    assert (h2.stride, h2.padding, h2.params["b"].shape) == (2, 2, (12, 4, 4))
    assert H2_TABLE.sum(axis=0).tolist() == [8] * 12
    assert (net.loss, net.batch_size, net.epochs) == ("mse", 1, 23)
    for layer, fan_in in ((h1, 25), (h2, 200), (net.layers[5], 192), (net.layers[7], 30)):
        w = np.abs(layer.params["W"][layer.params["W"] != 0])
        assert w.max() <= 2.4 / fan_in and w.max() > 0.9 * 2.4 / fan_in, fan_in
        assert not layer.params["b"].any(), fan_in          # biases start at 0, as Karpathy's code
    assert (net.n_units, net.count_connections(), net.count_parameters()) == (1256, 64660, 9760)


def test_lecun1989_experiment_defaults_and_reported_numbers():
    """LeCun et al. 1989: 7,291 training and 2,007 test digits, 23 passes, +-2.4/F; reported
    0.14 % training and 5.0 % test error, MSE 2.5e-3 and 1.8e-2."""
    assert (N_TRAIN, N_TEST) == (7291, 2007)
    d = _defaults("lecun1989")
    assert (d["epochs"], d["init"]) == (23, "paper")
    assert {k: PAPER_1989[k] for k in ("train_error", "test_error", "train_mse", "test_mse", "passes")} == {
        "train_error": 0.0014, "test_error": 0.05, "train_mse": 2.5e-3, "test_mse": 1.8e-2, "passes": 23}


# --- 1998 ---------------------------------------------------------------------------------------

def test_lenet5_as_published():
    """LeCun et al. 1998, section II.B and Table I: the C3 connection table, trainable subsampling
    (a coefficient and a bias per map), 60,000 parameters, 340,908 connections, 7x12 RBF
    bitmaps of +-1, f(a) = 1.7159 tanh(2a/3)."""
    table = {0: (0, 1, 2), 1: (1, 2, 3), 2: (2, 3, 4), 3: (3, 4, 5), 4: (0, 4, 5), 5: (0, 1, 5),
             6: (0, 1, 2, 3), 7: (1, 2, 3, 4), 8: (2, 3, 4, 5), 9: (0, 3, 4, 5), 10: (0, 1, 4, 5),
             11: (0, 1, 2, 5), 12: (0, 1, 3, 4), 13: (1, 2, 4, 5), 14: (0, 2, 3, 5), 15: tuple(range(6))}
    assert {c: tuple(np.flatnonzero(C3_TABLE[:, c])) for c in range(16)} == table
    net = lenet5(0)
    assert [net.layers[i].params["coef"].shape for i in (2, 6)] == [(6,), (16,)]
    assert (net.count_parameters(), net.count_connections(), net.loss) == (60000, 340908, "rbf_map")
    bitmaps = digit_bitmaps()
    assert bitmaps.shape == (10, 84) and set(np.unique(bitmaps)) == {-1.0, 1.0}
    assert math.isclose(float(lecun_tanh(np.array(1.5))), 1.7159 * math.tanh(1.0))
    assert (PAPER_1998["mnist_test_error"], PAPER_1998["mnist_test_error_distorted"]) == (0.0095, 0.008)


def test_lenet5_docstring_points_to_the_papers_step():
    """LeCun et al. 1998 trained LeNet-5 with stochastic diagonal Levenberg-Marquardt, which
    annhist builds (annhist.cnn.SDLM) and which runs on LeNet-5's layers; the factory's
    docstring said it was 'not built here'."""
    assert "not built here" not in lenet5.__doc__ and "SDLM" in lenet5.__doc__
    assert "not built here" not in lecun1989.__doc__ and "SDLM" in lecun1989.__doc__
    rng = np.random.default_rng(0)
    net = lenet5(0, epochs=1)
    net.optimizer = SDLM(n_patterns=4, random_state=0)
    before = net.layers[0].params["W"].copy()
    net.fit(rng.uniform(-0.1, 1.175, (4, 1, 32, 32)), np.arange(4))
    assert np.abs(net.layers[0].params["W"] - before).max() > 0


# --- the modern toolkit -------------------------------------------------------------------------

def test_adam_defaults_are_kingma_and_ba():
    """Kingma & Ba 2014, Algorithm 1: alpha = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8."""
    opt = Adam()
    assert (opt.eta, opt.beta1, opt.beta2, opt.epsilon) == (0.001, 0.9, 0.999, 1e-8)


# --- the "What we reproduced" page ----------------------------------------------------------------

@pytest.mark.parametrize("source, start, value", [
    ("rumelhart1986pdp", "sweeps to learn XOR, 1 hidden unit", 558),
    ("rumelhart1986", "symmetry net 6-2-1: sweeps", 1425),
    ("rumelhart1986pdp", "4-bit parity, 4 hidden units: sweeps", 2825),
    ("lecun1989", "zip-code net: units", 1256),
    ("lecun1989", "zip-code net: connections", 64660),
    ("lecun1989", "zip-code net: independent parameters", 9760),
    ("lecun1989", "zip-code net: test error", 0.05),
    ("lecun1989", "zip-code net: training error", 0.0014),
    ("lecun1998", "LeNet-5: trainable parameters", 60000),
    ("lecun1998", "LeNet-5: connections", 340908),
    ("lecun1998", "LeNet-5: test error", 0.0095),
    ("hay1960", "Mark I dimensions", [400, 512, 8]),
    ("hay1960", "each S-unit feeds at most 40", 40),
])
def test_reproductions_page_states_the_papers_numbers(source, start, value):
    """The numbers of the reproductions page are the papers' (see the source of each row)."""
    assert _claim(source, start).paper == value


def test_data_dependent_cnn_rows_can_never_read_reproduced_on_a_stand_in():
    """An error rate computed on scikit-learn's digits says nothing about USPS or MNIST: every row
    of the two CNN experiments that depends on the data names the paper's data set (so a stand-in
    run reads 'not comparable'), and none of them claims more than 'reported'."""
    for c in CLAIMS:
        if c.experiment in ("lecun1989", "lenet5") and "error" in c.key:
            assert c.on_data in ("USPS", "MNIST") and c.check == "report", c
