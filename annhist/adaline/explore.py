"""Explorable for the chapter "1960: ADALINE": LMS on the error bowl, the reader sets the step size.

The step size runs from 0.1 to 1.2 times the stability limit ``2 / lambda_max(R)``
(:func:`~annhist.adaline.lms.lms_stability_limit`); every trajectory is a batch LMS run of
:class:`~annhist.adaline.Adaline` from :func:`~annhist.adaline.experiments.stability_runs`
(Widrow & Hoff 1960; the limit as in Widrow & Lehr 1990, p. 1429).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from annhist.adaline.experiments import stability_runs
from annhist.adaline.lms import input_correlation, least_squares, lms_stability_limit, mse_surface
from annhist.plotting.checks import MAX_SWEEPS, check_dpi
from annhist.plotting.explorable import Control, Explorable, Frame, FrameCanvas, check_mode
from annhist.plotting.style import COLORS, new_figure
from annhist.validation import check_scalar

__all__ = ["LMS_FACTORS", "lms_frame_numbers", "lms_bowl_explorable", "lms_bowl"]

LMS_FACTORS = tuple(round(0.1 * k, 1) for k in range(1, 13))   # 0.1 ... 1.2 x the limit


def lms_frame_numbers(factor: float, epochs: int = 30, run: dict[str, Any] | None = None) -> dict[str, Any]:
    """The numbers one setting shows: eta, the factors ``1 - eta lambda``, the run's end.

    ``run`` is the setting's record from :func:`stability_runs` if it was already computed.
    """
    if run is None:
        check_scalar(factor, "factor", owner="lms_frame_numbers", min_val=0, include_min=False)
        _check_epochs(epochs, "lms_frame_numbers")
    X, d, runs = stability_runs(epochs, factors=(float(factor),)) if run is None else (run["X"], run["d"], [run])
    run = runs[0]
    lam = np.linalg.eigvalsh(input_correlation(X))
    eta = run["eta"]
    return {"X": X, "d": d, "eta": eta, "limit": lms_stability_limit(X), "factors": 1 - eta * lam,
            "weights": np.asarray(run["weights"]), "mse": np.asarray(run["mse"]), "diverged": run["diverged"],
            "epochs_run": len(run["mse"]) - 1}


def _check_epochs(epochs: Any, owner: str) -> int:
    return int(check_scalar(epochs, "epochs", owner=owner, kind=numbers.Integral, min_val=1, max_val=MAX_SWEEPS))


def _verdict(n: dict[str, Any]) -> str:
    if n["diverged"]:
        return f"diverges: DivergenceError after {n['epochs_run']} epochs"
    if np.max(np.abs(n["factors"])) >= 1 - 1e-9:
        return "does not converge: it bounces across the valley for ever (|1 - eta*lambda_max| = 1)"
    if np.min(n["factors"]) < 0:
        return "converges, oscillating across the valley (1 - eta*lambda_max < 0)"
    return "converges smoothly (every 1 - eta*lambda > 0)"


def _bowl_canvas(X: np.ndarray, d: np.ndarray, start: np.ndarray, epochs: int, dpi: int) -> Any:
    """Draw the contours once; return ``draw(weights, mse, title) -> png`` that updates the paths."""
    w_ls, b_ls = least_squares(X, d)
    c0, c1 = (b_ls + start[0]) / 2, (w_ls[0] + start[1]) / 2
    half = max(abs(start[0] - b_ls), abs(start[1] - w_ls[0])) / 2 + 1.0
    fig, (ax, ax2) = new_figure(1, 2, figsize=(7.6, 3.3))
    g0, g1 = np.linspace(c0 - half, c0 + half, 81), np.linspace(c1 - half, c1 + half, 81)
    B, W = np.meshgrid(g0, g1, indexing="xy")
    Z = mse_surface(X, d, np.stack([B, W], axis=-1))
    ax.contour(W, B, Z, levels=np.unique(np.quantile(Z, [0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9])),
               colors="0.6", linewidths=0.8)
    ax.scatter([w_ls[0]], [b_ls], marker="*", s=120, color="k", zorder=5)
    ax.scatter([start[1]], [start[0]], marker="s", s=30, color="k", zorder=4)
    path = ax.plot([], [], "-o", ms=3, lw=1.2, color=COLORS[1], zorder=3)[0]
    ax.set(xlim=(g1[0], g1[-1]), ylim=(g0[0], g0[-1]), xlabel="weight $w_1$", ylabel="bias weight $w_0$")
    ax.set_aspect("equal")
    curve = ax2.semilogy([], [], color=COLORS[1], lw=1.6)[0]
    best = float(mse_surface(X, d, np.array([b_ls, w_ls[0]])))
    ax2.axhline(best, color="k", ls=":", lw=1)
    ax2.set(xlabel="epoch", ylabel="mean squared error", title="learning curve", xlim=(0, epochs),
            ylim=(0.5 * best, 1e3))
    title = ax.set_title(" ")
    canvas = FrameCanvas(fig, [path, curve, title], dpi=dpi)

    def draw(weights: np.ndarray, mse: np.ndarray, text: str) -> bytes:
        inside = np.flatnonzero(np.max(np.abs(weights - [c0, c1]), axis=1) > half)
        shown = weights[: inside[0] + 1] if inside.size else weights
        path.set_data(shown[:, 1], shown[:, 0])
        curve.set_data(np.arange(mse.size), mse)
        title.set_text(text)
        return canvas.png()

    return draw


def lms_bowl_explorable(epochs: int = 30, *, dpi: int = 70) -> Explorable:
    """The explorable (controls and render function) behind :func:`lms_bowl`."""
    epochs, dpi = _check_epochs(epochs, "lms_bowl_explorable"), check_dpi(dpi, owner="lms_bowl_explorable")
    X, d, runs = stability_runs(epochs, factors=LMS_FACTORS)     # the static grid, in one call
    done = {r["factor"]: dict(r, X=X, d=d) for r in runs}
    draw = _bowl_canvas(X, d, np.asarray(runs[0]["weights"])[0], epochs, dpi)

    def render(factor: float) -> Frame:
        n = lms_frame_numbers(factor, epochs, done.get(factor))
        text = (f"eta = {float(factor):g} x 2/lambda_max = {n['eta']:.4f}   (limit {n['limit']:.4f})\n"
                f"1 - eta*lambda per eigen-direction: {np.array2string(n['factors'], precision=3)}\n"
                f"final MSE {n['mse'][-1]:.4g} -- {_verdict(n)}")
        return Frame(text=text, png=draw(n["weights"], n["mse"], f"eta = {float(factor):g} x limit"),
                     numbers={"eta": n["eta"], "final_mse": float(n["mse"][-1]), "diverged": float(n["diverged"])})

    control = Control("factor", "step size eta, as a multiple of the limit 2/lambda_max", LMS_FACTORS,
                      labels=tuple(f"{f:g} x" for f in LMS_FACTORS), live=(0.05, 1.3, 0.01))
    return Explorable("explore-lms-bowl", "LMS on the error bowl: move the step size", [control], render,
                      start=[4])


def lms_bowl(mode: str = "auto", epochs: int = 30) -> Any:
    """LMS on the MSE bowl of Iris petal width, step size 0.1-1.2 x the limit, for the reader to drive.

    Static HTML in the book, live ipywidgets in JupyterLab (``mode``: ``"auto"``, ``"static"``,
    ``"widgets"``; see :mod:`annhist.plotting.explorable`).
    """
    check_mode(mode, "lms_bowl")
    return lms_bowl_explorable(epochs).show(mode)
