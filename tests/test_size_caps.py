"""Sizes that multiply out past what a laptop holds are refused up front, naming the parameters and the cap.

Each test lowers the cap with monkeypatch so that its boundary is cheap to draw; the message names the cap.
"""

import numpy as np
import pytest

from annhist import ConvergenceWarning
from annhist.mlp import MLP, MLPClassifier


def test_mlp_caps_the_weights_of_all_layers_together(monkeypatch):
    # 40 layers of 10,000 units each passed the per-layer cap and asked for 3.9e9 weights (30 GB)
    monkeypatch.setattr("annhist.mlp.checks.MAX_WEIGHTS", 100)
    assert MLP([5, 10, 5]).layers_[1].params["W"].shape == (10, 5)   # 50 + 50 weights: at the cap
    with pytest.raises(ValueError, match=r"'sizes' parameter of MLP asks for 150 weights in all; .*MAX_WEIGHTS = 100"):
        MLP([5, 10, 10])                                           # 50 + 100: each layer within it, not together
    with pytest.raises(ValueError, match=r"'sizes' parameter of MLP asks for 160 weights in all"):
        MLPClassifier(hidden_layer_sizes=(10, 10)).fit(np.eye(5)[:4], [0, 1, 0, 1])   # 5x10 + 10x10 + 10x1 > 100


def test_mlp_classifier_caps_its_one_hot_targets(monkeypatch):
    # y = arange(30,000) (a continuous target by mistake) built np.eye(30,000): a 6.7 GiB MemoryError
    monkeypatch.setattr("annhist.mlp.estimators.MAX_WEIGHTS", 12)
    X = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]])
    clf = MLPClassifier(hidden_layer_sizes=(2,), epochs=3, random_state=0)
    with pytest.warns(UserWarning):
        clf.fit(X, [0, 1, 2, 2])                                   # 4 samples x 3 classes = 12: at the cap
    assert clf.n_outputs_ == 3
    with pytest.raises(ValueError, match=r"'y' parameter of MLPClassifier has 4 classes over 4 samples: .*16 numbers, "
                                         r"more than MAX_WEIGHTS = 12"):
        clf.fit(X, [0, 1, 2, 3])


def test_noise_canceller_caps_its_weight_history(monkeypatch):
    # 10**5 samples with 10**5 taps allocated a 10**5 x 10**5 weight history: a 75 GiB MemoryError
    from annhist.adaline.filter import noise_canceller
    monkeypatch.setattr("annhist.adaline.filter.MAX_WEIGHTS", 40)
    x = np.sin(np.arange(10.0))
    assert noise_canceller(x, x, 4, 0.01).weight_history.shape == (10, 4)   # 40 numbers: at the cap
    with pytest.raises(ValueError, match=r"'n_taps' parameter of noise_canceller is 5 on 10 samples: .*50 numbers, "
                                         r"more than MAX_WEIGHTS = 40"):
        noise_canceller(x, x, 5, 0.01)


def test_usps_npz_reader_refuses_a_declared_shape_the_file_does_not_hold_unallocated(tmp_path):
    # a 1 kB usps.npz whose X_train header declares shape (10**12,) was a 7.28 TiB MemoryError in np.load
    from conftest import write_npz_with_header

    from annhist.datasets.usps import read_usps_npz
    header = b"{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }"
    path = write_npz_with_header(tmp_path / "usps.npz", ["X_train", "y_train", "X_test", "y_test"], header)
    with pytest.raises(ValueError, match=r"not a valid USPS .npz file: array 'X_train.npy' declares shape "
                                         r"\(1000000000000,\) of float64 \(8,000,000,000,000 bytes\) but holds 16"):
        read_usps_npz(path)


def test_load_arrays_caps_the_bytes_a_file_declares_in_all(tmp_path, monkeypatch):
    # an 8 MB deflated file of 8 GiB of zeros (honest headers, deflate packs zeros 1032-fold) was read in full
    from annhist.io import load_arrays, save_arrays
    path = save_arrays(tmp_path / "a", {"W": np.zeros(10), "b": np.ones(3)}, kind="annhist.A")
    total = np.zeros(10).nbytes + np.ones(3).nbytes + np.array("annhist.A").nbytes + np.array(1).nbytes
    monkeypatch.setattr("annhist.io.MAX_FILE_BYTES", total)
    assert sorted(load_arrays(path, kind="annhist.A")) == ["W", "b"]          # at the cap
    monkeypatch.setattr("annhist.io.MAX_FILE_BYTES", total - 1)
    with pytest.raises(ValueError, match=rf"its arrays declare {total} bytes or more .*MAX_FILE_BYTES = {total - 1}"):
        load_arrays(path, kind="annhist.A")


def test_train_many_caps_the_history_it_records(monkeypatch):
    # 10**5 seeds x 10**5 epochs with record_history=True allocated two 75 GiB arrays (a MemoryError)
    from annhist.mlp import train_many
    monkeypatch.setattr("annhist.mlp.many.MAX_WEIGHTS", 20)
    X, Y = [[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]]
    assert train_many([2, 2, 1], X, Y, seeds=[0, 1], epochs=10, record_history=True).history.shape == (2, 10)
    assert train_many([2, 2, 1], X, Y, seeds=[0, 1], epochs=11).history is None      # no history: no cap
    with pytest.raises(ValueError, match=r"record_history=True .*2 seeds x epochs=11 is more than MAX_WEIGHTS = 20"):
        train_many([2, 2, 1], X, Y, seeds=[0, 1], epochs=11, record_history=True)


def test_xor_states_caps_the_sweeps_it_trains_from_scratch(monkeypatch):
    # every state is a run from sweep 0: 3 seeds at every 1000th sweep up to 100,000 trained 15 million net-sweeps
    from annhist.mlp.explore_xor import xor_states
    monkeypatch.setattr("annhist.mlp.explore_xor.MAX_SWEEPS", 10)
    monkeypatch.setattr("annhist.mlp.explore_xor.MAX_RUN_SWEEPS", 15)
    assert len(xor_states(seeds=(0,), sweeps=(0, 3, 7))["nets"]) == 3               # 10 sweeps: at both caps' side
    with pytest.raises(ValueError, match=r"ask for 11 sweeps in all .* for 1 seeds; at most MAX_SWEEPS = 10"):
        xor_states(seeds=(0,), sweeps=(0, 4, 7))
    with pytest.raises(ValueError, match=r"ask for 10 sweeps in all .* for 2 seeds; .*MAX_RUN_SWEEPS = 15 seeds x"):
        xor_states(seeds=(0, 1), sweeps=(0, 3, 7))


def test_order_lp_caps_points_times_masks(monkeypatch):
    # all 65,536 patterns of 16 inputs at order 16 built a 65,536 x 65,536 mask matrix: a 32 GiB MemoryError
    from annhist.datasets import parity
    from annhist.xor import order_lp, parity_order
    monkeypatch.setattr("annhist.xor.minsky_papert.MAX_LP_ENTRIES", 64)
    X, y = parity(3)
    assert not order_lp(X, 2 * y - 1, 2).feasible                 # 8 points x 7 masks
    assert parity_order(3).order == 3                             # 8 x 8 = 64: at the cap
    monkeypatch.setattr("annhist.xor.minsky_papert.MAX_LP_ENTRIES", 63)
    with pytest.raises(ValueError, match=r"'X' and 'k' parameters of order_lp ask for an LP over 8 points x 8 masks "
                                         r"of size <= 3 = 64 numbers, more than MAX_LP_ENTRIES = 63"):
        order_lp(X, 2 * y - 1, 3)


def test_the_mark_i_plugboard_is_capped(monkeypatch):
    # 10**6 A-units on 10**6 S-units allocated a 931 GiB plugboard; MarkI(n_association=10**7) on the retina 3.7 GiB
    from annhist.datasets import retina_shapes
    from annhist.perceptron import MarkI, wire_plugboard
    monkeypatch.setattr("annhist.perceptron.plugboard.MAX_WEIGHTS", 40)
    assert wire_plugboard(0, n_sensory=10, n_association=4, n_excitatory=1, n_inhibitory=0).shape == (4, 10)
    with pytest.raises(ValueError, match=r"'n_association' parameter of wire_plugboard asks for a plugboard of 5 A-units "
                                         r"x 10 S-units \('n_sensory'\) = 50 sockets, more than MAX_WEIGHTS = 40"):
        wire_plugboard(0, n_sensory=10, n_association=5, n_excitatory=1, n_inhibitory=0)
    X, y = retina_shapes(20, random_state=0)
    monkeypatch.setattr("annhist.perceptron.plugboard.MAX_WEIGHTS", 4 * 400)
    with pytest.warns(ConvergenceWarning):                      # 4 A-units cannot learn the shapes
        assert MarkI(n_association=4, random_state=0).fit(X, y).connections.shape == (4, 400)
    with pytest.raises(ValueError, match=r"'n_association' parameter of MarkI asks for a plugboard of 5 A-units x 400 "
                                         r"S-units \(one per feature of 'X'\) = 2,000 sockets, more than MAX_WEIGHTS"):
        MarkI(n_association=5, random_state=0).fit(X, y)


def test_the_cases_sent_through_an_mlp_at_once_are_capped(monkeypatch):
    # a 16 MB X of 10**6 points through 1,000 hidden units made 7.5 GiB of activations (full batch, or predict
    # after a mini-batch fit: MLPClassifier trained first and died in its check of the training accuracy)
    from annhist.mlp import train_by_pattern, train_many
    monkeypatch.setattr("annhist.mlp.checks.MAX_WEIGHTS", 12)     # [2, 2, 1]: 3 hidden and output units
    X4, Y4 = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]]), np.array([0.0, 1, 1, 0])
    X5, Y5 = np.vstack([X4, X4[:1]]), np.append(Y4, 0.0)
    net = MLP([2, 2, 1], random_state=0).fit(X4, Y4, epochs=2, verbose=False)           # 4 x 3 = 12: at the cap
    assert net.predict(X4).shape == (4, 1)
    refused = r"'X' parameter of MLP sends 5 cases at once through the 3 hidden and output units: 15 activations, "
    with pytest.raises(ValueError, match=refused + r"more than MAX_WEIGHTS = 12. At most 4 at a time "
                                                   r"\(or train with a batch_size"):
        net.fit(X5, Y5, epochs=2, verbose=False)
    net.fit(X5, Y5, epochs=2, batch_size=4, verbose=False)                              # 4 cases at a time
    with pytest.raises(ValueError, match=refused):
        net.fit(X5, Y5, epochs=2, batch_size=4, stop_within=0.4, verbose=False)         # stop_within: all 5
    for call in (net.predict, net.layer_outputs, lambda X: net.error(X, Y5)):
        with pytest.raises(ValueError, match=refused):
            call(X5)
    for train in (train_many, train_by_pattern):
        train([2, 2, 1], X4, Y4[:, None], seeds=[0], epochs=1)
        with pytest.raises(ValueError, match=r"sends 4 cases x 2 seeds at once .*24 activations"):
            train([2, 2, 1], X4, Y4[:, None], seeds=[0, 1], epochs=1)
    with pytest.raises(ValueError, match=r"'X' parameter of MLPClassifier sends 5 cases at once .*15 activations"):
        MLPClassifier(hidden_layer_sizes=(2,), batch_size=1).fit(X5, [0, 1, 1, 0, 0])  # before training, not after
    from annhist.mlp.universal import bump_network, sup_error
    net = bump_network(np.sin, 0.0, 1.0, 1)                                            # 2 hidden + 1 output units
    assert sup_error(net, np.sin, 0.0, 1.0, n_points=4) < 1
    with pytest.raises(ValueError, match=r"'n_points' parameter of sup_error sends 5 cases at once .*15 activations"):
        sup_error(net, np.sin, 0.0, 1.0, n_points=5)


def test_gradient_check_caps_its_work(monkeypatch):
    # 4 evaluations of E per weight: a 784-100-10 net on 1,000 cases asked for 2.5e13 multiply-adds (an hour)
    from annhist.mlp import gradient_check
    net, X, Y = MLP([2, 2, 1], random_state=0), np.ones((4, 2)), np.ones((4, 1))
    work = 4 * 9 * (4 * 9 + 2**18)                                # 9 weights on 4 cases
    monkeypatch.setattr("annhist.mlp.gradcheck.MAX_CHECK_WORK", work)
    assert gradient_check(net, X, Y) < 1e-6                       # at the cap
    monkeypatch.setattr("annhist.mlp.gradcheck.MAX_CHECK_WORK", work - 1)
    with pytest.raises(ValueError, match=rf"'net' and 'X' parameters of gradient_check ask for 4 evaluations of E for "
                                         rf"each of 9 weights on 4 cases: .* = {work:,} multiply-adds, more than "
                                         rf"MAX_CHECK_WORK = {work - 1:,}"):
        gradient_check(net, X, Y)


def test_the_digit_text_readers_cap_line_length_and_digits(tmp_path, monkeypatch):
    # a 3 MB gzip of one 3 GB line was a MemoryError; a 3 MB gzip of 1.2 million digit lines ran 70 s into one
    import bz2

    from annhist.datasets.libsvm import read_libsvm
    from annhist.datasets.usps import read_usps_text
    monkeypatch.setattr("annhist.datasets.libsvm.MAX_LINE", 2000)
    monkeypatch.setattr("annhist.datasets.libsvm.MAX_DIGITS", 2)
    row = "6.0000 " + " ".join(["-1.000"] * 256) + "\n"          # 1,799 characters
    (tmp_path / "two.txt").write_text(row * 2)
    assert read_usps_text(tmp_path / "two.txt")[0].shape == (2, 16, 16)
    (tmp_path / "three.txt").write_text(row * 3)
    with pytest.raises(ValueError, match=r"three.txt' holds more than MAX_DIGITS = 2 digits"):
        read_usps_text(tmp_path / "three.txt")
    (tmp_path / "long.txt").write_text(row + "6.0000" + " -1.000" * 300 + "\n")
    with pytest.raises(ValueError, match=r"long.txt', line 2: longer than MAX_LINE = 2,000 characters"):
        read_usps_text(tmp_path / "long.txt")
    line = "1 " + " ".join(f"{i}:0.55" for i in range(1, 257)) + "\n"   # 2,198 characters
    (tmp_path / "usps.bz2").write_bytes(bz2.compress(line.encode()))
    with pytest.raises(ValueError, match=r"usps.bz2, line 1: longer than MAX_LINE = 2,000 characters"):
        read_libsvm(tmp_path / "usps.bz2")


def test_mse_surface_caps_weight_vectors_times_patterns(monkeypatch):
    # 10**5 weight vectors on 10**5 patterns formed a 10**5 x 10**5 matrix of outputs: a 75 GiB MemoryError
    from annhist.adaline import mse_surface
    monkeypatch.setattr("annhist.adaline.lms.MAX_WEIGHTS", 12)
    X, d = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([1.0, -1.0, 1.0, -1.0])
    assert mse_surface(X, d, np.zeros((3, 2))).tolist() == [1.0, 1.0, 1.0]          # 3 x 4 = 12: at the cap
    with pytest.raises(ValueError, match=r"'W' and 'X' parameters of mse_surface give 4 weight vectors x 4 patterns = "
                                         r"16 outputs at once, more than MAX_WEIGHTS = 12"):
        mse_surface(X, d, np.zeros((2, 2, 2)))


def test_model_files_cap_their_json_configuration(tmp_path, monkeypatch):
    # a 1 MB file whose deflated config was a 1 GB JSON list of zeros: half a billion Python ints, a MemoryError
    from annhist.io import load_arrays
    from annhist.perceptron import Perceptron
    X, y = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]]), np.array([0, 0, 0, 1])
    for model, load in ((Perceptron(random_state=0).fit(X, y), Perceptron.load),
                        (MLP([2, 2, 1], random_state=0), MLP.load)):
        path = model.save(tmp_path / type(model).__name__)
        size = load_arrays(path, kind=f"annhist.{type(model).__name__}", allow_extra=True)["config"].size
        monkeypatch.setattr("annhist.io.MAX_CONFIG_BYTES", size)
        load(path)                                                               # at the cap
        monkeypatch.setattr("annhist.io.MAX_CONFIG_BYTES", size - 1)
        with pytest.raises(ValueError, match=rf"configuration is bad or incomplete \(it holds {size:,} bytes, more "
                                             rf"than MAX_CONFIG_BYTES = {size - 1:,}\)"):
            load(path)


def test_separable_fraction_caps_points_times_dimensions(monkeypatch):
    # N=10**6 points in d=10**4 dimensions drew a 75 GiB data set per trial (10**7 numbers ran HiGHS out of memory)
    from annhist.perceptron.capacity import separable_fraction
    monkeypatch.setattr("annhist.perceptron.capacity.MAX_SAMPLE_VALUES", 12)
    assert 0 <= separable_fraction(4, 3, trials=2, random_state=0) <= 1           # 12 numbers: at the cap
    with pytest.raises(ValueError, match=r"'N' and 'd' parameters of separable_fraction ask for 13 points x 1 "
                                         r"dimensions = 13 numbers per linear program, more than MAX_SAMPLE_VALUES = 12"):
        separable_fraction(13, 1, trials=2, random_state=0)


def test_the_caps_take_their_products_in_python_ints():
    # numpy int64 products wrap around at 2**63: 4 seeds x epochs=np.int64(2**62) made 0 and passed the cap
    from annhist.adaline.filter import noise_canceller
    from annhist.mlp import train_many
    from annhist.perceptron import wire_plugboard
    from annhist.perceptron.capacity import separable_fraction
    big = np.int64(2**62)
    X, Y = [[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]]
    with pytest.raises(ValueError, match=r"4 seeds x epochs=4,611,686,018,427,387,904 is more than MAX_WEIGHTS"):
        train_many([2, 2, 1], X, Y, seeds=range(4), epochs=big, record_history=True)
    with pytest.raises(ValueError, match=r"4,611,686,018,427,387,904 A-units x 4 S-units .* more than MAX_WEIGHTS"):
        wire_plugboard(0, n_sensory=4, n_association=big, n_excitatory=1, n_inhibitory=0, max_fan_out=big)
    with pytest.raises(ValueError, match=r"ask for 4,611,686,018,427,387,904 points x 4 dimensions"):
        separable_fraction(big, np.int64(4), trials=1)
    x = np.ones(2**20)                                            # n_taps <= the samples: no wrap within a real signal
    with pytest.raises(ValueError, match=r"'n_taps' parameter of noise_canceller is 1,048,576 on 1,048,576 samples"):
        noise_canceller(x, x, np.int64(2**20), 0.01)


def test_older_caps_take_their_products_in_python_ints_too():
    # np.int64(2**62) x 4 wrapped to 0: linearly_separable then failed in numpy ('negative dimensions'), response_codes
    # with 'array is too big'
    from annhist.datasets import linearly_separable
    from annhist.perceptron.plugboard import response_codes
    with pytest.raises(ValueError, match=r"ask for 4611686018427387904 x 4 numbers; at most MAX_VALUES"):
        linearly_separable(np.int64(2**62), np.int64(4))
    with pytest.raises(ValueError, match=r"code table of more than MAX_CODE_ENTRIES"):
        response_codes(np.int64(2**62), "binary", n_response=np.int64(64))


def test_the_initializers_cap_the_shape_they_draw(monkeypatch):
    # uniform(rng, (10**6, 10**6), 0.3) asked numpy for 7.28 TiB; (2**40, 2**40) was numpy's 'array is too big'
    from annhist import initializers
    monkeypatch.setattr("annhist.initializers.MAX_WEIGHTS", 12)
    assert initializers.uniform(0, (3, 4), 0.3).shape == (3, 4)                         # at the cap
    for draw in (lambda: initializers.uniform(0, (13,), 0.3), lambda: initializers.he_normal(0, (13, 1), 2),
                 lambda: initializers.initialize("xavier", 0, (1, 13), 1, 13)):
        with pytest.raises(ValueError, match=r"'shape' parameter of (uniform|he_normal|xavier_uniform) asks for 13 "
                                             r"weights \(shape .*\), more than MAX_WEIGHTS = 12"):
            draw()
