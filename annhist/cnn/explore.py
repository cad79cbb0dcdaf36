"""Explorable for the chapter on convolutional nets (1989): pick a digit, see H1, H2 and the scores.

The net is the chapter's trained :func:`~annhist.cnn.lecun1989` network (LeCun et al. 1989,
"Backpropagation applied to handwritten zip code recognition": H1 = 12 maps of 8x8, H2 = 12
maps of 4x4, 10 output units); every map and score is the net's own ``forward`` pass, layer
by layer, as in :func:`~annhist.cnn.figures.plot_feature_maps`.
"""

from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np

from annhist.cnn.network import Sequential
from annhist.layers import ActivationLayer
from annhist.plotting.checks import check_dpi, check_indices, check_names
from annhist.plotting.explorable import Control, Explorable, Frame, FrameCanvas, check_mode
from annhist.plotting.style import COLORS, new_figure
from annhist.validation import check_array, check_scalar, short_repr

__all__ = ["feature_maps", "first_of_each_class", "mosaic", "digit_maps_explorable", "digit_maps"]


def feature_maps(net: Any, x: np.ndarray) -> dict[str, Any]:
    """The squashed maps of every convolution/subsampling stage for one pattern, and the class scores.

    Returns ``{"maps": [array (maps, h, w), ...], "scores": (n_classes,)}``; the maps are the
    outputs of each :class:`~annhist.layers.ActivationLayer` that still has spatial extent.
    ``net`` is a :class:`~annhist.cnn.network.Sequential`, ``x`` one finite pattern of its input size.
    """
    if not isinstance(net, Sequential):
        raise TypeError(f"The 'net' parameter of feature_maps must be a Sequential network. "
                        f"Got {short_repr(net)} instead.")
    x = check_array(x, "x", ndim=(1, 2, 3), owner="feature_maps")
    if x.size != int(np.prod(net.input_shape)):
        raise ValueError(f"The 'x' parameter of feature_maps must be one pattern of shape {tuple(net.input_shape)}. "
                         f"Got shape {x.shape} instead.")
    h = np.asarray(x, dtype=float).reshape(1, *net.input_shape)
    maps = []
    for i, layer in enumerate(net.layers):
        h = layer.forward(h, training=False)
        if isinstance(layer, ActivationLayer) and h.ndim == 4 and h.shape[2] > 1 and i > 0:
            maps.append(h[0].copy())
    return {"maps": maps, "scores": net.decision_function(np.asarray(x, dtype=float)[None])[0]}


def first_of_each_class(y: Any, n_classes: int = 10) -> list[int]:
    """The index of the first pattern of each class ``0 .. n_classes - 1`` present in ``y`` (in class order)."""
    y = check_array(y, "y", ndim=1, owner="first_of_each_class")
    check_scalar(n_classes, "n_classes", owner="first_of_each_class", kind=numbers.Integral, min_val=1)
    labels, first = np.unique(y, return_index=True)              # each value's first index, values ascending
    keep = (labels == np.round(labels)) & (labels >= 0) & (labels < n_classes)
    return [int(i) for i in first[keep]]


def mosaic(maps: Any) -> np.ndarray:
    """Maps (k, h, w) side by side in one (h, k*w + k - 1) array, NaN columns between them."""
    maps = check_array(maps, "maps", ndim=3, owner="mosaic")
    k, h, w = maps.shape
    out = np.full((h, k * (w + 1) - 1), np.nan)
    for i, m in enumerate(maps):
        out[:, i * (w + 1): i * (w + 1) + w] = m
    return out


def _canvas(shapes: list[tuple[int, ...]], hw: tuple[int, int], n_classes: int, names: Sequence[str], dpi: int) -> Any:
    fig, axes = new_figure(1 + len(shapes), 2, figsize=(7.2, 1.3 * (1 + len(shapes)) + 0.4),
                           width_ratios=(1, 4), squeeze=False)
    gs = axes[0, 0].get_gridspec()
    cmap = "gray_r"
    images = [axes[0, 0].imshow(np.zeros(hw), cmap=cmap, vmin=-1.7, vmax=1.7)]
    axes[0, 0].set_ylabel("input", fontsize=8)
    for r, (shape, name) in enumerate(zip(shapes, names), start=1):
        for ax in axes[r]:
            ax.remove()
        ax = fig.add_subplot(gs[r, :])
        im = ax.imshow(mosaic(np.zeros(shape)), cmap=cmap, vmin=-1.7, vmax=1.7, interpolation="nearest")
        im.set_cmap(im.get_cmap().with_extremes(bad="white"))   # the gaps between maps
        images.append(im)
        ax.set_ylabel(name, fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
    axes[0, 0].set_xticks([])
    axes[0, 0].set_yticks([])
    bars_ax = axes[0, 1]
    bars = bars_ax.bar(range(n_classes), np.zeros(n_classes), color=COLORS[0])
    bars_ax.set(xticks=range(n_classes), ylim=(-1.8, 1.8), title="output scores")
    bars_ax.axhline(0, color="0.5", lw=0.8)
    canvas = FrameCanvas(fig, [*images, *bars], dpi=dpi)

    def draw(x: np.ndarray, fm: dict[str, Any]) -> bytes:
        images[0].set_data(x.reshape(-1, *hw)[0])      # the first input map
        for im, maps in zip(images[1:], fm["maps"]):
            im.set_data(mosaic(maps))
        best = int(np.argmax(fm["scores"]))
        for k, (bar, s) in enumerate(zip(bars, fm["scores"])):
            bar.set_height(float(np.clip(s, -1.8, 1.8)))
            bar.set_color(COLORS[1] if k == best else COLORS[0])
        return canvas.png()

    return draw


def digit_maps_explorable(net: Any, X: Any, y: Any, indices: Sequence[int] | None = None, *,
                          names: Sequence[str] = ("H1", "H2"), dpi: int = 70) -> Explorable:
    """The explorable behind :func:`digit_maps` (default: the first test pattern of each digit).

    ``X`` holds one pattern per row, of the net's input shape or flat (``(N, 256)`` for the 1989 net);
    ``y`` its labels ``0 .. n_classes - 1``; ``names`` one label per map stage of the net (two for 1989's).
    """
    owner = "digit_maps"
    if not isinstance(net, Sequential):
        raise TypeError(f"The 'net' parameter of {owner} must be a Sequential (e.g. annhist.cnn.lecun1989()). "
                        f"Got {type(net).__name__} instead.")
    X = check_array(X, "X", ndim=(2, 3, 4), owner=owner)
    if int(np.prod(X.shape[1:])) != int(np.prod(net.input_shape)):
        raise ValueError(f"The 'X' parameter of {owner} must hold patterns of shape {net.input_shape} (or "
                         f"{int(np.prod(net.input_shape))} numbers each). Got shape {X.shape} instead.")
    X = X.reshape(len(X), *net.input_shape)
    y = check_array(y, "y", ndim=1, owner=owner)
    n_classes = net.n_classes
    if len(y) != len(X) or np.any((y != np.round(y)) | (y < 0) | (y >= n_classes)):
        raise ValueError(f"The 'y' parameter of {owner} must hold one label 0..{n_classes - 1} for each of the "
                         f"{len(X)} patterns of 'X'. Got {len(y)} label(s) from {y.min():g} to {y.max():g} instead.")
    y = y.astype(int)
    indices = first_of_each_class(y, n_classes) if indices is None else check_indices(indices, len(X), owner=owner)
    dpi = check_dpi(dpi, owner=owner)
    probe = feature_maps(net, X[indices[0]])
    names = check_names(names, len(probe["maps"]), owner=owner)
    draw = _canvas([m.shape for m in probe["maps"]], X.shape[-2:], probe["scores"].size, names, dpi)

    def render(index: int) -> Frame:
        fm = feature_maps(net, X[index])
        best = int(np.argmax(fm["scores"]))
        text = (f"test pattern {index}, a {y[index]}: the net says {best} "
                f"({'right' if best == y[index] else 'WRONG'})\nscores: "
                + "  ".join(f"{k}: {s:+.2f}" for k, s in enumerate(fm["scores"])))
        return Frame(text=text, png=draw(X[index], fm), numbers={"scores": fm["scores"].tolist(), "predicted": best})

    control = Control("index", "test digit", tuple(indices),
                      labels=tuple(f"a {y[i]} (#{i})" for i in indices), kind="buttons")
    return Explorable("explore-digit-maps", "Pick a digit: H1, H2 and the output scores of the trained net",
                      [control], render)


def digit_maps(net: Any, X: Any, y: Any, indices: Sequence[int] | None = None, mode: str = "auto") -> Any:
    """Pick a test digit and see the trained 1989 net's H1 and H2 maps and its ten output scores.

    ``mode``: ``"auto"`` (static HTML in the book, ipywidgets in a live kernel), ``"static"``,
    ``"widgets"`` (see :mod:`annhist.plotting.explorable`).
    """
    check_mode(mode, "digit_maps")
    return digit_maps_explorable(net, X, y, indices).show(mode)
