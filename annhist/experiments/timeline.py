"""The ``timeline`` experiment: the milestones table of :mod:`annhist.history` and its figure."""

from __future__ import annotations

from annhist.history import MILESTONES
from annhist.results import ExperimentResult, register


def _plot(**kwargs: object) -> object:
    from annhist.plotting.timeline import plot_timeline  # on use: matplotlib takes a second to import

    return plot_timeline(**kwargs)


@register("timeline", module="history", summary="The milestones table and the timeline figure.")
def timeline_experiment(seed: int = 0) -> ExperimentResult:
    """The milestones table and the timeline figure (the seed is unused: nothing is random)."""
    rows = [{"year": m.year, "authors": m.authors, "title": m.title, "module": f"annhist.{m.module}",
             "chapter": m.chapter, "citation": m.citation} for m in MILESTONES]
    return ExperimentResult(
        experiment="timeline",
        settings={"seed": seed},
        results={"n_milestones": len(rows), "first_year": rows[0]["year"], "last_year": rows[-1]["year"],
                 "milestones": rows},
        notes="Deterministic: the table in annhist.history; the figure is drawn from it.",
        figures={"timeline": _plot},
    )
