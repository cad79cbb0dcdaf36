"""Bad input to annhist.cnn's losses, targets, curvature and layers: refused with the parameter's name."""

import numpy as np
import pytest

from annhist.cnn import Conv2d, Flatten, Sequential, Subsampling, diagonal_hessian, lecun1989, lenet5, lenet5_input
from annhist.cnn.heads import LOSSES, pm1_targets
from annhist.cnn.rbf import map_loss, map_loss_grad, rbf_map_loss, rbf_map_loss_grad
from annhist.layers import Dense

Y = np.random.default_rng(0).normal(size=(3, 10))


@pytest.mark.parametrize("f", [rbf_map_loss, rbf_map_loss_grad])
@pytest.mark.parametrize("labels, needle", [
    (np.array([-1, 1, 2]), "must hold class labels 0..9. Got \\[-1.0\\]"),     # read the last class
    (np.array([10, 1, 2]), "must hold class labels 0..9. Got \\[10.0\\]"),     # IndexError
    (np.array([0.5, 1, 2]), "must hold class labels 0..9. Got \\[0.5\\]"),     # IndexError
    (np.array([0, 1]), "must hold one label per pattern \\(3\\). Got 2"),       # IndexError
    (1, "must be a 1-D array"),
])
def test_rbf_map_loss_refuses_labels_that_are_not_classes(f, labels, needle):
    with pytest.raises(ValueError, match=f"'labels' parameter of {f.__name__} " + needle):
        f(Y, labels)


@pytest.mark.parametrize("f", [rbf_map_loss, rbf_map_loss_grad])
@pytest.mark.parametrize("y, needle", [(Y[0], "must be a 2-D array"), (np.zeros((0, 10)), "must be a 2-D array"),
                                       (Y * np.nan, "contains NaN")])
def test_rbf_map_loss_refuses_outputs_that_are_not_a_finite_batch(f, y, needle):
    # a 1-D y was an AxisError, an empty one NaN
    with pytest.raises(ValueError, match=f"'y' parameter of {f.__name__} " + needle):
        f(y, np.zeros(y.shape[0] if y.ndim else 1, int))
    with pytest.raises(ValueError, match=f"'j' parameter of {f.__name__}"):
        f(Y, np.array([0, 1, 2]), j=np.nan)


def test_rbf_map_loss_as_before_and_its_kernels_unchecked():
    labels = np.array([0, 1, 2])
    assert rbf_map_loss(Y, labels) == 2.5613722128635774 == map_loss(Y, labels)
    np.testing.assert_array_equal(rbf_map_loss_grad(Y, labels), map_loss_grad(Y, labels))
    assert rbf_map_loss(Y.tolist(), [0.0, 1.0, 2.0]) == 2.5613722128635774      # a list: was a TypeError
    assert np.isnan(LOSSES["rbf_map"][0](Y * np.nan, labels, None))   # training: NaN reaches the divergence check


@pytest.mark.parametrize("labels, n_classes, exc, needle", [
    (np.array([-1, 2]), 3, ValueError, "'labels' parameter of pm1_targets must hold class labels 0..2"),
    (np.array([5, 2]), 3, ValueError, "'labels' parameter of pm1_targets"),
    (np.array([0.5, 2]), 3, ValueError, "'labels' parameter of pm1_targets"),
    (np.array([0]), 0, ValueError, "'n_classes' parameter of pm1_targets"),
    (np.array([0]), -2, ValueError, "'n_classes' parameter of pm1_targets"),
    (np.array([0]), 2.0, TypeError, "'n_classes' parameter of pm1_targets"),
    (np.zeros(10**6, int), 10**3, ValueError, "'labels' and 'n_classes' parameters of pm1_targets"),
])
def test_pm1_targets_refuses_labels_outside_the_classes(labels, n_classes, exc, needle):
    # -1 marked the last class; 5, 0.5 and n_classes 0 were IndexErrors
    with pytest.raises(exc, match=needle):
        pm1_targets(labels, n_classes)


def test_pm1_targets_as_before_and_from_a_list():
    expected = [[1.0, -1, -1], [-1, -1, 1]]
    np.testing.assert_array_equal(pm1_targets(np.array([0, 2]), 3), expected)
    np.testing.assert_array_equal(pm1_targets([0, 2], 3), expected)                # was an AttributeError


def test_diagonal_hessian_checks_net_batch_and_labels():
    net = lecun1989(0, epochs=1)
    X = np.random.default_rng(0).random((3, 1, 16, 16))
    good = diagonal_hessian(net, X, np.array([0, 1, 2]))
    for labels, needle in ((np.array([0, 1, -1]), "class labels 0..9"), (np.array([0, 1, 10]), "class labels 0..9"),
                           (np.array([0, 1]), "one label per pattern"), (np.array([0.5, 1, 2]), "class labels")):
        with pytest.raises(ValueError, match="'labels' parameter of diagonal_hessian must hold " + needle):
            diagonal_hessian(net, X, labels)             # all four gave the same curvatures as good labels
    with pytest.raises(ValueError, match="'X' parameter of diagonal_hessian contains 768 NaN"):
        diagonal_hessian(net, X * np.nan, np.array([0, 1, 2]))           # was NaN curvatures
    with pytest.raises(ValueError, match="'X' parameter of diagonal_hessian must have shape \\(N, 1, 16, 16\\)"):
        diagonal_hessian(net, X[:, :, :8, :8], np.array([0, 1, 2]))
    with pytest.raises(TypeError, match="'net' parameter of diagonal_hessian"):
        diagonal_hessian(None, X, np.array([0, 1, 2]))                # was an AttributeError
    again = diagonal_hessian(net, X, [0, 1, 2])
    assert all(np.array_equal(a, b) for a, b in zip(good, again))


def test_diagonal_hessian_passes_a_float32_batch_on_as_it_is():
    import annhist.cnn.sdlm as sdlm
    net = lenet5(0, epochs=1, head="rbf", dtype="float32")
    X = lenet5_input(np.random.default_rng(0).random((2, 16, 16))).astype(np.float32)
    assert sdlm._check_batch(net, X, np.array([0, 1])) is X          # no float64 copy: the layers see what they did


def test_subsampling_caps_its_channels():
    from annhist.layers import MAX_WEIGHTS
    with pytest.raises(ValueError, match="'channels' parameter of Subsampling must be <= "):
        Subsampling(10**12)                                           # was a MemoryError
    assert Subsampling(6).params["coef"].shape == (6,) and MAX_WEIGHTS == 2**27


def test_unshared_biases_past_the_weight_cap_are_refused_not_allocated():
    # Found by the architecture-file property test: padding 16225 on a 6x6 input asked for 3 x 32,454 x 32,454
    # unshared biases, and numpy failed to allocate 23.5 GiB (a MemoryError, not a message naming the setting);
    # a large input_size does the same.
    with pytest.raises(ValueError, match=r"bias='unshared' and 'padding' 2 would hold 144,000,000 biases"):
        Conv2d(2, 1, 3, padding=2, bias="unshared", input_size=(11998, 11998))
    # Padding of the kernel size or more made units that read only padding, and a 298 GiB MemoryError in forward
    # for padding=100000 on a 4x4 input: it is refused.
    with pytest.raises(ValueError, match=r"The 'padding' parameter of Conv2d must be <= 2. Got 100000 instead."):
        Conv2d(1, 1, 3, padding=100000)
    assert Conv2d(2, 3, 3, padding=2, bias="unshared", input_size=(6, 6)).params["b"].shape == (3, 8, 8)


def test_a_layer_too_wide_for_one_pattern_is_refused_when_the_network_is_built(monkeypatch):
    # Sequential([Conv2d(1, 4096, 1), ...], input_shape=(1, 512, 512)) was built (536,579 parameters) and its
    # predict asked numpy for 8 GiB for one pattern, 1 TiB for a chunk of 128: a MemoryError deep in the forward
    # pass. A layer's output for one pattern is held to MAX_WEIGHTS numbers, checked when the shapes are inferred.
    from annhist.cnn import layer_info

    with pytest.raises(ValueError, match=r"'layers' parameter of Sequential holds a Conv2d whose output for one "
                                         r"pattern, of shape \(4096, 512, 512\), holds 1,073,741,824 numbers; at most "
                                         r"134,217,728\."):
        Sequential([Conv2d(1, 4096, 1)], input_shape=(1, 512, 512))
    monkeypatch.setattr(layer_info, "MAX_WEIGHTS", 2 * 4 * 4)
    assert Sequential([Conv2d(1, 2, 1)], input_shape=(1, 4, 4)).shapes_[-1] == (2, 4, 4)     # 32 numbers: allowed
    with pytest.raises(ValueError, match=r"of shape \(3, 4, 4\), holds 48 numbers; at most 32\."):
        Sequential([Conv2d(1, 3, 1)], input_shape=(1, 4, 4))


def test_predictions_run_fewer_patterns_at_once_when_a_layer_is_wide(monkeypatch):
    # 128 patterns at a time, fewer when 128 outputs of the widest layer would pass MAX_WEIGHTS numbers
    from annhist.cnn import layer_info

    assert [layer_info.patterns_at_once(n.layers, n.shapes_) for n in (lecun1989(0), lenet5(0))] == [128, 128]
    net = Sequential([Conv2d(1, 2, 3), Flatten(), Dense(18, 2)], input_shape=(1, 5, 5), loss="cross_entropy",
                     random_state=0)
    X = np.random.default_rng(0).normal(size=(10, 1, 5, 5))
    whole = net.decision_function(X)
    monkeypatch.setattr(layer_info, "MAX_WEIGHTS", 3 * 81)               # Conv2d's windows, 9 x 3 x 3, are widest
    seen = []
    forward = net.forward
    monkeypatch.setattr(net, "forward", lambda x, training=False: seen.append(len(x)) or forward(x, training))
    np.testing.assert_allclose(net.decision_function(X), whole, rtol=1e-12)
    assert seen == [3, 3, 3, 1]


def test_sizes_of_huge_inputs_are_counted_in_python_ints_not_wrapped():
    # Flatten's output size and the input's units were np.prod of the shape, an int64 that wraps around:
    # input_shape=(3, 6148914691236517206) flattened to (2,), so Flatten + Dense(2, 1) was built, 3 units counted
    from annhist.cnn import MaxPool2d

    side, big = 2**31 - 1, (3, 6148914691236517206)
    assert Flatten().output_shape(big) == (3 * 6148914691236517206,)
    with pytest.raises(ValueError, match=r"holds a Flatten whose output for one pattern, of shape "
                                         r"\(18446744073709551618,\), holds 18,446,744,073,709,551,618 numbers"):
        Sequential([Flatten(), Dense(2, 1)], input_shape=big)
    net = Sequential([MaxPool2d(2**20)], input_shape=(4, side, side))          # 4 x (2**31 - 1)**2 > 2**63
    assert net.shapes_[-1] == (4, 2047, 2047) and net.n_units == 4 * side * side + 4 * 2047 * 2047


@pytest.mark.parametrize("make, match", [
    (lambda big: Dense(3, big), r"Dense\(3, 6148914691236517206\) would hold 18,446,744,073,709,551,618 weights"),
    (lambda big: Conv2d(3, big, 1), r"would hold 18,446,744,073,709,551,618 weights; the 'in_channels' x"),
])
def test_layer_sizes_given_as_numpy_ints_do_not_wrap_around(make, match):
    # 3 x np.int64(6148914691236517206) is 2 in int64 arithmetic: the weight cap let the layer through and numpy
    # failed allocating it ("array is too big"); the product is now taken in Python ints
    with pytest.raises(ValueError, match=match):
        make(np.int64(6148914691236517206))


def test_predictions_count_the_windows_a_pooling_or_convolution_layer_reads(monkeypatch):
    # MaxPool2d(30, stride=1) on 300 x 300 inputs has small outputs but reads 900 x 271 x 271 window entries a
    # pattern: predict asked numpy for 63 GiB for its 128 patterns at once. Windows count like outputs now.
    from annhist.cnn import MaxPool2d, layer_info

    assert layer_info.pattern_numbers(Conv2d(2, 3, (3, 2)), (2, 6, 5), (3, 4, 4)) == 2 * 3 * 2 * 4 * 4
    assert layer_info.pattern_numbers(MaxPool2d(3, stride=1), (1, 8, 8), (1, 6, 6)) == 9 * 36
    net = Sequential([MaxPool2d(3, stride=1), Flatten(), Dense(36, 2)], input_shape=(1, 8, 8), loss="cross_entropy",
                     random_state=0)
    X = np.random.default_rng(0).normal(size=(10, 1, 8, 8))
    whole = net.decision_function(X)
    monkeypatch.setattr(layer_info, "MAX_WEIGHTS", 3 * 9 * 36)            # the windows: 324 numbers a pattern
    seen = []
    forward = net.forward
    monkeypatch.setattr(net, "forward", lambda x, training=False: seen.append(len(x)) or forward(x, training))
    np.testing.assert_allclose(net.decision_function(X), whole, rtol=1e-12)    # BLAS sums may differ in the last bit
    assert seen == [3, 3, 3, 1]


def test_training_mini_batches_are_held_to_max_weights_in_their_widest_layer(monkeypatch):
    # Sequential([MaxPool2d(30, stride=1), ...], input_shape=(1, 300, 300), batch_size=64).fit was a 15.8 GiB
    # MemoryError (each half-batch's windows); a mini-batch x its widest layer's numbers a pattern is held to
    # MAX_WEIGHTS, counting the patterns the batch really holds (batch_size beyond the data is the whole data)
    from annhist.cnn import MaxPool2d, layer_info

    def net(batch_size):
        return Sequential([MaxPool2d(3, stride=1), Flatten(), Dense(36, 2)], input_shape=(1, 8, 8), epochs=1,
                          batch_size=batch_size, loss="cross_entropy", random_state=0)

    X, y = np.random.default_rng(0).normal(size=(5, 1, 8, 8)), np.array([0, 1, 0, 1, 0])
    monkeypatch.setattr(layer_info, "MAX_WEIGHTS", 3 * 9 * 36)             # 3 patterns' windows
    net(3).fit(X, y)
    net(100).fit(X[:3], y[:3])
    with pytest.raises(ValueError, match=r"'batch_size' parameter of Sequential asks for 4 patterns at once; the "
                                         r"network's widest layer takes 324 numbers a pattern, 1,296 in all: at most "
                                         r"972\. Use at most 3 patterns\."):
        net(4).fit(X, y)
    conv = Sequential([Conv2d(1, 2, 3), Flatten(), Dense(72, 2)], input_shape=(1, 8, 8), loss="cross_entropy",
                      random_state=0)                                        # its windows: 324 numbers a pattern
    diagonal_hessian(conv, X[:3], y[:3])                                    # the curvature's batch, likewise
    with pytest.raises(ValueError, match=r"'X' parameter of diagonal_hessian asks for 4 patterns at once"):
        diagonal_hessian(conv, X[:4], y[:4])
