"""Figures for the McCulloch-Pitts chapter: net diagrams and spike-train rasters.

``plot_mp_net`` draws a net in the manner of the 1943 paper's Fig. 1: neurons as circles
holding their threshold, excitatory synapses as arrows, inhibitory synapses as lines ending
in a dot, a number beside a synapse when a fibre makes several. ``plot_spike_raster``
shows activity over discrete time, one row per line or neuron.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Rectangle

from annhist.mcculloch_pitts.graph import layers
from annhist.mcculloch_pitts.network import MPNetwork
from annhist.plotting import checks
from annhist.plotting.style import COLORS, new_figure

__all__ = ["plot_mp_net", "plot_spike_raster", "mp_layout"]

_R = 0.2            # neuron radius (data units)
_S = 0.09           # half side of an input line's square
_EXC, _INH, _LINE = COLORS[0], COLORS[1], "0.45"


def mp_layout(net: Any) -> dict[str, tuple[float, float]]:
    """Positions for drawing: ``net.layout`` if set, else layers left to right (circles ignored)."""
    if net.layout:
        return dict(net.layout)
    nodes = [*net.line_names, *net.neuron_names]
    layer = layers(net.targets(), nodes, net.line_names)
    columns: dict[int, list[str]] = {}
    for k in nodes:
        columns.setdefault(layer[k], []).append(k)
    pos: dict[str, tuple[float, float]] = {}
    for x in sorted(columns):
        col = columns[x]
        if x > 0:   # order a column by the mean height of its sources (fewer crossings)
            def height(k: str) -> float:
                n = net.neuron(k)
                ys = [pos[s][1] for s in (*n["excitatory"], *n["inhibitory"]) if s in pos]
                return float(np.mean(ys)) if ys else 0.0
            col = sorted(col, key=height, reverse=True)
        for j, k in enumerate(col):
            pos[k] = (1.3 * x, (len(col) - 1) / 2 - j)
    return pos


def _curve(p0: np.ndarray, p1: np.ndarray, bend: float, r0: float, r1: float) -> np.ndarray:
    """Points of a quadratic Bezier from p0 to p1, bent sideways, cut at both circles."""
    mid = (p0 + p1) / 2 + bend * np.array([-(p1 - p0)[1], (p1 - p0)[0]])
    s = np.linspace(0, 1, 120)[:, None]
    pts = (1 - s) ** 2 * p0 + 2 * (1 - s) * s * mid + s ** 2 * p1          # (120, 2)
    keep = (np.linalg.norm(pts - p0, axis=1) > r0) & (np.linalg.norm(pts - p1, axis=1) > r1 + 0.01)
    return pts[keep]


def _loop(c: np.ndarray) -> np.ndarray:
    """A loop above a neuron, for a synapse of the neuron onto itself."""
    a = np.linspace(np.pi * 0.62, np.pi * 2.38, 80)
    centre = c + np.array([0.0, _R * 1.55])
    pts = centre + 0.16 * np.c_[np.cos(a), np.sin(a)]
    return pts[np.linalg.norm(pts - c, axis=1) > _R + 0.01]


def _draw_synapses(ax: Any, net: Any, pos: Mapping[str, np.ndarray]) -> None:
    """Every synapse: an arrow (excitatory) or a dot (inhibitory), with its multiplicity."""
    lines, wiring = set(net.line_names), net.targets()
    for tgt in net.neuron_names:
        spec = net.neuron(tgt)
        for kind, table in (("exc", spec["excitatory"]), ("inh", spec["inhibitory"])):
            for src, count in table.items():
                color = _EXC if kind == "exc" else _INH
                if src == tgt:
                    pts = _loop(pos[tgt])
                else:
                    p0, p1 = pos[src], pos[tgt]
                    backward = p1[0] <= p0[0] + 1e-9 or src in wiring.get(tgt, ())   # or a two-way pair
                    twice = kind == "inh" and src in spec["excitatory"]               # both kinds from one fibre
                    bend = 0.25 if backward else 0.08 if twice else 0.0
                    pts = _curve(p0, p1, bend, _S * 1.4 if src in lines else _R, _R)
                if len(pts) < 3:
                    continue
                ax.plot(pts[:, 0], pts[:, 1], color=color, lw=1.4, zorder=1)
                if kind == "exc":
                    ax.annotate("", xy=pts[-1], xytext=pts[-4], zorder=3,
                                arrowprops=dict(arrowstyle="-|>", color=color, lw=1.4, mutation_scale=13))
                else:
                    ax.plot(*pts[-1], "o", color=color, ms=6.5, zorder=3)
                if count > 1:   # beside a self-loop, or half-way along the synapse
                    q = pos[tgt] + [0.3, _R * 1.55] if src == tgt else pts[int(len(pts) * 0.55)]
                    ax.text(q[0], q[1] + 0.06, f"×{count}", color=color, fontsize=8, ha="center", va="bottom",
                            zorder=4)


def _draw_units(ax: Any, net: Any, pos: Mapping[str, np.ndarray], show_labels: bool) -> None:
    """Input lines as squares, neurons as circles with their threshold inside."""
    for k in net.line_names:
        x, y = pos[k]
        const = net.constant_lines().get(k)
        ax.add_patch(Rectangle((x - _S, y - _S), 2 * _S, 2 * _S, facecolor=_LINE if const else "white",
                               edgecolor=_LINE, lw=1.5, zorder=2))
        ax.text(x - _S - 0.07, y, k + (" (always on)" if const else ""), ha="right", va="center", fontsize=9)
    for k in net.neuron_names:
        x, y = pos[k]
        is_out = k in net.outputs
        ax.add_patch(Circle((x, y), _R, facecolor="white", edgecolor="black", lw=2.2 if is_out else 1.2, zorder=2))
        ax.text(x, y, str(net.neuron(k)["threshold"]), ha="center", va="center", fontsize=10, zorder=4,
                fontweight="bold")
        label = k.lstrip("_") + (f"\n{net.labels[k]}" if show_labels and net.labels.get(k) else "")
        ax.text(x, y - _R - 0.06, label, ha="center", va="top", fontsize=8 if show_labels else 9, zorder=4)


def _check_ax(ax: Any, owner: str) -> None:
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"The 'ax' parameter of {owner} must be None or a matplotlib Axes. Got {ax!r:.60} instead.")


def _strings(values: Any, name: str) -> list[str]:
    """``values``, an iterable of str (not one str, whose letters it would give) as a list: rows or their names."""
    items = None if isinstance(values, (str, bytes)) or not isinstance(values, Iterable) else list(values)
    if items is None or not all(isinstance(k, str) for k in items):
        raise TypeError(f"The '{name}' parameter of plot_spike_raster must be an iterable of str. Got {values!r:.60} "
                        f"instead.")
    return items


def plot_mp_net(net: Any, *, ax: Any = None, title: str | None = None, show_labels: bool = False,
                layout: Mapping[str, tuple[float, float]] | None = None, legend: bool = True) -> Any:
    """Draw a McCulloch-Pitts net; return the figure.

    Parameters
    ----------
    net : MPNetwork
    ax : matplotlib Axes, optional
        Draw into it (the figure is ``ax.figure``); otherwise a new figure sized to the net.
    title : str, optional
    show_labels : bool
        Write under each neuron the expression it computes (``net.labels``).
    layout : mapping, optional
        ``name -> (x, y)``; default ``mp_layout``.
    legend : bool
        Explain arrows, dots and circles below the drawing.
    """
    owner = "plot_mp_net"
    if not isinstance(net, MPNetwork):
        raise TypeError(f"The 'net' parameter of {owner} must be an MPNetwork. Got {net!r:.60} instead.")
    nodes = sorted({*net.line_names, *net.neuron_names})
    if not nodes:
        raise ValueError(f"The 'net' parameter of {owner} must have a line or a neuron. Got {net!r:.60} instead.")
    _check_ax(ax, owner)
    show_labels = checks.check_flag(show_labels, owner=owner, name="show_labels")
    legend = checks.check_flag(legend, owner=owner, name="legend")
    where = "layout" if layout else "net"                  # the positions given, or the net's own ``layout``
    given = checks.check_curves(layout or mp_layout(net), owner=owner, name=where, shape=(2,))
    if sorted(given) != nodes:
        raise ValueError(f"The '{where}' parameter of {owner} must place every line and neuron of the net, and nothing "
                         f"else. Got {sorted(given)!r:.80} for {nodes!r:.80} instead.")
    pos = {k: np.asarray(v, dtype=float) for k, v in given.items()}
    xs, ys = np.array([p[0] for p in pos.values()]), np.array([p[1] for p in pos.values()])
    if ax is None:
        w, h = xs.max() - xs.min(), ys.max() - ys.min()
        _, ax = new_figure(figsize=(min(2.2 + 1.9 * w, 11), min(1.9 + 1.35 * h, 9)))
    _draw_synapses(ax, net, pos)
    _draw_units(ax, net, pos, show_labels)
    ax.set_aspect("equal")
    ax.set_xlim(xs.min() - 0.75, xs.max() + 0.5)
    ax.set_ylim(ys.min() - (0.75 if show_labels else 0.55), ys.max() + 0.75)
    ax.set_axis_off()
    if legend:
        handles = [Line2D([], [], color=_EXC, marker=">", lw=1.4, label="excitatory"),
                   Line2D([], [], color=_INH, marker="o", lw=1.4, label="inhibitory (absolute)"),
                   Line2D([], [], color="black", marker="o", mfc="white", lw=0, ms=10,
                          label="neuron (threshold inside)")]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, frameon=False, fontsize=8)
    if title:
        ax.set_title(title)
    return ax.figure


def plot_spike_raster(trains: Mapping[str, Any], *, names: Iterable[str] | None = None, ax: Any = None,
                      title: str | None = None, inputs: Iterable[str] = (), highlight: Iterable[str] = ()) -> Any:
    """Spike trains over discrete time: one row per name, a filled cell where it fires.

    Parameters
    ----------
    trains : mapping of str to sequence of 0/1
        E.g. the result of ``MPNetwork.run``.
    names : iterable of str, optional
        Rows, top to bottom (default: every key of ``trains``, names starting with ``_`` last).
    inputs : iterable of str
        Rows drawn in grey (the input lines).
    highlight : iterable of str
        Rows drawn in the accent colour.
    """
    trains = checks.check_labelled(trains, owner="plot_spike_raster", name="trains", what="spike trains")
    _check_ax(ax, "plot_spike_raster")
    inputs, highlight = _strings(inputs, "inputs"), _strings(highlight, "highlight")
    rows = _strings(names, "names") if names is not None else sorted(trains, key=lambda k: k.startswith("_"))
    missing = [k for k in rows if k not in trains]
    if missing:
        raise ValueError(f"The 'names' parameter of plot_spike_raster names {missing}, which are not in 'trains'.")
    if not rows:
        raise ValueError("The 'names' parameter of plot_spike_raster must name at least one row. Got none instead.")
    size = None
    for k in rows:                                          # 0/1 trains, all as long as the first row's
        size = checks.check_vector(trains[k], "trains", owner="plot_spike_raster", key=k, size=size,
                                   like=f"as many as {rows[0]!r}", min_val=0, max_val=1, integral=True).size
    M = np.array([np.asarray(trains[k]).ravel() for k in rows], dtype=float)   # (rows, T)
    n, T = M.shape
    if ax is None:
        _, ax = new_figure(figsize=(min(1.6 + 0.32 * T, 11), min(0.9 + 0.34 * n, 9) if n <= 40 else 4.5))
    if n > 40:   # a busy net: an image, neurons down, time across
        ax.imshow(M, aspect="auto", cmap="Greys", interpolation="nearest", vmin=0, vmax=1)
        ax.set_ylabel(f"{n} spike trains, one per row")
        ax.set_xlabel("time step t")
    else:
        inputs, highlight = set(inputs), set(highlight)
        for i, k in enumerate(rows):
            color = "0.5" if k in inputs else COLORS[1] if k in highlight else COLORS[0]
            ax.axhline(i, color="0.9", lw=0.8, zorder=0)
            for t in np.flatnonzero(M[i]):
                ax.add_patch(Rectangle((t - 0.4, i - 0.32), 0.8, 0.64, color=color, lw=0, zorder=2))
        ax.set_yticks(range(n), [k.lstrip("_") for k in rows])
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(-0.6, T - 0.4)
        ax.set_xticks(range(T) if T <= 30 else range(0, T, max(1, T // 15)))
        ax.set_xlabel("time step t")
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
    if title:
        ax.set_title(title)
    return ax.figure
