"""Fuzz the explorables: a reader's settings are refused naming the parameter, or the explorable builds and renders."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from annhist.adaline.explore import lms_bowl_explorable, lms_frame_numbers
from annhist.cnn import lecun1989
from annhist.cnn.explore import digit_maps_explorable, first_of_each_class, mosaic
from annhist.mcculloch_pitts.explore import heat_cold_explorable, heat_cold_trains, mp_neuron_explorable
from annhist.mlp.explore import encoder_explorable
from annhist.mlp.explore_xor import xor_explorable
from annhist.perceptron.explore import perceptron_explorable
from annhist.plotting.checks import MAX_SWEEPS, check_dpi, check_indices, check_names, check_sweeps

from .strategies import FUZZ, bad_arrays, check_call, weird_scalar

matplotlib.use("Agg")
pytestmark = pytest.mark.fuzz

INT_LISTS = st.one_of(st.lists(st.integers(-3, 400), max_size=5), st.lists(weird_scalar, max_size=3), weird_scalar,
                      st.just(np.arange(3)), st.just(np.zeros((2, 2), int)), st.text(max_size=3))
SMALL_SWEEPS = st.lists(st.integers(0, 120), min_size=1, max_size=4, unique=True).map(sorted)
NAMES = st.one_of(st.lists(st.text(max_size=4), max_size=3).map(tuple), weird_scalar, st.lists(weird_scalar, max_size=3))
_NET = lecun1989(random_state=0)


def _usually(valid: st.SearchStrategy, bad: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(valid, valid, valid, bad)


@FUZZ
@given(values=INT_LISTS, n=st.integers(1, 20), count=st.integers(0, 3), names=NAMES, dpi=weird_scalar,
       helper=st.sampled_from(["sweeps", "indices", "names", "dpi"]))
def test_the_checks_return_what_they_promise_or_name_the_parameter(values, n, count, names, dpi, helper):
    fn = {"sweeps": lambda: check_sweeps(values, owner="T"), "indices": lambda: check_indices(values, n, owner="T"),
          "names": lambda: check_names(names, count, owner="T"), "dpi": lambda: check_dpi(dpi, owner="T")}[helper]
    out = check_call(f"plotting.checks.{helper}", fn, finite_result=False, names=(helper,))
    if isinstance(out, Exception):
        return
    if helper == "sweeps":
        assert all(type(v) is int for v in out) and list(out) == sorted(set(out)) and 1 <= out[-1] <= MAX_SWEEPS
    elif helper == "indices":
        assert len(set(out)) == len(out) and all(type(v) is int and 0 <= v < n for v in out)
    elif helper == "names":
        assert len(out) == count and all(isinstance(s, str) for s in out)
    else:
        assert type(out) is int and 20 <= out <= 600


def _render_first(explorable):
    """Render the explorable's starting setting: a picture or a table, and its text."""
    start = explorable.start or [0] * len(explorable.controls)
    frame = explorable.render(**{c.name: c.values[k] for c, k in zip(explorable.controls, start)})
    assert frame.text and (frame.png or frame.html)
    return frame


@FUZZ
@given(which=st.sampled_from(["xor", "encoder", "lms", "mp", "heat_cold", "perceptron"]),
       seeds=_usually(st.lists(st.integers(0, 50), min_size=1, max_size=3, unique=True), INT_LISTS),
       sweeps=_usually(SMALL_SWEEPS, INT_LISTS), seed=_usually(st.integers(0, 50), weird_scalar),
       epochs=_usually(st.integers(1, 40), weird_scalar), n_inputs=_usually(st.integers(1, 2), weird_scalar),
       steps=_usually(st.integers(5, 9), weird_scalar), eta=_usually(st.floats(0.1, 3.0), weird_scalar),
       names=_usually(st.just(("a", "b")), NAMES), dpi=_usually(st.integers(20, 60), weird_scalar))
def test_explorables_build_and_render_or_name_the_bad_setting(which, seeds, sweeps, seed, epochs, n_inputs, steps,
                                                               eta, names, dpi):
    build, params = {
        "xor": (lambda: xor_explorable(seeds, sweeps, dpi=dpi), ("seeds", "sweeps", "dpi")),
        "encoder": (lambda: encoder_explorable(seed, sweeps, dpi=dpi), ("seed", "sweeps", "dpi")),
        "lms": (lambda: lms_bowl_explorable(epochs, dpi=dpi), ("epochs", "dpi")),
        "mp": (lambda: mp_neuron_explorable(n_inputs), ("n_inputs",)),
        "heat_cold": (lambda: heat_cold_explorable(steps), ("steps",)),
        "perceptron": (lambda: perceptron_explorable(feature_names=names, eta=eta, dpi=dpi),
                       ("feature_names", "eta", "dpi")),
    }[which]
    out = check_call(f"explore.{which}", build, finite_result=False, names=params)
    if not isinstance(out, Exception):
        _render_first(out)


@FUZZ
@given(X=st.one_of(st.just("good"), st.just("flat"), bad_arrays(n_features=256)),
       y=st.one_of(st.just("good"), bad_arrays(), st.lists(st.integers(-2, 12), max_size=8)),
       indices=st.one_of(st.none(), INT_LISTS), names=_usually(st.just(("H1", "H2")), NAMES),
       dpi=_usually(st.integers(20, 60), weird_scalar))
def test_digit_maps_build_and_render_or_name_the_bad_setting(X, y, indices, names, dpi):
    rng = np.random.default_rng(0)
    if isinstance(X, str):
        X = rng.uniform(-1, 1, size=(6, 16, 16) if X == "good" else (6, 256))
    if isinstance(y, str):
        y = np.arange(6) % 4
    out = check_call("explore.digit_maps", lambda: digit_maps_explorable(_NET, X, y, indices, names=names, dpi=dpi),
                     finite_result=False, names=("X", "y", "indices", "names", "dpi"))
    if not isinstance(out, Exception):
        frame = _render_first(out)
        assert 0 <= frame.numbers["predicted"] < 10


@FUZZ
@given(y=st.one_of(bad_arrays(), st.lists(st.integers(-5, 15), min_size=1, max_size=10)),
       n_classes=_usually(st.integers(1, 12), weird_scalar), maps=st.one_of(bad_arrays(), weird_scalar),
       stimulus=_usually(st.sampled_from(["cold", "heat"]), weird_scalar),
       start=_usually(st.integers(0, 3), weird_scalar), duration=_usually(st.integers(1, 3), weird_scalar),
       factor=_usually(st.floats(0.1, 1.2), weird_scalar), which=st.sampled_from(["first", "mosaic", "trains", "lms"]))
def test_the_explorables_helpers(y, n_classes, maps, stimulus, start, duration, factor, which):
    fn, params = {
        "first": (lambda: first_of_each_class(y, n_classes), ("y", "n_classes")),
        "mosaic": (lambda: mosaic(maps), ("maps",)),
        "trains": (lambda: heat_cold_trains(stimulus, start, duration, 7), ("stimulus", "start", "duration")),
        "lms": (lambda: lms_frame_numbers(factor, 10), ("factor",)),
    }[which]
    out = check_call(f"explore.{which}", fn, finite_result=which in ("trains",), names=params)
    if which == "first" and not isinstance(out, Exception):
        labels = np.asarray(y, dtype=float)
        assert [labels[i] for i in out] == sorted({v for v in labels if v == int(v) and 0 <= v < n_classes})
        assert all(labels[i] not in labels[:i] for i in out)                      # each class's first pattern
    if which == "mosaic" and not isinstance(out, Exception):
        assert out.shape[0] == np.shape(maps)[1]
