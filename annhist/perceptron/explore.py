"""Explorable for the chapter "1958: the perceptron": Rosenblatt's rule stepped mistake by mistake.

Every state comes from :func:`~annhist.perceptron.figures.perceptron_path` (which runs
:func:`~annhist.perceptron.rosenblatt_epoch`); the update shown with its numbers is
:func:`~annhist.perceptron.rosenblatt_update`, ``w <- w + eta y x`` (Rosenblatt 1958), and the
count of mistakes is set against Novikoff's (1962) bound ``(R / gamma)^2``
(:func:`~annhist.perceptron.novikoff_bound`).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from annhist.datasets import iris
from annhist.perceptron.figures import perceptron_path
from annhist.perceptron.novikoff import novikoff_bound
from annhist.perceptron.rule import fold_bias, rosenblatt_update
from annhist.plotting.checks import check_dpi, check_names
from annhist.plotting.explorable import Control, Explorable, Frame, FrameCanvas, check_mode
from annhist.plotting.style import COLORS, new_figure
from annhist.validation import check_binary_labels, check_scalar, check_X_y

__all__ = ["MAX_MISTAKES", "perceptron_steps", "perceptron_explorable", "perceptron_mistakes"]

#: The most corrections the explorable steps through (one frame each in its static form).
MAX_MISTAKES = 1000


def _vec(v: np.ndarray) -> str:
    return "(" + ", ".join(f"{x:+.2f}" for x in v) + ")"


def perceptron_steps(X: Any, y: Any, *, eta: float = 1.0, epochs: int = 100) -> list[dict[str, Any]]:
    """One record per correction: the weights before, the sample ``x`` (bias folded last), ``y``, the weights after.

    The first record is the start (``w = 0``, no sample). ``after`` is recomputed with
    :func:`rosenblatt_update` from ``before``; it equals the next state of :func:`perceptron_path`.
    """
    X, y = check_X_y(X, y, owner="perceptron_steps")
    classes, y_pm = check_binary_labels(y, owner="perceptron_steps")
    Xa = fold_bias(X)
    path = perceptron_path(X, y, eta=eta, epochs=epochs)
    steps = [{"k": 0, "epoch": 0, "sample": -1, "before": None, "x": None, "y": None,
              "after": np.zeros(Xa.shape[1]), "class": None}]
    for k, (prev, st) in enumerate(zip(path, path[1:]), start=1):
        before = np.r_[prev["weights"], prev["bias"]]
        i = st["sample"]
        steps.append({"k": k, "epoch": st["epoch"], "sample": i, "before": before, "x": Xa[i], "y": y_pm[i],
                      "after": rosenblatt_update(before, Xa[i], y_pm[i], eta), "class": classes[int(y_pm[i] > 0)]})
    return steps


def _canvas(X: np.ndarray, y: np.ndarray, names: Sequence[str], dpi: int) -> Any:
    fig, ax = new_figure(figsize=(4.6, 3.4))
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.08 * (hi - lo)
    xlim, ylim = (lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1])
    for k, (cls, marker) in enumerate(zip(np.unique(y), "os")):
        ax.scatter(*X[y == cls].T, s=16, marker=marker, color=COLORS[k], label=str(cls), zorder=3)
    ax.set(xlim=xlim, ylim=ylim, xlabel=names[0], ylabel=names[1])
    ax.legend(loc="upper left", fontsize=7, frameon=False)
    old = ax.plot([], [], color="0.6", lw=1, ls="--")[0]
    line = ax.plot([], [], color="0.1", lw=1.6)[0]
    ring = ax.scatter([], [], s=110, facecolors="none", edgecolors="k", lw=1.2, zorder=4)
    title = ax.set_title(" ", fontsize=9)
    canvas = FrameCanvas(fig, [old, line, ring, title], dpi=dpi)
    xs = np.array(xlim)
    corners = np.array([[x, y, 1.0] for x in xlim for y in ylim])

    def outside(w: np.ndarray) -> bool:
        """The line w . (x, 1) = 0 misses the plotted box (all four corners on one side)."""
        side = np.sign(corners @ w)
        return bool(np.all(side == side[0]))

    def set_line(artist: Any, w: np.ndarray | None) -> None:
        if w is None or not np.any(w[:2]):
            artist.set_data([], [])
        elif w[1] != 0:
            artist.set_data(xs, -(w[0] * xs + w[2]) / w[1])
        else:
            artist.set_data([-w[2] / w[0]] * 2, list(ylim))

    def draw(st: dict[str, Any], text: str) -> bytes:
        set_line(old, st["before"])
        set_line(line, st["after"])
        ring.set_offsets(X[st["sample"]][None, :] if st["sample"] >= 0 else np.empty((0, 2)))
        title.set_text(text + (" (the line lies outside this view)" if st["k"] and outside(st["after"]) else ""))
        return canvas.png()

    return draw


def perceptron_explorable(X: Any = None, y: Any = None, *, feature_names: Sequence[str] = (
        "sepal length (cm)", "petal length (cm)"), eta: float = 1.0, dpi: int = 75) -> Explorable:
    """The explorable behind :func:`perceptron_mistakes` (default data: Iris setosa vs versicolor).

    ``X`` has two features (the picture is their plane), ``y`` two classes; ``feature_names`` labels the
    two axes. At most ``MAX_MISTAKES`` corrections are shown: more is refused (data far from separable).
    """
    owner = "perceptron_explorable"
    if X is None:
        X, y = iris(("setosa", "versicolor"), features=(0, 2))
    X, y = check_X_y(X, y, owner=owner)
    if X.shape[1] != 2:
        raise ValueError(f"The 'X' parameter of {owner} must have 2 features (the picture is their plane). "
                         f"Got {X.shape[1]} instead.")
    feature_names = check_names(feature_names, 2, owner=owner, name="feature_names")
    eta = check_scalar(eta, "eta", owner=owner, min_val=0, include_min=False)
    dpi = check_dpi(dpi, owner=owner)
    steps = perceptron_steps(X, y, eta=eta)
    if len(steps) - 1 > MAX_MISTAKES:
        raise ValueError(f"The 'X' and 'y' parameters of {owner} gave {len(steps) - 1} corrections in 100 epochs "
                         f"(the data are far from linearly separable); the explorable shows at most "
                         f"{MAX_MISTAKES}, one frame each.")
    R, gamma, bound = novikoff_bound(X, y)
    draw = _canvas(X, y, feature_names, dpi)

    def render(k: int) -> Frame:
        st = steps[int(k)]
        head = f"mistakes so far: {st['k']} (all: {len(steps) - 1});  Novikoff's bound (R/gamma)^2 = {bound:.1f}"
        if st["sample"] < 0:
            text = f"start: w = {_vec(st['after'])}\n{head}"
        else:
            text = (f"mistake {st['k']} (epoch {st['epoch']}, sample {st['sample']}, class {st['class']}, "
                    f"y = {st['y']:+.0f}):\nw <- w + eta*y*x = {_vec(st['before'])} + {eta:g}*({st['y']:+.0f})*"
                    f"{_vec(st['x'])} = {_vec(st['after'])}\n{head}")
        return Frame(text=text, png=draw(st, f"after mistake {st['k']}" if st["k"] else "start"),
                     numbers={"k": st["k"], "w": st["after"].tolist(), "bound": bound})

    control = Control("k", "mistake number", tuple(range(len(steps))))
    return Explorable("explore-perceptron", "The perceptron, one mistake at a time", [control], render)


def perceptron_mistakes(mode: str = "auto", X: Any = None, y: Any = None, **kwargs: Any) -> Any:
    """Step Rosenblatt's rule mistake by mistake on two-feature data (Iris by default).

    ``mode``: ``"auto"`` (static HTML in the book, ipywidgets in a live kernel), ``"static"``,
    ``"widgets"``; ``kwargs`` go to :func:`perceptron_explorable`.
    """
    check_mode(mode, "perceptron_mistakes")
    return perceptron_explorable(X, y, **kwargs).show(mode)
