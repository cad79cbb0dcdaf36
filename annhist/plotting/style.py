"""The house style of annhist's figures: readable on a slide, printable in grey."""

from __future__ import annotations

import numbers
from typing import Any

import matplotlib as mpl
from matplotlib.figure import Figure

from annhist.validation import check_scalar

__all__ = ["COLORS", "AnnhistFigure", "new_figure", "MAX_AXES"]

#: The most axes one figure holds (a grid of 64 x 64): a billion rows was a MemoryError inside matplotlib.
MAX_AXES = 4096


class AnnhistFigure(Figure):
    """A matplotlib ``Figure`` that shows itself as a PNG in Jupyter, without pyplot.

    IPython displays objects through ``_repr_png_``, so a chapter shows a figure by leaving
    it as a cell's last expression. The PNG carries no software/date metadata, so the same
    figure gives the same bytes build after build.
    """

    def _repr_png_(self) -> bytes:
        import io

        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
        return buf.getvalue()

# Colour-blind-safe palette (Okabe & Ito 2008), in a fixed order.
COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")

_RC = {
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.prop_cycle": mpl.cycler(color=COLORS),
    "savefig.dpi": 120,
    "svg.hashsalt": "annhist",
}


def new_figure(nrows: int = 1, ncols: int = 1, *, figsize: tuple[float, float] | None = None,
               **kwargs: Any) -> tuple[Any, Any]:
    """A new ``Figure`` and its axes in the house style (the style applies to this figure only).

    The figure is not registered with pyplot: nothing is shown twice in a notebook, nothing
    leaks when many figures are drawn, and a chapter displays it by leaving it as a
    cell's last expression. ``kwargs`` go to ``Figure.subplots``.
    """
    for value, name in ((nrows, "nrows"), (ncols, "ncols")):
        check_scalar(value, name, owner="new_figure", kind=numbers.Integral, min_val=1, max_val=MAX_AXES)
    if nrows * ncols > MAX_AXES:
        raise ValueError(f"The 'nrows' and 'ncols' parameters of new_figure ask for {nrows * ncols:,} axes; at most "
                         f"{MAX_AXES:,}. Got {nrows} and {ncols} instead.")
    with mpl.rc_context(_RC):
        fig = AnnhistFigure(figsize=figsize or (4.2 * ncols, 3.2 * nrows), layout="constrained")
        ax = fig.subplots(nrows, ncols, **kwargs)
    for a in (ax.ravel() if hasattr(ax, "ravel") else [ax]):
        a.spines["top"].set_visible(False)
        a.spines["right"].set_visible(False)
    return fig, ax
