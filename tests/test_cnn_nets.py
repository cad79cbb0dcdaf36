"""The two historical nets: exact counts, whole-network gradients, training, persistence, bad input."""

import numpy as np
import pytest

from annhist.cnn import C3_TABLE, H2_TABLE, lecun1989, lenet5, lenet5_input, load_network
from annhist.cnn.network import pm1_targets
from annhist.validation import DivergenceError


def small_digits(n=300):
    """The first n of scikit-learn's 8x8 digits enlarged to 16x16 in [-1, 1] (the USPS fallback)."""
    from sklearn.datasets import load_digits

    d = load_digits()
    X = np.kron(d.images[:n], np.ones((1, 2, 2))) / 8.0 - 1.0
    return X, d.target[:n]


def test_lecun1989_counts_match_the_paper_exactly():
    net = lecun1989(random_state=0)
    # 256 inputs + 12*64 H1 + 12*16 H2 + 30 H3 + 10 outputs = 256 + 768 + 192 + 30 + 10
    assert net.n_units == 1256
    # H1 768 * (25 + 1) + H2 192 * (8*25 + 1) + H3 30 * (192 + 1) + out 10 * (30 + 1)
    assert net.count_connections() == 19968 + 38592 + 5790 + 310 == 64660
    # H1 12*25 + 768 biases, H2 12*200 + 192 biases, H3 5,790, out 310
    assert net.count_parameters() == 1068 + 2592 + 5790 + 310 == 9760
    rows = [r for r in net.summary() if r["units"]]
    assert [(r["units"], r["connections"], r["parameters"]) for r in rows] == [
        (256, 0, 0), (768, 19968, 1068), (192, 38592, 2592), (30, 5790, 5790), (10, 310, 310)]
    assert [r["output"] for r in rows] == [(1, 16, 16), (12, 8, 8), (12, 4, 4), (30,), (10,)]


def test_h2_scheme_reads_8_of_12_and_every_h1_map_is_read_8_times():
    assert H2_TABLE.shape == (12, 12)
    assert H2_TABLE.sum(axis=0).tolist() == [8] * 12
    assert H2_TABLE.sum(axis=1).tolist() == [8] * 12
    assert len({tuple(col) for col in H2_TABLE.T}) == 3        # three groups of four maps


def test_lenet5_counts_match_the_paper_exactly():
    net = lenet5(random_state=0)
    assert net.count_parameters() == 156 + 12 + 1516 + 32 + 48120 + 10164 == 60000
    rows = [r for r in net.summary() if r["units"]][1:]
    assert [r["parameters"] for r in rows] == [156, 12, 1516, 32, 48120, 10164, 0]
    # C1 4704*26, S2 1176*5, C3 100*1516, S4 400*5, C5 120*401, F6 84*121, RBF 10*84
    assert [r["connections"] for r in rows] == [122304, 5880, 151600, 2000, 48120, 10164, 840]
    assert net.count_connections() == 340908
    assert [r["output"] for r in rows] == [(6, 28, 28), (6, 14, 14), (16, 10, 10), (16, 5, 5), (120, 1, 1),
                                           (84,), (10,)]
    # the modern head adds a trainable 84 -> 10 layer: 840 + 10
    assert lenet5(random_state=0, head="softmax").count_parameters() == 60850


def test_c3_table_is_table_one_of_the_paper():
    assert C3_TABLE.sum(axis=0).tolist() == [3] * 6 + [4] * 9 + [6]
    # maps 0-5 read three contiguous S2 maps (cyclically): map 4 reads 4, 5, 0
    assert np.flatnonzero(C3_TABLE[:, 4]).tolist() == [0, 4, 5]
    # maps 12-14 read four non-contiguous maps; map 14 reads 0, 2, 3, 5
    assert np.flatnonzero(C3_TABLE[:, 14]).tolist() == [0, 2, 3, 5]


def test_init_is_uniform_in_2_4_over_fan_in():
    net = lecun1989(random_state=0)
    conv1, conv2, dense1, dense2 = net.layers[0], net.layers[2], net.layers[5], net.layers[7]
    for W, F in ((conv1.params["W"], 25), (conv2.params["W"][conv2.mask > 0], 200),
                 (dense1.params["W"], 192), (dense2.params["W"], 30)):
        assert np.abs(W).max() <= 2.4 / F and np.abs(W).max() > 0.9 * 2.4 / F
    k = lecun1989(random_state=0, init="karpathy")
    assert np.abs(k.layers[0].params["W"]).max() > 0.9 * 2.4 / 5          # +-2.4/sqrt(25)


def _network_gradient_check(net, x, labels, n_checks=6, seed=0, eps=1e-5):
    """Backprop through the whole net against central differences of its own loss, on a few weights."""
    from annhist.cnn.network import LOSSES

    value, grad, _ = LOSSES[net.loss]
    d = pm1_targets(labels, net.n_classes)
    out = net.forward(x, training=True)
    net.backward(grad(out, labels, d))
    rng = np.random.default_rng(seed)
    for layer in net.layers:
        for name, p in layer.params.items():
            mask = getattr(layer, "mask", None)
            candidates = np.flatnonzero(mask) if name == "W" and mask is not None else np.arange(p.size)
            for flat in rng.choice(candidates, size=min(n_checks, candidates.size), replace=False):
                i = np.unravel_index(flat, p.shape)
                old = p[i]
                p[i] = old + eps
                up = value(net.forward(x), labels, d)
                p[i] = old - eps
                down = value(net.forward(x), labels, d)
                p[i] = old
                # the RBF loss is ~80 while some gradients are ~1e-5: allow for the rounding of up - down
                assert np.isclose(layer.grads[name][i], (up - down) / (2 * eps), rtol=1e-4, atol=1e-8), (
                    type(layer).__name__, name, i)


def test_whole_network_gradients_lecun1989():
    X, y = small_digits(3)
    net = lecun1989(random_state=1, init="karpathy")   # larger weights: gradients far from zero
    _network_gradient_check(net, X[:, None], y)


@pytest.mark.parametrize("head", ["rbf", "softmax"])
def test_whole_network_gradients_lenet5(head):
    X, y = small_digits(2)
    net = lenet5(random_state=2, head=head)
    _network_gradient_check(net, lenet5_input(X), y, n_checks=3)


def test_fit_learns_and_is_reproducible():
    X, y = small_digits(500)
    # Karpathy's larger initial weights learn 400 digits within 3 passes; the paper's +-2.4/F start
    # slowly (the tiny H2 weights) and catch up over the 23 passes of the experiment.
    a = lecun1989(random_state=0, init="karpathy").fit(X[:400], y[:400], epochs=3, validation_data=(X[400:], y[400:]))
    b = lecun1989(random_state=0, init="karpathy").fit(X[:400], y[:400], epochs=3, validation_data=(X[400:], y[400:]))
    assert a.history_ == b.history_
    assert len(a.history_["train_error"]) == 3 and a.n_epochs_ == 3
    assert a.history_["train_error"][-1] < 0.1 < 0.9        # chance is 0.9
    assert a.history_["val_error"][-1] < 0.3
    assert a.history_["train_loss"][-1] < a.history_["train_loss"][0]
    assert a.score(X[400:], y[400:]) == pytest.approx(1 - a.history_["val_error"][-1])
    scores = a.decision_function(X[:5])
    assert scores.shape == (5, 10) and np.all(np.abs(scores) < 1.7159)
    assert a.predict(X[:5]).tolist() == np.argmax(scores, axis=1).tolist()


def test_minibatch_and_shuffle_options():
    X, y = small_digits(120)
    net = lecun1989(random_state=0, shuffle=True)
    net.batch_size = 10
    net.fit(X, y, epochs=2)
    assert len(net.history_["loss"]) == 2
    assert net.layers[0].propagate is True          # restored after training


def test_save_and_load_round_trip(tmp_path):
    X, y = small_digits(40)
    net = lecun1989(random_state=3).fit(X, y, epochs=1)
    path = net.save(tmp_path / "net")
    assert path.name == "net.npz"
    again = load_network(path)
    np.testing.assert_array_equal(again.decision_function(X), net.decision_function(X))
    assert again.count_parameters() == 9760
    lenet = lenet5(random_state=0, head="softmax")
    back = load_network(lenet.save(tmp_path / "lenet"))
    assert back.loss == "cross_entropy" and back.count_parameters() == 60850


def test_load_refuses_corrupt_or_foreign_files(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ValueError, match="corrupt"):
        load_network(bad)
    good = lecun1989(random_state=0).save(tmp_path / "good")
    data = good.read_bytes()
    (tmp_path / "cut.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError):
        load_network(tmp_path / "cut.npz")
    from annhist.io import save_arrays
    save_arrays(tmp_path / "other", {"W": np.zeros(3)}, kind="annhist.MLP")
    with pytest.raises(ValueError, match="not an annhist.cnn.Sequential file"):
        load_network(tmp_path / "other.npz")


def test_set_weights_is_all_or_nothing():
    net = lecun1989(random_state=0)
    w = net.get_weights()
    before = net.layers[0].params["W"].copy()
    w["0.W"] = w["0.W"] + 1.0
    w["7.b"] = np.zeros(3)                                   # wrong shape: nothing may change
    with pytest.raises(ValueError, match=r"'7.b' must be finite with shape \(10,\)"):
        net.set_weights(w)
    np.testing.assert_array_equal(net.layers[0].params["W"], before)


def test_bad_input_is_refused_with_the_expected_shape():
    net = lecun1989(random_state=0)
    X, y = small_digits(10)
    with pytest.raises(ValueError, match=r"'X' parameter of Sequential must have shape \(N, 1, 16, 16\). "
                                         r"Got \(10, 1, 8, 8\)"):
        net.fit(X[:, None, ::2, ::2], y)
    with pytest.raises(ValueError, match=r"must have shape \(N, 1, 16, 16\). Got \(10, 3, 16, 16\)"):
        net.predict(np.repeat(X[:, None], 3, axis=1))
    Xn = X.copy()
    Xn[3, 4, 5] = np.nan
    with pytest.raises(ValueError, match="'X' parameter of Sequential contains 1 NaN"):
        net.fit(Xn, y)
    with pytest.raises(ValueError, match=r"must hold class labels 0..9. Got \[-1.0, 10.0\]"):
        net.fit(X, np.r_[y[:8], -1, 10])
    with pytest.raises(ValueError, match=r"class labels 0..9. Got \[2.5\]"):
        net.fit(X, np.r_[y[:9], 2.5])
    with pytest.raises(ValueError, match="same number of samples. Got 10 and 9"):
        net.fit(X, y[:9])
    with pytest.raises(ValueError, match="'epochs' parameter of Sequential must be >= 0. Got -1"):
        net.fit(X, y, epochs=-1)
    with pytest.raises(ValueError, match="'init' parameter of lecun1989 must be one of 'paper', 'karpathy'"):
        lecun1989(init="glorot")
    with pytest.raises(ValueError, match="'head' parameter of lenet5 must be one of 'rbf', 'softmax'"):
        lenet5(head="svm")
    with pytest.raises(ValueError, match=r"lenet5_input must have shape \(N, 16, 16\)"):
        lenet5_input(np.zeros((2, 28, 28)))


def test_divergence_is_an_error():
    X, y = small_digits(20)
    with pytest.raises(DivergenceError, match="diverged at epoch 1"):
        lecun1989(random_state=0, eta=1e200).fit(X, y, epochs=1)


def test_lenet5_input_maps_background_and_ink():
    X = -np.ones((1, 16, 16))
    X[0, 4:12, 7:9] = 1.0                                     # a vertical stroke
    Z = lenet5_input(X)
    assert Z.shape == (1, 1, 32, 32)
    assert np.isclose(Z.min(), -0.1) and np.isclose(Z.max(), 1.175)   # background -0.1, ink 1.175
    assert np.allclose(Z[0, 0, :2], -0.1)                     # the 2-pixel border is background


def test_float32_networks_stay_float32_and_agree_with_float64(tmp_path):
    X, y = small_digits(60)
    f64 = lecun1989(random_state=5, init="karpathy")
    f32 = lecun1989(random_state=5, init="karpathy", dtype="float32")
    np.testing.assert_allclose(f32.decision_function(X), f64.decision_function(X), atol=1e-5)
    f32.fit(X, y, epochs=1)
    assert all(p.dtype == np.float32 for layer in f32.layers for p in layer.params.values())
    assert all(g.dtype == np.float32 for layer in f32.layers for g in layer.grads.values())
    assert f32.decision_function(X).dtype == np.float32
    back = load_network(f32.save(tmp_path / "f32"))
    assert back.dtype == np.float32
    np.testing.assert_array_equal(back.decision_function(X), f32.decision_function(X))
    lenet = lenet5(random_state=0, dtype="float32")
    assert lenet.layers[13].centres.dtype == np.float32
    with pytest.raises(ValueError, match="'dtype' parameter of Sequential must be one of 'float64', 'float32'"):
        lecun1989(dtype="float16")


def test_per_pattern_fit_restores_the_blas_threads():
    threadpoolctl = pytest.importorskip("threadpoolctl", reason="threadpoolctl limits BLAS threads")
    counts = lambda: [d["num_threads"] for d in threadpoolctl.threadpool_info() if d["user_api"] == "blas"]  # noqa: E731
    X, y = small_digits(20)
    # Two threads before the fit (with OPENBLAS_NUM_THREADS=1 the process starts with one): the per-pattern fit runs
    # on one, so giving the two back is what is checked.
    with threadpoolctl.threadpool_limits(limits=2, user_api="blas"):
        before = counts()
        assert before and max(before) == 2, before
        lecun1989(random_state=0).fit(X, y, epochs=1)
        assert counts() == before
