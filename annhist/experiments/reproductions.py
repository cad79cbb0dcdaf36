"""What annhist reproduces: each published number beside the value our experiment computes.

A :class:`Claim` names a number from a primary source, the registered experiment that
recomputes it, and the path of the value in that experiment's ``to_dict()`` output. The
paper's value is written here (it is the paper's); annhist's value is never typed by hand —
:func:`reproduce` runs the experiments (each once) and reads the value from their results
(during the book build, a run a chapter already made is read from the build's result cache,
:mod:`annhist.experiments.cache`, keyed on the experiment, seed, options and annhist's sources).
The book's "What we reproduced" page is generated from :func:`reproduce` during the build.

A value that depends on the data (a claim with ``on_data``) is shown with the data set it
was computed on, read from the experiment's ``results["data"]``; when the experiment ran on a
stand-in (``results["stand_in"]``, e.g. scikit-learn's digits instead of USPS) the row's
verdict is ``STAND_IN_VERDICT``, whatever the numbers, and :func:`stand_in_note` words a
note for the page.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, Callable

from annhist import experiments
from annhist.datasets.usps import GET_USPS, DataFallbackWarning
from annhist.experiments.claims import CHAPTER_RUNS, CLAIMS, PAGE_RUNS, Claim

__all__ = ["CHAPTER_RUNS", "PAGE_RUNS", "CLAIMS", "STAND_IN_VERDICT", "BUILT_IN_VERDICT", "Claim", "Row", "lookup",
           "reproduce", "stand_in_note", "to_markdown"]

STAND_IN_VERDICT = "not comparable: stand-in data"
BUILT_IN_VERDICT = "built in"       # a claim with design=True that the code meets: it checks the code, not the paper


@dataclass
class Row:
    """A claim with annhist's value, a verdict, and (for ``claim.on_data``) annhist's data set."""

    claim: Claim
    value: Any
    verdict: str
    settings: dict[str, Any]
    data: str = ""
    stand_in: bool = False


def lookup(result: dict[str, Any], key: str) -> Any:
    """The value at a dotted ``key`` inside ``result["results"]``; names may contain dots
    when a dict has such keys (the longest matching name wins)."""
    node: Any = result["results"]
    parts = key.split(".")
    i = 0
    while i < len(parts):
        if isinstance(node, list):
            node = node[int(parts[i])]
            i += 1
            continue
        for j in range(len(parts), i, -1):
            name = ".".join(parts[i:j])
            if isinstance(node, dict) and name in node:
                node = node[name]
                i = j
                break
        else:
            raise KeyError(f"{key!r}: no {parts[i]!r} in the results of {result.get('experiment')!r}")
    return node


def _verdict(claim: Claim, value: Any) -> str:
    if claim.check == "report":
        return "reported"
    if claim.check == "true":
        return "reproduced" if value is True else "not reproduced"
    if (value is None or not isinstance(value, (int, float)) or isinstance(value, bool)
            or not isinstance(claim.paper, (int, float))):
        return "reproduced" if value == claim.paper else "not reproduced"
    paper = float(claim.paper)
    if claim.check == "equal":
        ok = value == paper
    elif claim.check == "close":
        ok = math.isclose(value, paper, rel_tol=claim.tol)
    elif claim.check == "at_most":
        ok = value <= paper
    elif claim.check == "at_least":
        ok = value >= paper
    else:
        raise ValueError(f"Unknown check {claim.check!r} in a claim about {claim.quantity!r}.")
    return "reproduced" if ok else "differs"


def reproduce(claims: tuple[Claim, ...] | None = None, *, seed: int = 0,
              run: Callable[..., Any] | None = None) -> list[Row]:
    """Run each needed experiment once (per option set) and fill in annhist's values.

    ``claims`` defaults to every claim of the page, ``CLAIMS`` (a default spelled out in
    the signature would print all of them in the API reference).

    Without ``run``, results come from :func:`annhist.experiments.run_dict`: during the book
    build, the runs the chapters already made (same experiment, seed, options and annhist
    sources) are read from the build's result cache instead of being run again.

    An experiment that falls back to stand-in data warns (:class:`annhist.datasets.usps.DataFallbackWarning`);
    here the rows say it instead, so the warning is not repeated.
    """
    def as_dict(name: str, **options: Any) -> dict[str, Any]:
        if run is None:                                  # the book build's result cache, when there is one
            return experiments.run_dict(name, seed=seed, **options)
        return run(name, seed=seed, **options).to_dict()

    cache: dict[tuple, dict[str, Any]] = {}
    rows = []
    for claim in CLAIMS if claims is None else claims:
        key = (claim.experiment, tuple(sorted(claim.options.items())))
        if key not in cache:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DataFallbackWarning)
                cache[key] = as_dict(claim.experiment, **claim.options)
        result = cache[key]
        value = lookup(result, claim.key)
        data = str(result["results"].get("data", "")) if claim.on_data else ""
        stand_in = bool(claim.on_data and result["results"].get("stand_in"))
        verdict = STAND_IN_VERDICT if stand_in else _verdict(claim, value)
        if claim.design and verdict == "reproduced":
            verdict = BUILT_IN_VERDICT                 # a value the code is built from: no result of the paper
        rows.append(Row(claim, value, verdict, {"seed": seed, **claim.options}, data=data, stand_in=stand_in))
    return rows


def _fmt(value: Any) -> str:
    if value is None:
        return "never"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return str(value)


def to_markdown(rows: list[Row]) -> str:
    """The table of the book's "What we reproduced" page (MyST Markdown with citations)."""
    lines = ["| source | quantity | paper | annhist | experiment and settings | verdict |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        c = r.claim
        settings = ", ".join(f"{k}={v}" for k, v in r.settings.items())
        note = f" ({c.note})" if c.note else ""
        paper = _fmt(c.paper) + (f" on {c.on_data}" if c.on_data else "")
        ours = _fmt(r.value) + (f" on **{r.data}**" if r.stand_in else f" on {r.data}" if r.data else "")
        verdict = f"*{r.verdict}*" if r.stand_in else r.verdict
        lines.append(f"| {{cite}}`{c.source}` | {c.quantity}{note} | {paper} | {ours} | "
                     f"`annhist run {c.experiment}` ({settings}) | {verdict} |")
    return "\n".join(lines)


def stand_in_note(rows: list[Row]) -> str:
    """A MyST ``{note}`` saying which rows ran on stand-in data and how to get the real data; "" if none."""
    hit = [r for r in rows if r.stand_in]
    if not hit:
        return ""
    names = sorted({r.data for r in hit})
    return (f"```{{note}}\n{len(hit)} of the {len(rows)} values below were computed on "
            f"{' and '.join(names)}, because the real data set was not installed on the machine that "
            f"built this page; their verdict is *{STAND_IN_VERDICT}*. {GET_USPS}\n```")
