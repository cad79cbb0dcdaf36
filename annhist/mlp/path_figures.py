"""The optimizers' paths over the contours of a 2-D test function, drawn (chapter 08) and animated.

``f`` maps points ``w`` of shape ``(2, ...)`` to values of shape ``(...)`` (the functions of
:mod:`annhist.mlp.landscapes`); ``paths`` maps each optimizer's label to its iterates, an array ``(steps, 2)``
(:func:`annhist.mlp.landscapes.descend`); ``extent`` is the window ``(x_lo, x_hi, y_lo, y_hi)``.
"""

from __future__ import annotations

import numbers
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from annhist.plotting import checks
from annhist.plotting.style import COLORS, new_figure
from annhist.validation import check_scalar

__all__ = ["MAX_FRAMES", "plot_optimizer_paths", "animate_optimizer_paths"]

#: The most frames an animation of the paths has (each is a JPEG inside the page).
MAX_FRAMES = 200


def _grid(f: Callable[[np.ndarray], np.ndarray], extent: tuple[float, ...], owner: str) -> tuple[np.ndarray, ...]:
    """``f`` on a 160 x 160 grid over ``extent``: ``(XX, YY, Z)``, ``Z`` checked to be 160 x 160 finite numbers."""
    XX, YY = np.meshgrid(np.linspace(extent[0], extent[1], 160), np.linspace(extent[2], extent[3], 160))
    Z = np.asarray(f(np.stack([XX, YY])))                      # (2, 160, 160) -> (160, 160)
    if Z.shape != XX.shape or not np.issubdtype(Z.dtype, np.number) or not np.isfinite(Z).all():
        got = f"shape {Z.shape}" if Z.shape != XX.shape else f"values of dtype {Z.dtype}, not all finite"
        raise ValueError(f"The 'f' parameter of {owner} must map points w of shape (2, 160, 160) to finite numbers "
                         f"of shape (160, 160) over the extent {extent}. Got {got} instead.")
    return XX, YY, Z


def _contours(ax: Any, grid: tuple[np.ndarray, ...]) -> None:
    XX, YY, Z = grid
    levels = np.quantile(Z, np.linspace(0.0, 0.95, 14) ** 2)
    ax.contour(XX, YY, Z, levels=np.unique(levels), colors="0.7", linewidths=0.6)


def _check(f: Any, paths: Any, extent: Any, minimum: Any, *, owner: str) -> tuple[dict, tuple[float, ...], tuple]:
    """The parameters both figures share, checked: the paths as arrays, the extent as four floats, and ``f``'s
    values on the grid the contours are drawn from."""
    checks.check_callable(f, owner=owner)
    paths = checks.check_curves(paths, owner=owner, name="paths", shape=(None, 2))
    extent = checks.check_extent(extent, owner=owner)
    if minimum is not None:
        checks.check_shaped(minimum, "minimum", (2,), owner=owner)
    return paths, extent, _grid(f, extent, owner)


def plot_optimizer_paths(f: Callable[[np.ndarray], np.ndarray], paths: Mapping[str, Any],
                         extent: tuple[float, float, float, float], *, minimum: Sequence[float] | None = None,
                         title: str = "") -> Any:
    """The paths of several optimizers over the contours of a 2-D function ``f(w)`` (w: (2, ...))."""
    paths, extent, grid = _check(f, paths, extent, minimum, owner="plot_optimizer_paths")
    checks.check_text(title, owner="plot_optimizer_paths", name="title")
    fig, ax = new_figure(figsize=(5.6, 4.2))
    _contours(ax, grid)
    for k, (label, p) in enumerate(paths.items()):
        p = np.asarray(p)
        ax.plot(p[:, 0], p[:, 1], "-", color=COLORS[k % len(COLORS)], lw=1.3, label=label)
        ax.plot(p[-1, 0], p[-1, 1], "o", color=COLORS[k % len(COLORS)], ms=4)
    if minimum is not None:
        ax.plot(*minimum, "*", color="black", ms=11, label="minimum")
    ax.plot(*np.asarray(next(iter(paths.values())))[0], "s", color="0.2", ms=5)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_title(title)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0),    # beside the axes,
              borderaxespad=0)                                                        # off the paths
    return fig


def animate_optimizer_paths(f: Callable[[np.ndarray], np.ndarray], paths: Mapping[str, Any],
                            extent: tuple[float, float, float, float], *, frames: int = 20,
                            minimum: Sequence[float] | None = None, name: str = "optimizers",
                            alt: str | None = None) -> str:
    """The paths drawn step by step, as small self-contained HTML (``FuncAnimation.to_jshtml``);
    ``alt`` describes it for screen readers (see :func:`annhist.plotting.animation.animation_html`)."""
    import matplotlib as mpl
    from matplotlib.animation import FuncAnimation

    from annhist.plotting.animation import animation_html, fix_layout

    owner = "animate_optimizer_paths"
    paths, extent, grid = _check(f, paths, extent, minimum, owner=owner)
    check_scalar(frames, "frames", owner=owner, kind=numbers.Integral, min_val=1, max_val=MAX_FRAMES)
    checks.check_text(name, owner=owner, name="name")
    if alt is not None and not checks.check_text(alt, owner=owner, name="alt").strip():
        raise ValueError(f"The 'alt' parameter of {owner} must describe the animation (or be None). Got {alt!r}.")
    fig, ax = new_figure(figsize=(4.2, 3.2))
    fig.set_dpi(100)                 # shown at its own size: 10 pt text at about 13 px
    _contours(ax, grid)
    if minimum is not None:
        ax.plot(*minimum, "*", color="black", ms=9)
    arrays = {k: np.asarray(p) for k, p in paths.items()}
    n = max(len(p) for p in arrays.values())
    lines = {k: ax.plot([], [], "-", color=COLORS[i % len(COLORS)], lw=1.3, label=k)[0]
             for i, k in enumerate(arrays)}
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.legend(frameon=False, fontsize=9, loc="upper left")
    steps = np.unique(np.linspace(1, n, frames).astype(int))

    def draw(t: int) -> list:
        for k, line in lines.items():
            line.set_data(arrays[k][:t, 0], arrays[k][:t, 1])
        ax.set_title(f"step {t - 1}", fontsize=10)
        return list(lines.values())

    fix_layout(fig, lambda: draw(steps[0]))
    anim = FuncAnimation(fig, draw, frames=steps, interval=150, blit=False)
    with mpl.rc_context({"animation.frame_format": "jpeg", "savefig.dpi": "figure"}):   # JPEG frames: ~4x smaller
        return animation_html(anim, name, alt=alt)

