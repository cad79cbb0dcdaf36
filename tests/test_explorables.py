"""Explorables (issue 18): the toolkit's HTML block, and each milestone's precomputed frames
checked against direct calls of annhist (no number in a frame is computed a second way)."""

import json
import re

import numpy as np
import pytest

from annhist.adaline import Adaline, lms_stability_limit
from annhist.adaline.experiments import STABILITY_START
from annhist.adaline.explore import LMS_FACTORS, lms_bowl_explorable, lms_frame_numbers
from annhist.cnn import lecun1989
from annhist.cnn.explore import digit_maps_explorable, feature_maps, first_of_each_class, mosaic
from annhist.datasets import iris
from annhist.mcculloch_pitts import MPNeuron, heat_cold_illusion
from annhist.mcculloch_pitts.explore import heat_cold_explorable, heat_cold_trains, mp_neuron_explorable
from annhist.mlp import MLP
from annhist.mlp.explore import ENCODER_SWEEPS, encoder_explorable
from annhist.mlp.explore_xor import XOR_SWEEPS, xor_explorable
from annhist.optimizers import Momentum
from annhist.perceptron import novikoff_bound
from annhist.perceptron.explore import perceptron_explorable
from annhist.perceptron.figures import perceptron_path
from annhist.plotting.explorable import BOOK_ENV, Control, Explorable, Frame, explorable_html, resolve_mode
from annhist.xor.parts import X_XOR, Y_XOR

# ---------------------------------------------------------------- the toolkit


def _payload(markup: str, name: str) -> dict:
    m = re.search(rf'<script type="application/json" id="{name}-data">(.*?)</script>', markup, re.S)
    return json.loads(m.group(1))


def test_frames_are_stored_in_product_order_with_pictures_once():
    a = Control("a", "A", (1, 2))
    b = Control("b", "B", ("x", "y", "z"), kind="buttons")
    e = Explorable("t", "T", [a, b], lambda a, b: Frame(text=f"{a}{b}", png=b"P" if a == 1 else b"Q"))
    assert [f.text for f in e.frames()] == ["1x", "1y", "1z", "2x", "2y", "2z"]
    data = _payload(e.html(), "t")
    assert data["sizes"] == [2, 3] and len(data["images"]) == 2
    assert [f["img"] for f in data["frames"]] == [0, 0, 0, 1, 1, 1]
    assert data["labels"] == [["1", "2"], ["x", "y", "z"]]


def test_html_block_is_accessible_and_offline():
    e = Explorable("acc", "T", [Control("k", "step k", (0, 1)), Control("m", "mode", ("p", "q"), kind="buttons")],
                   lambda k, m: Frame(text=f"{k}{m}"))
    markup = e.html()
    assert '<label for="acc-c0">step k' in markup and 'type="range"' in markup
    assert 'aria-live="polite"' in markup and 'role="group" aria-label="mode"' in markup
    assert 'aria-pressed="true"' in markup and "<button type=\"button\"" in markup
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", markup)


def test_script_end_tags_in_frames_cannot_break_out():
    e = Explorable("esc", "T", [Control("k", "k", (0,))], lambda k: Frame(text="</script><b>", html="<i>x</i>"))
    markup = e.html()
    assert markup.count("</script>") == 2              # the data block and the code block, nothing else
    assert _payload(markup, "esc")["frames"][0]["text"] == "</script><b>"


def test_bad_input_is_refused_with_the_parameter_named():
    with pytest.raises(ValueError, match="'frames'"):
        explorable_html("x", "T", [Control("k", "k", (0, 1))], [Frame(text="a")])
    with pytest.raises(ValueError, match="'name'"):
        explorable_html("1 bad", "T", [], [Frame(text="a")])
    with pytest.raises(ValueError, match="'labels'"):
        Control("k", "k", (0, 1), labels=("one",))
    with pytest.raises(ValueError, match="'kind'"):
        Control("k", "k", (0,), kind="dial")
    with pytest.raises(ValueError, match="'mode'"):
        resolve_mode("live")


def test_mode_is_static_in_the_book_build_and_outside_a_kernel(monkeypatch):
    monkeypatch.setenv(BOOK_ENV, "1")
    assert resolve_mode("auto") == "static"
    monkeypatch.delenv(BOOK_ENV)
    assert resolve_mode("auto") == "static"            # pytest is no IPython kernel
    assert resolve_mode("widgets") == "widgets"


def test_widget_form_has_one_widget_per_control():
    pytest.importorskip("ipywidgets", reason="ipywidgets is in the 'lab' extra")
    e = Explorable("w", "T", [Control("k", "k", (0, 1), live=(0, 5, 1)), Control("m", "m", ("a", "b"), kind="buttons")],
                   lambda k, m: Frame(text=f"{k}{m}"))
    box = e.show("widgets")
    assert len(box.children) == 4                      # title, two controls, the output area
    assert box.children[1].max == 5 and box.children[2].options == (("a", "a"), ("b", "b"))


# ---------------------------------------------------------------- 1943


def test_mp_neuron_frames_are_mpneuron_fire():
    e = mp_neuron_explorable()
    for s, f in zip(e.settings(), e.frames()):
        kinds = [s[f"kind_x{i}"] for i in (1, 2, 3)]
        on = [s[f"on_x{i}"] for i in (1, 2, 3)]
        exc = [a for k, a in zip(kinds, on) if k == "excitatory"]
        inh = [a for k, a in zip(kinds, on) if k == "inhibitory"]
        assert f.numbers["fires"] == MPNeuron(threshold=s["threshold"]).fire(excitatory=exc, inhibitory=inh)
    # a hand-worked case: x1, x2 excitatory and firing, x3 inhibitory and firing: vetoed at any threshold
    veto = [f for s, f in zip(e.settings(), e.frames()) if s["kind_x3"] == "inhibitory" and s["on_x3"] == 1]
    assert veto and all(f.numbers["fires"] == 0 for f in veto)


def test_heat_cold_frames_are_the_net_run():
    e = heat_cold_explorable()
    net = heat_cold_illusion()
    for s, f in zip(e.settings()[::7], e.frames()[::7]):
        touch = [1 if s["start"] <= t < s["start"] + s["duration"] else 0 for t in range(7)]
        quiet = [0] * 7
        out = net.run({"heat": touch, "cold": quiet} if s["stimulus"] == "heat" else {"heat": quiet, "cold": touch})
        assert f.numbers["feel_heat"] == int(out["feel_heat"][:s["now"] + 1].sum())
        assert f.numbers["feel_cold"] == int(out["feel_cold"][:s["now"] + 1].sum())
    # the illusion itself: a brief cold touch at t=0 is felt as heat, and never as cold
    brief = e.render(stimulus="cold", start=0, duration=1, now=len(e.controls[3].values) - 1)
    assert brief.numbers == {"feel_heat": 1, "feel_cold": 0}


# ---------------------------------------------------------------- 1958


def test_perceptron_frames_follow_perceptron_path_and_novikoff():
    X, y = iris(("setosa", "versicolor"), features=(0, 2))
    path = perceptron_path(X, y)
    e = perceptron_explorable()
    frames = e.frames()
    assert len(frames) == len(path)
    for f, st in zip(frames, path):
        np.testing.assert_allclose(f.numbers["w"], np.r_[st["weights"], st["bias"]])
    assert frames[0].numbers["bound"] == pytest.approx(novikoff_bound(X, y)[2])
    assert len(frames) - 1 <= frames[0].numbers["bound"]
    # the printed update of mistake 1 from w = 0: w = 0 + 1 * y * x
    x0 = np.r_[X[path[1]["sample"]], 1.0]
    assert "= (" + ", ".join(f"{v:+.2f}" for v in -x0) + ")" in frames[1].text    # sample 0 is setosa: y = -1


# ---------------------------------------------------------------- 1960


def test_lms_frames_are_adaline_runs():
    e = lms_bowl_explorable(epochs=30)
    X, labels = iris(("setosa", "versicolor"), (3,))
    d = np.where(labels == "versicolor", 1.0, -1.0)
    limit = lms_stability_limit(X)
    frames = dict(zip(LMS_FACTORS, e.frames()))
    for factor in (0.3, 0.8, 1.2):
        ada = Adaline(eta=factor * limit, epochs=30, mode="batch")
        try:
            ada.fit(X, d, weights_init=[STABILITY_START[1]], bias_init=STABILITY_START[0])
        except ArithmeticError:
            pass
        assert frames[factor].numbers["eta"] == pytest.approx(factor * limit)
        assert frames[factor].numbers["final_mse"] == pytest.approx(ada.history_["mse"][-1])
    assert [bool(frames[f].numbers["diverged"]) for f in (0.9, 1.1, 1.2)] == [False, True, True]
    assert "oscillating" in frames[0.7].text and "smoothly" in frames[0.3].text


# ---------------------------------------------------------------- 1969 and 1986


@pytest.mark.slow
def test_xor_frames_are_single_backprop_fits():
    e = xor_explorable(seeds=(0, 11), sweeps=(0, 150, 1500))
    frames = dict(zip([(s["seed"], s["sweep"]) for s in e.settings()], e.frames()))
    for seed, sweep in ((0, 150), (11, 1500)):
        net = MLP([2, 2, 1], init=("uniform", 0.3), random_state=seed)
        net.fit(X_XOR, Y_XOR[:, None], optimizer=Momentum(0.5, 0.9), epochs=sweep, verbose=False)
        np.testing.assert_allclose(frames[(seed, sweep)].numbers["outputs"], net.predict(X_XOR)[:, 0], atol=1e-9)
    assert frames[(0, 1500)].numbers["E"] < 0.01                  # seed 0 learns XOR
    assert frames[(11, 1500)].numbers["E"] == pytest.approx(0.25, abs=0.002)   # seed 11 stalls at E ~ 1/4
    assert "(stalls)" in e.controls[0].labels[1] and "(stalls)" not in e.controls[0].labels[0]
    assert XOR_SWEEPS[0] == 0


@pytest.mark.slow
def test_encoder_frames_equal_fresh_fits():
    e = encoder_explorable(sweeps=(0, 100, 400))
    frames = e.frames()
    X = np.eye(8)
    for f, sweep in zip(frames[1:], (100, 400)):
        net = MLP([8, 3, 8], random_state=0).fit(X, X, optimizer=Momentum(0.25, 0.9), epochs=sweep, verbose=False)
        np.testing.assert_allclose(f.numbers["codes"], net.layer_outputs(X)[1].round(4), atol=1e-4)
    assert frames[0].numbers["E"] > frames[-1].numbers["E"]
    assert ENCODER_SWEEPS[-1] >= 800


# ---------------------------------------------------------------- 1989


def test_digit_maps_are_the_nets_forward_pass():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(6, 16, 16))
    y = np.array([0, 1, 2, 0, 1, 2])
    net = lecun1989(random_state=0)
    e = digit_maps_explorable(net, X, y)
    assert e.controls[0].values == (0, 1, 2)                        # the first of each class
    frames = e.frames()
    scores = net.decision_function(X[:3])
    for k, f in enumerate(frames):
        np.testing.assert_allclose(f.numbers["scores"], scores[k])
        assert f.numbers["predicted"] == int(np.argmax(scores[k]))
    fm = feature_maps(net, X[0])
    assert [m.shape for m in fm["maps"]] == [(12, 8, 8), (12, 4, 4)]


# ---------------------------------------------------------------- the live form: settings off the static grid


@pytest.mark.slow
def test_settings_typed_in_live_are_computed_by_annhist():
    X, labels = iris(("setosa", "versicolor"), (3,))
    d = np.where(labels == "versicolor", 1.0, -1.0)
    e = lms_bowl_explorable(epochs=30)
    ada = Adaline(eta=0.37 * lms_stability_limit(X), epochs=30, mode="batch")
    ada.fit(X, d, weights_init=[STABILITY_START[1]], bias_init=STABILITY_START[0])
    assert e.render(factor=0.37).numbers["final_mse"] == pytest.approx(ada.history_["mse"][-1])
    x = xor_explorable(seeds=(0,), sweeps=(0, 50))
    net = MLP([2, 2, 1], random_state=5).fit(X_XOR, Y_XOR[:, None], optimizer=Momentum(0.5, 0.9), epochs=120,
                                             verbose=False)
    np.testing.assert_allclose(x.render(seed=5, sweep=120).numbers["outputs"], net.predict(X_XOR)[:, 0], atol=1e-9)
    enc = encoder_explorable(sweeps=(0, 50))
    ref = MLP([8, 3, 8], random_state=0).fit(np.eye(8), np.eye(8), optimizer=Momentum(0.25, 0.9), epochs=70,
                                              verbose=False)
    np.testing.assert_allclose(enc.render(sweep=70).numbers["codes"], ref.layer_outputs(np.eye(8))[1].round(4),
                               atol=1e-4)


def test_static_html_is_reproducible():
    assert perceptron_explorable().html() == perceptron_explorable().html()


# ---------------------------------------------------------------- a reader's own settings, checked first

_NET = None


def _net():
    global _NET
    if _NET is None:
        _NET = lecun1989(random_state=0)
    return _NET


def _digits(n=6):
    return np.random.default_rng(0).uniform(-1, 1, size=(n, 16, 16)), np.arange(n) % 3


@pytest.mark.parametrize("build, param", [
    (lambda: xor_explorable(sweeps=()), "sweeps"),                      # was an UnboundLocalError
    (lambda: xor_explorable(sweeps=(0,)), "sweeps"),                    # the same: no sweep to draw a curve of
    (lambda: xor_explorable(sweeps=(10 ** 12,)), "sweeps"),             # was a MemoryError (21.8 TiB)
    (lambda: xor_explorable(sweeps=(50, 0)), "sweeps"),
    (lambda: xor_explorable(sweeps=(0, 50.5)), "sweeps"),
    (lambda: xor_explorable(seeds=(0, 0)), "seeds"),
    (lambda: xor_explorable(seeds=(-1,)), "seeds"),
    (lambda: xor_explorable(seeds=5), "seeds"),
    (lambda: xor_explorable(dpi=0), "dpi"),
    (lambda: encoder_explorable(sweeps=[]), "sweeps"),                  # was max() of an empty sequence
    (lambda: encoder_explorable(sweeps=["a"]), "sweeps"),
    (lambda: encoder_explorable(seed=-3), "seed"),
    (lambda: encoder_explorable(dpi=True), "dpi"),                      # was a FreeType RuntimeError
    (lambda: lms_bowl_explorable(epochs=10 ** 12), "epochs"),           # ran for ever
    (lambda: lms_bowl_explorable(epochs=0), "epochs"),
    (lambda: lms_bowl_explorable(dpi=1.5), "dpi"),                      # was a FreeType RuntimeError
    (lambda: lms_bowl_explorable(dpi=None), "dpi"),
    (lambda: mp_neuron_explorable(n_inputs=0), "n_inputs"),
    (lambda: mp_neuron_explorable(n_inputs=10 ** 12), "n_inputs"),      # ran for ever (4**n frames)
    (lambda: mp_neuron_explorable(n_inputs=2.0), "n_inputs"),
    (lambda: heat_cold_explorable(steps=10 ** 12), "steps"),            # ran for ever
    (lambda: heat_cold_explorable(steps=4), "steps"),                   # the longest touch ends at t=4
    (lambda: heat_cold_explorable(steps="7"), "steps"),
    (lambda: perceptron_explorable(feature_names=()), "feature_names"),  # was an IndexError
    (lambda: perceptron_explorable(feature_names="xy"), "feature_names"),
    (lambda: perceptron_explorable(feature_names={"a": 1}), "feature_names"),   # was a KeyError
    (lambda: perceptron_explorable(eta=0.0), "eta"),
    (lambda: perceptron_explorable(np.zeros((4, 3)), [0, 1, 0, 1]), "X"),       # three features, a 2-D picture
    (lambda: perceptron_explorable(dpi=10 ** 12), "dpi"),
    (lambda: digit_maps_explorable(None, *_digits()), "net"),           # was an AttributeError
    (lambda: digit_maps_explorable(_net(), np.zeros((6, 100)), _digits()[1]), "X"),
    (lambda: digit_maps_explorable(_net(), _digits()[0], None), "y"),   # was an IndexError
    (lambda: digit_maps_explorable(_net(), _digits()[0], [0, 1]), "y"),
    (lambda: digit_maps_explorable(_net(), _digits()[0], np.full(6, 11)), "y"),  # no label of the net's ten
    (lambda: digit_maps_explorable(_net(), _digits()[0], np.arange(6) + 0.5), "y"),
    (lambda: digit_maps_explorable(_net(), *_digits(), indices=[]), "indices"),     # was an IndexError
    (lambda: digit_maps_explorable(_net(), *_digits(), indices=[6]), "indices"),    # was an IndexError
    (lambda: digit_maps_explorable(_net(), *_digits(), indices=[-1]), "indices"),
    (lambda: digit_maps_explorable(_net(), *_digits(), indices=[1.5]), "indices"),
    (lambda: digit_maps_explorable(_net(), *_digits(), indices=[True]), "indices"),  # was a reshape error
    (lambda: digit_maps_explorable(_net(), *_digits(), names=("H1",)), "names"),  # left out H2 silently
    (lambda: digit_maps_explorable(_net(), *_digits(), dpi=-5), "dpi"),
    (lambda: first_of_each_class([0, 1], n_classes=0), "n_classes"),
    (lambda: first_of_each_class("abc"), "y"),
    (lambda: mosaic("x"), "maps"),                                      # was an AttributeError
    (lambda: mosaic(np.zeros((2, 3))), "maps"),
    (lambda: heat_cold_trains("warm", 0, 1), "stimulus"),               # was read as cold
    (lambda: heat_cold_trains("heat", 5, 3, steps=7), "duration"),
    (lambda: lms_frame_numbers(np.nan), "factor"),
])
def test_explorables_refuse_bad_settings_naming_them(build, param):
    """Each was, before the checks, a crash deep inside (named in the comment), a hang or a silently wrong figure."""
    with pytest.raises((ValueError, TypeError), match=f"'{param}'"):
        build()


def test_digit_maps_read_flat_patterns_and_keep_the_class_order():
    X, y = _digits()
    flat = digit_maps_explorable(_net(), X.reshape(6, 256), y)          # was a ValueError about Sequential's X
    square = digit_maps_explorable(_net(), X, y)
    assert flat.controls[0].values == square.controls[0].values == (0, 1, 2)
    assert flat.render(index=2).numbers == square.render(index=2).numbers
    assert first_of_each_class(np.array([2, 5, 2, 0, 5]), n_classes=3) == [3, 0]   # classes 0 and 2, in order
    assert first_of_each_class([1, 0, 1], n_classes=10 ** 30) == [1, 0]   # ran for ever (a loop over the classes)


def test_one_input_neuron_starts_at_a_threshold_it_has():
    e = mp_neuron_explorable(n_inputs=1)           # its thresholds are 0 and 1; it started at 2 (an IndexError)
    assert e.controls[0].values == (0, 1) and e.start[0] == 1
    assert 'id="explore-mp-neuron' in e.html()
