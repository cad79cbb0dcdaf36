"""``hinton`` (the 1986 weight diagrams) and ``animate_optimizer_paths`` (chapter 08's animation) refuse bad
input at the top: a ``TypeError`` or ``ValueError`` naming the parameter, never an error from inside
matplotlib, a diagram of a million squares, or an animation that renders every frame before its name is
found to be wrong. Good input still draws what it drew before."""

import functools
import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from annhist.mlp.figures import HINTON_MAX, hinton
from annhist.mlp.path_figures import MAX_FRAMES, animate_optimizer_paths

NAN = float("nan")
PATHS = {"a": np.array([[-1.0, 1.0], [0.0, 0.5], [0.1, 0.1]])}
_count = itertools.count()


def bowl(w):
    return w[0] ** 2 + w[1] ** 2


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_hinton_draws_one_square_a_weight_white_positive_black_negative(ax):
    W = np.array([[1.0, -0.25], [0.0, 4.0]])
    assert hinton(ax, W, max_weight=1.0, labels=(["r1", "r2"], ["c1", "c2"])) is ax
    squares = ax.patches
    assert len(squares) == 4
    sides = [p.get_width() for p in squares]
    assert sides == pytest.approx([0.92, 0.92 * 0.5, 0.0, 0.92])           # area ~ |w|, clipped at max_weight
    assert [p.get_facecolor()[:3] for p in squares] == [(1, 1, 1), (0, 0, 0), (0, 0, 0), (1, 1, 1)]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["r1", "r2"]


def test_hinton_reads_a_vector_as_one_row(ax):
    hinton(ax, [0.5, -1.0, 1.0])
    assert len(ax.patches) == 3 and ax.get_ylim() == (0.5, -0.5)


def _bad(fn, param, *args, **kwargs):
    return pytest.param(functools.partial(fn, *args, **kwargs), param, id=f"{param}-{next(_count)}")


def _on_axes(*args, **kwargs):
    return lambda ax: hinton(ax, *args, **kwargs)


def _bad_hinton(param, *args, **kwargs):
    return pytest.param(_on_axes(*args, **kwargs), param, id=f"{param}-{next(_count)}")


BAD_HINTON = [
    _bad_hinton("W", np.ones((2, 2, 2))),
    _bad_hinton("W", [[1.0, NAN]]),
    _bad_hinton("W", [["a", "b"]]),
    _bad_hinton("W", np.ones((HINTON_MAX + 1, 2))),
    _bad_hinton("W", np.ones((2, 0))),
    _bad_hinton("max_weight", np.ones((2, 2)), max_weight=0.0),
    _bad_hinton("max_weight", np.ones((2, 2)), max_weight=-1.0),
    _bad_hinton("max_weight", np.ones((2, 2)), max_weight="big"),
    _bad_hinton("labels", np.ones((2, 2)), labels=["a", "b"]),                          # not (rows, columns)
    _bad_hinton("labels", np.ones((2, 2)), labels=(["a", "b"], ["c"])),                 # one column name short
    _bad_hinton("labels", np.ones((2, 2)), labels=(["a", "b"], [1, 2])),
]


@pytest.mark.parametrize(("call", "param"), BAD_HINTON)
def test_hinton_refuses_bad_input_naming_the_parameter(ax, call, param):
    with pytest.raises((ValueError, TypeError), match=f"'{param}"):
        call(ax)
    assert not ax.patches


def test_hinton_wants_an_axes():
    with pytest.raises(TypeError, match="'ax'"):
        hinton(np.ones((2, 2)), np.ones((2, 2)))


def _animate(*args, **kwargs):
    return functools.partial(animate_optimizer_paths, *args, **kwargs)


BAD_ANIMATION = [
    _bad(_animate(3, PATHS, (-2, 2, -2, 2)), "f"),
    _bad(_animate(lambda w: w, PATHS, (-2, 2, -2, 2)), "f"),
    _bad(_animate(bowl, {"a": [1.0, 2.0]}, (-2, 2, -2, 2)), "paths"),
    _bad(_animate(bowl, {}, (-2, 2, -2, 2)), "paths"),
    _bad(_animate(bowl, PATHS, (2, -2, -2, 2)), "extent"),
    _bad(_animate(bowl, PATHS, (-2, 2, -2, 2), minimum=(0, NAN)), "minimum"),
    _bad(_animate(bowl, PATHS, (-2, 2, -2, 2), frames=0), "frames"),
    _bad(_animate(bowl, PATHS, (-2, 2, -2, 2), frames=MAX_FRAMES + 1), "frames"),
    _bad(_animate(bowl, PATHS, (-2, 2, -2, 2), frames=2.5), "frames"),
    _bad(_animate(bowl, PATHS, (-2, 2, -2, 2), name=3), "name"),
    _bad(_animate(bowl, PATHS, (-2, 2, -2, 2), alt=" "), "alt"),
]


@pytest.mark.parametrize(("call", "param"), BAD_ANIMATION)
def test_animate_optimizer_paths_refuses_bad_input_naming_the_parameter(call, param):
    try:
        with pytest.raises((ValueError, TypeError), match=f"'{param}'"):
            call()
        assert not plt.get_fignums()                                        # refused before a figure is made
    finally:
        plt.close("all")


def test_animate_optimizer_paths_still_animates():
    html = animate_optimizer_paths(bowl, PATHS, (-2, 2, -2, 2), frames=3, name="ok", alt="three steps")
    assert html.count("data:image/jpeg;base64,") == 3 and 'alt="three steps"' in html
    plt.close("all")


def test_new_figure_refuses_a_grid_too_large_naming_it():
    # new_figure(10**9) was a MemoryError inside matplotlib (found by a probe with counts of 10**9).
    from annhist.plotting import new_figure

    with pytest.raises(ValueError, match=r"The 'nrows' parameter of new_figure must be <= 4096. Got 1000000000"):
        new_figure(10 ** 9)
    with pytest.raises(ValueError, match=r"ask for 10,000 axes; at most 4,096. Got 100 and 100 instead"):
        new_figure(100, 100)
    with pytest.raises(TypeError, match=r"'ncols' parameter of new_figure"):
        new_figure(1, 2.5)
    fig, ax = new_figure(2, 3)
    assert ax.shape == (2, 3)
