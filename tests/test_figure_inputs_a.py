"""Bad input to the figures of the perceptron, ADALINE and convnet chapters is refused at the top.

Each bad call raises a ``TypeError`` or ``ValueError`` naming the parameter, instead of an
``IndexError`` or a broadcast error deep inside numpy or matplotlib, or a figure that silently
leaves something out; each function still draws a figure from valid input.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from annhist.adaline import Adaline, Madaline
from annhist.adaline import figures as ada
from annhist.cnn import figures as cnn
from annhist.cnn import lecun1989
from annhist.cnn.nets import H2_TABLE
from annhist.cnn.network import Sequential
from annhist.cnn.receptive_field import receptive_field
from annhist.layers import Dense
from annhist.perceptron import figures as per

NAN = float("nan")
RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(-1, 1, (6, 16, 16))                       # six 16x16 "digits"
Y_TRUE, Y_PRED = np.array([0, 1, 2, 3, 4, 5]), np.array([0, 1, 2, 3, 5, 4])
CURVE = {"train_error": [0.3, 0.2, 0.1], "test_error": [0.35, 0.25, 0.2]}
X1 = np.linspace(-1, 1, 6)[:, None]                            # one feature, for the LMS bowl
D1 = np.sign(X1[:, 0] + 0.1)
PATH = np.array([[0.0, 0.0], [0.1, 0.2], [0.15, 0.3]])        # (T, 2) weights, bias first
LETTERS = np.where(RNG.random((4, 16)) < 0.5, -1.0, 1.0)
X2 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y2 = np.array([0, 0, 1, 1])
DRIFT = [("run", np.array([[1.0, 0.1], [1.0, 0.2]]), np.array([-0.5, -0.4]))]
XOR = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
Y_XOR = np.array([0, 1, 1, 0])
WAVE = np.sin(np.arange(50) / 4.0)
RETINA = RNG.integers(0, 2, (3, 400)).astype(float)
WIRING = RNG.choice([-1, 0, 1], size=(5, 400))


@functools.cache
def net() -> Sequential:
    return lecun1989(random_state=0)


@functools.cache
def madaline() -> Madaline:
    return Madaline(n_adalines=2, output="or", random_state=0).fit(XOR, Y_XOR)


@functools.cache
def fields() -> dict[str, Any]:
    return {"1989 net": (receptive_field(net()), (16, 16), ["H1", "H2", "H3", "output"])}


def dense_net() -> Sequential:
    return Sequential([Dense(4, 2)], input_shape=(4,))


def lms(**kw: Any) -> Figure:
    args = {"X": X1, "d": D1, "runs": [("run", PATH, False)], **kw}
    return ada.plot_lms_trajectories(args.pop("X"), args.pop("d"), args.pop("runs"), **args)


def fields_with(**entry: Any) -> dict[str, Any]:
    rows, size, names = fields()["1989 net"]
    parts = {"rows": rows, "size": size, "names": names, **entry}
    return {"1989 net": (parts["rows"], parts["size"], parts["names"])}


BAD: list[tuple[str, Callable[[], Any], str]] = [
    # ---- cnn
    ("kernels-net-type", lambda: cnn.plot_kernels("lenet"), "net"),
    ("kernels-net-no-conv", lambda: cnn.plot_kernels(dense_net()), "net"),
    ("kernels-which-range", lambda: cnn.plot_kernels(net(), which=5), "which"),
    ("kernels-which-negative", lambda: cnn.plot_kernels(net(), which=-1), "which"),
    ("kernels-which-float", lambda: cnn.plot_kernels(net(), which=0.5), "which"),
    ("maps-net-type", lambda: cnn.plot_feature_maps(None, IMAGES[0]), "net"),
    ("maps-x-shape", lambda: cnn.plot_feature_maps(net(), np.zeros(10)), "x"),
    ("maps-x-nan", lambda: cnn.plot_feature_maps(net(), np.full((16, 16), NAN)), "x"),
    ("maps-names-short", lambda: cnn.plot_feature_maps(net(), IMAGES[0], names=["H1"]), "names"),
    ("maps-names-type", lambda: cnn.plot_feature_maps(net(), IMAGES[0], names=[1, 2]), "names"),
    ("confusion-length", lambda: cnn.plot_confusion(Y_TRUE, Y_PRED[:4]), "y_pred"),
    ("confusion-label-range", lambda: cnn.plot_confusion([0, 10], [0, 1]), "y_true"),
    ("confusion-label-negative", lambda: cnn.plot_confusion([0, 1], [0, -1]), "y_pred"),
    ("confusion-label-fraction", lambda: cnn.plot_confusion([0.5, 1], [0, 1]), "y_true"),
    ("confusion-label-string", lambda: cnn.plot_confusion(["a", "b"], [0, 1]), "y_true"),
    ("confusion-label-2d", lambda: cnn.plot_confusion([[0, 1]], [[0, 1]]), "y_true"),
    ("confusion-n-classes-zero", lambda: cnn.plot_confusion([0], [0], n_classes=0), "n_classes"),
    ("confusion-n-classes-type", lambda: cnn.plot_confusion([0], [0], n_classes="10"), "n_classes"),
    ("wrong-X-rank", lambda: cnn.plot_misclassified(IMAGES[0], Y_TRUE, Y_PRED), "X"),
    ("wrong-X-channels", lambda: cnn.plot_misclassified(np.zeros((6, 3, 16, 16)), Y_TRUE, Y_PRED), "X"),
    ("wrong-y-true-length", lambda: cnn.plot_misclassified(IMAGES, Y_TRUE[:3], Y_PRED), "y_true"),
    ("wrong-y-pred-nan", lambda: cnn.plot_misclassified(IMAGES, Y_TRUE, [0, 1, 2, 3, 4, NAN]), "y_pred"),
    ("wrong-max-images-negative", lambda: cnn.plot_misclassified(IMAGES, Y_TRUE, Y_PRED, max_images=-1),
     "max_images"),
    ("wrong-max-images-float", lambda: cnn.plot_misclassified(IMAGES, Y_TRUE, Y_PRED, max_images=2.5), "max_images"),
    ("curve-history-type", lambda: cnn.plot_cnn_learning_curve([0.1, 0.2]), "history"),
    ("curve-history-key", lambda: cnn.plot_cnn_learning_curve({"train": [0.1]}), "history"),
    ("curve-train-nan", lambda: cnn.plot_cnn_learning_curve({"train_error": [0.1, NAN]}), "history"),
    ("curve-train-2d", lambda: cnn.plot_cnn_learning_curve({"train_error": [[0.1, 0.2]]}), "history"),
    ("curve-train-percent", lambda: cnn.plot_cnn_learning_curve({"train_error": [30.0, 20.0]}), "history"),
    ("curve-test-length", lambda: cnn.plot_cnn_learning_curve({"train_error": [0.2, 0.1], "test_error": [0.3]}),
     "history"),
    ("curve-paper-type", lambda: cnn.plot_cnn_learning_curve(CURVE, paper_test_error="5%"), "paper_test_error"),
    ("table-rank", lambda: cnn.plot_connection_table(np.ones(6)), "table"),
    ("table-values", lambda: cnn.plot_connection_table(np.full((2, 3), 2)), "table"),
    ("table-nan", lambda: cnn.plot_connection_table(np.array([[1.0, NAN]])), "table"),
    ("table-rows-type", lambda: cnn.plot_connection_table(H2_TABLE, rows=3), "rows"),
    ("table-title-type", lambda: cnn.plot_connection_table(H2_TABLE, title=5), "title"),
    ("demo-kernel-too-large", lambda: cnn.plot_conv_pool_demo(np.ones((5, 5)), np.ones((5, 5))), "kernel"),
    ("demo-kernel-rank", lambda: cnn.plot_conv_pool_demo(np.ones((8, 8)), np.ones(3)), "kernel"),
    ("demo-image-rank", lambda: cnn.plot_conv_pool_demo(np.ones((1, 8, 8)), np.ones((3, 3))), "image"),
    ("demo-image-nan", lambda: cnn.plot_conv_pool_demo(np.full((8, 8), NAN), np.ones((3, 3))), "image"),
    ("fields-type", lambda: cnn.plot_receptive_fields([fields()]), "nets"),
    ("fields-empty", lambda: cnn.plot_receptive_fields({}), "nets"),
    ("fields-names-short", lambda: cnn.plot_receptive_fields(fields_with(names=["H1", "H2"])), "nets"),
    ("fields-size", lambda: cnn.plot_receptive_fields(fields_with(size=(16,))), "nets"),
    # ---- adaline
    ("lms-X-features", lambda: lms(X=np.ones((6, 2))), "X"),
    ("lms-d-length", lambda: lms(d=D1[:4]), "d"),
    ("lms-runs-empty", lambda: lms(runs=[]), "runs"),
    ("lms-runs-weights-shape", lambda: lms(runs=[("run", np.ones((3, 3)), False)]), "runs"),
    ("lms-runs-diverged-type", lambda: lms(runs=[("run", PATH, "yes")]), "runs"),
    ("lms-margin", lambda: lms(margin=-1.0), "margin"),
    ("lms-max-steps", lambda: lms(max_steps=-5), "max_steps"),
    ("letters-X-columns", lambda: ada.plot_letters(np.ones((2, 15)), ["T", "J"]), "X"),
    ("letters-labels-short", lambda: ada.plot_letters(LETTERS, ["T", "J"]), "labels"),
    ("letters-outputs-length", lambda: ada.plot_letters(LETTERS, list("TJTJ"), outputs=[0.5]), "outputs"),
    ("letters-ncols-zero", lambda: ada.plot_letters(LETTERS, list("TJTJ"), ncols=0), "ncols"),
    ("letters-ncols-float", lambda: ada.plot_letters(LETTERS, list("TJTJ"), ncols=2.5), "ncols"),
    ("weights-size", lambda: ada.plot_adaline_weights(np.ones(15), 0.0), "weights"),
    ("weights-nan", lambda: ada.plot_adaline_weights(np.full(16, NAN), 0.0), "weights"),
    ("weights-bias-type", lambda: ada.plot_adaline_weights(np.ones(16), "b"), "bias"),
    ("weights-knobs-length", lambda: ada.plot_adaline_weights(np.ones(16), 0.0, knobs=np.ones(16)), "knobs"),
    ("weights-knobs-fraction", lambda: ada.plot_adaline_weights(np.ones(16), 0.0, knobs=np.full(17, 1.5)), "knobs"),
    ("weights-title-type", lambda: ada.plot_adaline_weights(np.ones(16), 0.0, title=3), "title"),
    ("learning-history-type", lambda: ada.plot_learning_curve(None), "history"),
    ("learning-history-key", lambda: ada.plot_learning_curve({"mse": [1.0, 0.5]}), "history"),
    ("learning-history-length", lambda: ada.plot_learning_curve({"mse": [1.0, 0.5], "errors": [3]}), "history"),
    ("learning-history-negative", lambda: ada.plot_learning_curve({"mse": [1.0, -0.5], "errors": [3, 2]}),
     "history"),
    ("learning-title-type", lambda: ada.plot_learning_curve({"mse": [1.0], "errors": [3]}, title=None), "title"),
    ("drift-X-features", lambda: ada.plot_boundary_drift(np.ones((4, 3)), Y2, DRIFT), "X"),
    ("drift-y-classes", lambda: ada.plot_boundary_drift(X2, [0, 1, 2, 2], DRIFT), "y"),
    ("drift-y-length", lambda: ada.plot_boundary_drift(X2, [0, 1, 1], DRIFT), "y"),
    ("drift-runs-bias", lambda: ada.plot_boundary_drift(X2, Y2, [("run", DRIFT[0][1], np.zeros(3))]), "runs"),
    ("drift-runs-type", lambda: ada.plot_boundary_drift(X2, Y2, None), "runs"),
    ("drift-last", lambda: ada.plot_boundary_drift(X2, Y2, DRIFT, last=0), "last"),
    ("drift-axis-labels", lambda: ada.plot_boundary_drift(X2, Y2, DRIFT, axis_labels=("x",)), "axis_labels"),
    ("madaline-net-type", lambda: ada.plot_madaline_xor(Adaline(), XOR, Y_XOR), "net"),
    ("madaline-net-unfitted", lambda: ada.plot_madaline_xor(Madaline(), XOR, Y_XOR), "net"),
    ("madaline-X-features", lambda: ada.plot_madaline_xor(madaline(), np.ones((4, 3)), Y_XOR), "X"),
    ("madaline-y-class", lambda: ada.plot_madaline_xor(madaline(), XOR, [0, 1, 1, 5]), "y"),
    ("madaline-lim", lambda: ada.plot_madaline_xor(madaline(), XOR, Y_XOR, lim=-1.0), "lim"),
    ("noise-window-type", lambda: ada.plot_noise_cancelling(WAVE, WAVE, WAVE, window=(0, 20)), "window"),
    ("noise-window-empty", lambda: ada.plot_noise_cancelling(WAVE, WAVE, WAVE, window=slice(60, 80)), "window"),
    ("noise-primary-length", lambda: ada.plot_noise_cancelling(WAVE, WAVE[:40], WAVE), "primary"),
    ("noise-output-nan", lambda: ada.plot_noise_cancelling(WAVE, WAVE, np.full(50, NAN)), "output"),
    ("noise-signal-rank", lambda: ada.plot_noise_cancelling(WAVE[None], WAVE, WAVE), "signal"),
    # ---- perceptron
    ("boundary-X-features", lambda: per.plot_boundary(np.ones((4, 3)), Y2, [1.0, 1.0], 0.0), "X"),
    ("boundary-X-nan", lambda: per.plot_boundary(np.full((4, 2), NAN), Y2, [1.0, 1.0], 0.0), "X"),
    ("boundary-y-classes", lambda: per.plot_boundary(X2, [0, 1, 2, 2], [1.0, 1.0], 0.0), "y"),
    ("boundary-weights-length", lambda: per.plot_boundary(X2, Y2, [1.0, 1.0, 1.0], 0.0), "weights"),
    ("boundary-bias-type", lambda: per.plot_boundary(X2, Y2, [1.0, 1.0], "b"), "bias"),
    ("boundary-names", lambda: per.plot_boundary(X2, Y2, [1.0, 1.0], 0.0, feature_names=("a",)), "feature_names"),
    ("novikoff-length", lambda: per.plot_novikoff([1, 2, 3], [4.0, 5.0]), "bounds"),
    ("novikoff-bound-zero", lambda: per.plot_novikoff([1, 2], [0.0, 5.0]), "bounds"),
    ("novikoff-margins", lambda: per.plot_novikoff([1, 2], [4.0, 5.0], [-0.1, 0.1]), "margins"),
    ("novikoff-updates-rank", lambda: per.plot_novikoff([[1, 2]], [4.0, 5.0]), "updates"),
    ("retina-images-shape", lambda: per.plot_retina(np.ones((3, 100)), ["a", "b", "c"]), "images"),
    ("retina-images-type", lambda: per.plot_retina([["x"] * 400], ["a"]), "images"),
    ("retina-labels-short", lambda: per.plot_retina(RETINA, ["a"]), "labels"),
    ("retina-ncols", lambda: per.plot_retina(RETINA, ["a", "b", "c"], ncols=0), "ncols"),
    ("retina-title", lambda: per.plot_retina(RETINA, ["a", "b", "c"], title=1), "title"),
    ("wiring-shape", lambda: per.plot_wiring(np.ones((5, 399))), "connections"),
    ("wiring-values", lambda: per.plot_wiring(np.full((5, 400), 2)), "connections"),
    ("wiring-units-range", lambda: per.plot_wiring(WIRING, units=(0, 9)), "units"),
    ("wiring-units-empty", lambda: per.plot_wiring(WIRING, units=()), "units"),
    ("wiring-fan-out", lambda: per.plot_wiring(WIRING, max_fan_out=-1), "max_fan_out"),
    ("shift-length", lambda: per.plot_shift_generalization([0, 1, 2], [0.9, 0.5], chance=0.3), "accuracy"),
    ("shift-accuracy-range", lambda: per.plot_shift_generalization([0, 1], [0.9, 1.5], chance=0.3), "accuracy"),
    ("shift-chance-type", lambda: per.plot_shift_generalization([0, 1], [0.9, 0.5], chance=None), "chance"),
    ("shift-trained-at", lambda: per.plot_shift_generalization([0, 1], [0.9, 0.5], chance=0.3, trained_at=3),
     "trained_at"),
    ("pocket-length", lambda: per.plot_pocket([3, 2, 1], [3, 2], 10), "perceptron_mistakes"),
    ("pocket-n-samples-zero", lambda: per.plot_pocket([3, 2], [3, 2], 0), "n_samples"),
    ("pocket-n-samples-float", lambda: per.plot_pocket([3, 2], [3, 2], 2.5), "n_samples"),
    ("pocket-negative", lambda: per.plot_pocket([3, 2], [3, -2], 10), "pocket_mistakes"),
    ("cover-length", lambda: per.plot_cover([2, 4, 6], [1.0, 0.5], [1.0, 0.5, 0.2], 2), "measured"),
    ("cover-theory-range", lambda: per.plot_cover([2, 4], [1.0, 0.5], [1.0, 1.5], 2), "theory"),
    ("cover-N-fraction", lambda: per.plot_cover([2, 4.5], [1.0, 0.5], [1.0, 0.5], 2), "N"),
    ("cover-dim", lambda: per.plot_cover([2, 4], [1.0, 0.5], [1.0, 0.5], 0), "dim"),
]


@pytest.mark.parametrize("call, param", [pytest.param(call, param, id=case) for case, call, param in BAD])
def test_bad_input_is_refused_naming_the_parameter(call: Callable[[], Any], param: str) -> None:
    try:
        with pytest.raises((ValueError, TypeError), match=f"'{param}'"):
            call()
    finally:
        plt.close("all")


GOOD: list[tuple[str, Callable[[], Any]]] = [
    ("plot_kernels", lambda: cnn.plot_kernels(net())),
    ("plot_feature_maps", lambda: cnn.plot_feature_maps(net(), IMAGES[0], names=["H1", "H2"])),
    ("plot_confusion", lambda: cnn.plot_confusion(list(Y_TRUE), Y_PRED)),
    ("plot_misclassified", lambda: cnn.plot_misclassified(IMAGES[:, None], Y_TRUE, Y_PRED)),
    ("plot_cnn_learning_curve", lambda: cnn.plot_cnn_learning_curve(CURVE, paper_test_error=0.05)),
    ("plot_rbf_bitmaps", cnn.plot_rbf_bitmaps),
    ("plot_connection_table", lambda: cnn.plot_connection_table(H2_TABLE, rows="in", cols="out", title="t")),
    ("plot_conv_pool_demo", lambda: cnn.plot_conv_pool_demo(IMAGES[0], [[1, 0, -1], [2, 0, -2], [1, 0, -1]])),
    ("plot_receptive_fields", lambda: cnn.plot_receptive_fields(fields())),
    ("plot_lms_trajectories", lambda: lms()),
    ("plot_letters", lambda: ada.plot_letters(LETTERS, list("TJTJ"), outputs=[0.5, -0.5, 1.0, -1.0], ncols=2)),
    ("plot_adaline_weights", lambda: ada.plot_adaline_weights(np.ones(16), 0.5, knobs=np.arange(17) - 8)),
    ("plot_learning_curve", lambda: ada.plot_learning_curve({"mse": np.array([1.0, 0.5]), "errors": [3, 1]})),
    ("plot_boundary_drift", lambda: ada.plot_boundary_drift(X2, ["a", "a", "b", "b"], DRIFT)),
    ("plot_madaline_xor", lambda: ada.plot_madaline_xor(madaline(), XOR, list(Y_XOR))),
    ("plot_noise_cancelling", lambda: ada.plot_noise_cancelling(list(WAVE), WAVE, WAVE, window=slice(10, None))),
    ("plot_boundary", lambda: per.plot_boundary(X2, Y2, [1.0, 0.0], -0.5, title="t")),
    ("plot_novikoff", lambda: per.plot_novikoff([1, 2], [4.0, 5.0], [0.01, 0.1])),
    ("plot_retina", lambda: per.plot_retina(RETINA.reshape(3, 20, 20), ["a", "b", "c"], ncols=2)),
    ("plot_wiring", lambda: per.plot_wiring(WIRING, units=[0, 4])),
    ("plot_shift_generalization", lambda: per.plot_shift_generalization(range(3), [0.9, 0.5, 0.4], chance=1 / 3)),
    ("plot_pocket", lambda: per.plot_pocket([3, 2, 4], [3, 2, 2], 10)),
    ("plot_cover", lambda: per.plot_cover(np.arange(2, 7, 2), [1.0, 0.5, 0.2], [1.0, 0.5, 0.1], 2)),
]


@pytest.mark.parametrize("call", [pytest.param(call, id=name) for name, call in GOOD])
def test_valid_input_still_draws_a_figure(call: Callable[[], Any]) -> None:
    try:
        assert isinstance(call(), Figure)
    finally:
        plt.close("all")


@pytest.mark.parametrize("kwargs, param", [
    ({"feature_names": ()}, "feature_names"),       # was an IndexError when the legend was drawn
    ({"dpi": 0}, "dpi"),                            # was a FreeType RuntimeError
    ({"max_frames": 0}, "max_frames"),              # was an animation of no frames
    ({"figsize": (4.6,)}, "figsize"),
    ({"X": np.zeros((4, 3))}, "X"),                 # three features: the line lives in a plane
])
def test_animate_perceptron_refuses_bad_settings(kwargs, param):
    from annhist.perceptron.figures import animate_perceptron

    args = {"X": np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]]), "y": [0, 1, 1, 0], **kwargs}
    X, y = args.pop("X"), args.pop("y")
    with pytest.raises((ValueError, TypeError), match=f"'{param}'"):
        animate_perceptron(X, y, **args)
