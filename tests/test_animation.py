"""The book's animations: laid out once (``fix_layout``), the same frames as laid out per frame."""

from __future__ import annotations

import re

import numpy as np
import pytest
from matplotlib.layout_engine import ConstrainedLayoutEngine

from annhist.datasets import iris
from annhist.mlp.landscapes import LANDSCAPES, descend
from annhist.optimizers import SGD, Momentum
from annhist.perceptron.figures import animate_perceptron
from annhist.plotting import animation
from annhist.plotting.animation import animation_html, fix_layout
from annhist.plotting.style import new_figure


def _optimizer_html() -> str:
    from annhist.mlp.path_figures import animate_optimizer_paths

    f, grad, minimum = LANDSCAPES["rosenbrock"]
    paths = {"SGD": descend(SGD(eta=0.001), grad, [-1.5, 2.0], 60),
             "Momentum": descend(Momentum(eta=0.001, alpha=0.9), grad, [-1.5, 2.0], 60)}
    return animate_optimizer_paths(f, paths, (-2, 2, -1, 3), minimum=minimum, frames=6, name="t", alt="paths")


def test_frames_laid_out_once_are_the_frames_laid_out_each_time(monkeypatch):
    fixed = _optimizer_html()
    skipped = []
    monkeypatch.setattr(animation, "fix_layout", lambda fig, first_frame: skipped.append(fig))   # laid out per frame
    each = _optimizer_html()
    assert len(skipped) == 1
    frames = re.findall(r"frames\[\d+\] = \"data:image/jpeg;base64,", fixed)
    assert len(frames) == 6
    assert fixed == each                                                          # every frame, byte for byte


@pytest.fixture(scope="module")
def perceptron_animation():
    """A short perceptron animation, rendered (matplotlib warns about one deleted unrendered)."""
    X, y = iris(("setosa", "versicolor"), features=(0, 2))
    anim = animate_perceptron(X, y, max_frames=3)
    assert animation_html(anim, "iris").count("base64,") == 3
    return anim


def test_the_first_frame_is_laid_out_by_the_constrained_layout_and_kept(perceptron_animation):
    fig = perceptron_animation._fig
    assert not isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine)
    kept = fig.axes[0].get_position().bounds
    fig.set_layout_engine("constrained")                    # lay the same frame out again
    fig.draw_without_rendering()
    # within a pixel (0.2 % of the figure): the constrained layout, executed again from where it
    # left the axes, moves them by a fraction of a pixel
    assert np.allclose(fig.axes[0].get_position().bounds, kept, atol=0.002)
    default = new_figure()[0].axes[0].get_position().bounds
    assert not np.allclose(kept, default)                   # the layout did move the axes


def test_a_figure_without_a_layout_engine_is_left_alone():
    fig, ax = new_figure()
    fig.set_layout_engine(None)
    calls = []
    fix_layout(fig, lambda: calls.append(1))
    assert calls == [] and fig.get_layout_engine() is None


@pytest.mark.parametrize("name", ["", "has space", "a-b", 3])
def test_animation_html_refuses_a_bad_name(perceptron_animation, name):
    with pytest.raises(ValueError, match="'name' parameter of animation_html"):
        animation_html(perceptron_animation, name)
