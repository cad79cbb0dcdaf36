"""Figures for the convolutional-network chapter and experiments.

Kernels, feature maps for one digit, a confusion matrix, the misclassified digits, learning
curves, LeNet-5's RBF bitmaps and connection tables, and a convolution/pooling demo.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any, Sequence

import numpy as np
from matplotlib.figure import Figure

from annhist.plotting.checks import check_history, check_names, check_text, check_vector
from annhist.plotting.style import COLORS, new_figure
from annhist.validation import check_array, check_scalar

__all__ = ["plot_kernels", "plot_feature_maps", "plot_confusion", "plot_misclassified", "plot_cnn_learning_curve",
           "plot_rbf_bitmaps", "plot_connection_table", "plot_conv_pool_demo", "plot_receptive_fields"]


def _off(ax: Any) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    for s in ax.spines.values():
        s.set_visible(False)


def _img(ax: Any, a: np.ndarray, *, symmetric: bool = False, cmap: str = "gray_r") -> None:
    if symmetric:
        m = float(np.max(np.abs(a))) or 1.0
        ax.imshow(a, cmap="RdBu_r", vmin=-m, vmax=m, interpolation="nearest")
    else:
        ax.imshow(a, cmap=cmap, interpolation="nearest")
    _off(ax)


def _check_net(net: Any, owner: str) -> Any:
    from annhist.cnn.network import Sequential

    if not isinstance(net, Sequential):
        raise TypeError(f"The 'net' parameter of {owner} must be a Sequential. Got {type(net).__name__} instead.")
    return net


def _conv_layers(net: Any) -> list[Any]:
    from annhist.cnn.conv import Conv2d

    convs = [layer for layer in _check_net(net, "plot_kernels").layers if isinstance(layer, Conv2d)]
    if not convs:
        raise ValueError("The 'net' parameter of plot_kernels must have a convolution layer. Got none instead.")
    return convs


def plot_kernels(net: Any, which: int = 0) -> Figure:
    """The 5x5 kernels of the ``which``-th convolution layer (input map 0), red positive, blue negative."""
    convs = _conv_layers(net)
    which = check_scalar(which, "which", owner="plot_kernels", kind=numbers.Integral, min_val=0, max_val=len(convs) - 1)
    W = convs[which].params["W"][:, 0]                                  # (C_out, KH, KW)
    n = W.shape[0]
    cols = min(n, 12)
    rows = int(np.ceil(n / cols))
    fig, axes = new_figure(rows, cols, figsize=(0.9 * cols, 1.0 * rows + 0.4), squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        if k < n:
            _img(ax, W[k], symmetric=True)
            ax.set_title(str(k), fontsize=8)
        else:
            _off(ax)
    fig.suptitle(f"Learned kernels of convolution layer {which + 1} (one colour scale per kernel)", fontsize=10)
    return fig


def plot_feature_maps(net: Any, x: np.ndarray, names: Sequence[str] | None = None) -> Figure:
    """One digit and the squashed maps of every convolution/subsampling layer it produces.

    ``names`` labels the rows after the input (e.g. ``["H1", "H2"]``); default: the layer types.
    """
    from annhist.layers import ActivationLayer

    shape = tuple(_check_net(net, "plot_feature_maps").input_shape)
    x = check_array(x, "x", ndim=(1, 2, 3), owner="plot_feature_maps")
    if x.shape not in (shape, shape[1:] if shape[0] == 1 else shape, (int(np.prod(shape)),)):
        raise ValueError(f"The 'x' parameter of plot_feature_maps must be one pattern of the net's input shape "
                         f"{shape}. Got shape {x.shape} instead.")
    batch = x.reshape(1, *net.input_shape)                                # one pattern -> a batch of one
    stages = [("input", batch[0])]
    h = batch
    for i, layer in enumerate(net.layers):
        h = layer.forward(h, training=False)
        prev = net.layers[i - 1] if i else None
        if isinstance(layer, ActivationLayer) and h.ndim == 4 and h.shape[2] > 1 and prev is not None:
            stages.append((f"{type(prev).__name__} {len(stages)}", h[0]))
    if names is not None:                                 # one name per row of maps, none dropped
        names = check_names(names, len(stages) - 1, owner="plot_feature_maps")
        stages = [stages[0]] + [(str(n), m) for n, (_, m) in zip(names, stages[1:])]
    cols = max(s[1].shape[0] for s in stages)
    fig, axes = new_figure(len(stages), cols, figsize=(0.75 * cols + 0.6, 0.85 * len(stages) + 0.3), squeeze=False)
    for r, (name, maps) in enumerate(stages):
        for c in range(cols):
            ax = axes[r, c]
            if c < maps.shape[0]:
                ax.imshow(maps[c], cmap="gray_r", vmin=-1.7, vmax=1.7, interpolation="nearest")
            _off(ax)
        axes[r, 0].set_ylabel(name if r else "input", rotation=0, ha="right", va="center", fontsize=8)
    fig.suptitle("One digit through the network (dark = +1.7, light = -1.7)", fontsize=10)
    return fig


def plot_confusion(y_true: Sequence[int], y_pred: Sequence[int], n_classes: int = 10) -> Figure:
    """Counts of (true digit, predicted digit); the diagonal is right, the rest are the errors."""
    owner = "plot_confusion"
    n_classes = check_scalar(n_classes, "n_classes", owner=owner, kind=numbers.Integral, min_val=1, max_val=100)
    labels = {"owner": owner, "integral": True, "min_val": 0, "max_val": n_classes - 1}
    y_true = check_vector(y_true, "y_true", **labels).astype(int)
    y_pred = check_vector(y_pred, "y_pred", size=y_true.size, like="as many as 'y_true'", **labels).astype(int)
    m = np.zeros((n_classes, n_classes), int)
    np.add.at(m, (y_true, y_pred), 1)
    fig, ax = new_figure(figsize=(4.6, 4.2))
    off = m.copy()
    np.fill_diagonal(off, 0)
    ax.imshow(off, cmap="Reds", vmin=0, vmax=max(1, off.max()))
    for i in range(n_classes):
        for j in range(n_classes):
            if m[i, j]:
                dark = i != j and off[i, j] > 0.55 * max(1, off.max())       # white on the darkest reds
                ax.text(j, i, str(m[i, j]), ha="center", va="center", fontsize=7,
                        color=COLORS[0] if i == j else ("white" if dark else "black"))
    ax.set_xticks(range(n_classes))
    ax.set_yticks(range(n_classes))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.set_title(f"Confusion matrix: {int(np.trace(m))} right, {int(off.sum())} wrong")
    return fig


def plot_misclassified(X: np.ndarray, y_true: Sequence[int], y_pred: Sequence[int], max_images: int = 48) -> Figure:
    """The test digits the network gets wrong, each titled ``true -> predicted``."""
    owner = "plot_misclassified"
    X = check_array(X, "X", ndim=(3, 4), owner=owner, copy=False)
    if X.ndim == 4 and X.shape[1] != 1:
        raise ValueError(f"The 'X' parameter of {owner} must hold one-channel images, (N, H, W) or (N, 1, H, W). "
                         f"Got shape {X.shape} instead.")
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        check_vector(y, name, owner=owner, size=X.shape[0], like="one per image of 'X'", integral=True)
    max_images = check_scalar(max_images, "max_images", owner=owner, kind=numbers.Integral, min_val=1)
    X = X.reshape(X.shape[0], X.shape[-2], X.shape[-1])                   # (N, 1, H, W) or (N, H, W) -> (N, H, W)
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    wrong = np.flatnonzero(y_true != y_pred)[:max_images]
    cols = 12
    rows = max(1, int(np.ceil(len(wrong) / cols)))
    fig, axes = new_figure(rows, cols, figsize=(0.8 * cols, 0.95 * rows + 0.4), squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        if k < len(wrong):
            i = wrong[k]
            ax.imshow(X[i], cmap="gray_r", interpolation="nearest")
            ax.set_title(f"{y_true[i]}→{y_pred[i]}", fontsize=8)
        _off(ax)
    total = int(np.sum(y_true != y_pred))
    fig.suptitle(f"Misclassified test digits (true→predicted): {len(wrong)} of {total} shown", fontsize=10)
    return fig


def plot_cnn_learning_curve(history: dict, paper_test_error: float | None = None) -> Figure:
    """Training and test error (%) after each pass, with the paper's test error as a line."""
    owner = "plot_cnn_learning_curve"
    curves = check_history(history, ("train_error",), optional=("test_error",), owner=owner, min_val=0, max_val=1)
    if paper_test_error is not None:
        check_scalar(paper_test_error, "paper_test_error", owner=owner, min_val=0, max_val=1)
    fig, ax = new_figure(figsize=(5.2, 3.2))
    epochs = np.arange(1, len(curves["train_error"]) + 1)
    ax.plot(epochs, 100 * curves["train_error"], "o-", ms=3, label="training set")
    if "test_error" in curves:                            # present, and not None or empty
        ax.plot(epochs, 100 * curves["test_error"], "s-", ms=3, label="test set")
    if paper_test_error is not None:
        ax.axhline(100 * paper_test_error, color=COLORS[7], ls="--", lw=1, label="paper's test error")
    ax.set_xlabel("pass over the training set")
    ax.set_ylabel("error (%)")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False)
    return fig


def plot_rbf_bitmaps() -> Figure:
    """The ten fixed 7x12 bitmaps that LeNet-5's RBF output units compare F6 with (our font)."""
    from annhist.cnn.rbf import digit_bitmaps

    c = digit_bitmaps().reshape(10, 12, 7)                               # (10, 84) -> (10, 12, 7)
    fig, axes = new_figure(1, 10, figsize=(7.5, 1.6))
    for d, ax in enumerate(axes):
        ax.imshow(c[d], cmap="gray_r", vmin=-1, vmax=1, interpolation="nearest")
        ax.set_title(str(d), fontsize=9)
        _off(ax)
    return fig


def plot_connection_table(table: np.ndarray, *, rows: str = "input map", cols: str = "output map",
                          title: str = "") -> Figure:
    """A connection table as a grid of X marks (rows read by columns), like LeNet-5's Table I."""
    t = check_array(table, "table", ndim=2, owner="plot_connection_table")
    if not np.all((t == 0) | (t == 1)):
        raise ValueError(f"The 'table' parameter of plot_connection_table must hold 0/1 (or bool) entries. Got values "
                         f"{np.unique(t)[:6].tolist()} instead.")
    for name, text in (("rows", rows), ("cols", cols), ("title", title)):
        check_text(text, owner="plot_connection_table", name=name)
    t = t.astype(bool)
    fig, ax = new_figure(figsize=(0.34 * t.shape[1] + 1.2, 0.34 * t.shape[0] + 1.0))
    ax.imshow(t, cmap="Blues", vmin=0, vmax=1.6, aspect="equal")
    for i, j in zip(*np.nonzero(t)):
        ax.text(j, i, "X", ha="center", va="center", fontsize=8)
    ax.set_xticks(range(t.shape[1]))
    ax.set_yticks(range(t.shape[0]))
    ax.tick_params(labelsize=7, length=0)
    ax.set_xlabel(cols)
    ax.set_ylabel(rows)
    if title:
        ax.set_title(title, fontsize=10)
    return fig


def plot_conv_pool_demo(image: np.ndarray, kernel: np.ndarray) -> Figure:
    """An image, a kernel, their (valid) cross-correlation, and its 2x2 max- and average-pooled versions."""
    from annhist.cnn import AvgPool2d, Conv2d, MaxPool2d

    image = check_array(image, "image", ndim=2, owner="plot_conv_pool_demo")
    kernel = check_array(kernel, "kernel", ndim=2, owner="plot_conv_pool_demo")
    if kernel.shape[0] >= image.shape[0] or kernel.shape[1] >= image.shape[1]:   # a feature map of 2x2 at least
        raise ValueError(f"The 'kernel' parameter of plot_conv_pool_demo must be smaller than 'image' in both "
                         f"dimensions (a feature map of at least 2x2 to pool). Got kernel shape {kernel.shape} and "
                         f"image shape {image.shape} instead.")
    conv = Conv2d(1, 1, kernel.shape, bias="none")
    conv.params["W"][0, 0] = kernel
    fmap = conv.forward(image[None, None], training=False)
    panels = [("image", image, False), ("kernel", kernel, True), ("feature map", fmap[0, 0], True),
              ("max pool 2x2", MaxPool2d(2).forward(fmap, training=False)[0, 0], True),
              ("average pool 2x2", AvgPool2d(2).forward(fmap, training=False)[0, 0], True)]
    fig, axes = new_figure(1, len(panels), figsize=(2.0 * len(panels), 2.3))
    for ax, (name, a, sym) in zip(axes, panels):
        _img(ax, a, symmetric=sym)
        ax.set_title(f"{name}\n{a.shape[0]}x{a.shape[1]}", fontsize=9)
    return fig


def _check_nets(nets: Any) -> None:
    """``nets`` of :func:`plot_receptive_fields`: a non-empty dict of title -> (rows, (H, W), one name per row)."""
    where = "The 'nets' parameter of plot_receptive_fields"
    if not isinstance(nets, Mapping):
        raise TypeError(f"{where} must be a dict of title -> (rows, (H, W), names). Got {type(nets).__name__} instead.")
    if not nets:
        raise ValueError(f"{where} must hold at least one net. Got an empty dict instead.")
    for title, entry in nets.items():
        three = isinstance(entry, (tuple, list)) and len(entry) == 3
        rows, size, names = entry if three else ((), (), ())
        ok = three and isinstance(title, str) and isinstance(rows, Sequence) and len(rows) > 0 and all(
            isinstance(r, Mapping) and {"r", "jump", "start", "output"} <= r.keys() for r in rows)
        ok = ok and isinstance(size, (tuple, list)) and len(size) == 2 and all(
            isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_)) and v >= 1 for v in size)
        ok = ok and isinstance(names, Sequence) and not isinstance(names, str) and len(names) == len(rows) and all(
            isinstance(n, str) for n in names)
        if not ok:
            n_rows = len(rows) if isinstance(rows, Sequence) else type(rows).__name__
            got = f"{n_rows} row(s), (H, W) = {size!r}, names {names!r}" if three else type(entry).__name__
            raise ValueError(f"{where} must map each title (a string) to (rows, (H, W), names): the rows of "
                             f"receptive_field, H and W ints >= 1, one name (a string) per row. Got {title!r}: "
                             f"{got[:100]} instead.")


def plot_receptive_fields(nets: dict[str, tuple[Sequence[dict[str, Any]], tuple[int, int], Sequence[str]]]) -> Figure:
    """One panel per net: its input (grey square) and the receptive field of the unit nearest the
    centre of each layer, as nested squares. ``nets`` maps a title to ``(rows, input_size, names)``,
    ``rows`` from :func:`annhist.cnn.receptive_field.receptive_field` and ``names`` one label per row."""
    from matplotlib.patches import Rectangle

    _check_nets(nets)
    fig, axes = new_figure(1, len(nets), figsize=(4.4 * len(nets), 4.2), squeeze=False)
    for ax, (title, (rows, (H, W), names)) in zip(axes[0], nets.items()):
        ax.add_patch(Rectangle((-0.5, -0.5), W, H, facecolor="0.88", edgecolor="0.4", lw=1, label="input"))
        lo_all, hi_all = -0.5, max(H, W) - 0.5
        for k, (row, name) in enumerate(zip(rows, names)):
            r, j, start = row["r"][0], row["jump"][0], row["start"][0]
            n = row["output"][1] if len(row["output"]) == 3 else 1
            centre = start + j * ((n - 1) // 2)               # the unit nearest the middle of its map
            lo = centre - (r - 1) / 2 - 0.5
            inset = 0.25 * (k % 3)                            # equal fields drawn side by side stay visible
            ax.add_patch(Rectangle((lo + inset, lo + inset), r - 2 * inset, r - 2 * inset, fill=False,
                                   edgecolor=COLORS[k % len(COLORS)], lw=1.6, ls=("-", "--", ":")[k % 3],
                                   label=f"{name}: {r}x{r}"))
            lo_all, hi_all = min(lo_all, lo), max(hi_all, lo + r)
        ax.set_xlim(lo_all - 1, hi_all + 1)
        ax.set_ylim(hi_all + 1, lo_all - 1)
        ax.set_aspect("equal")
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig
