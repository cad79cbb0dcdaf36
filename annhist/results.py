"""What an experiment is and what it returns: :class:`Option`, :class:`Experiment`, :class:`ExperimentResult`.

A milestone declares its experiments with :func:`register`::

    @register("perceptron-iris", module="perceptron", summary="...")
    def perceptron_iris(seed: int = 0) -> ExperimentResult:
        ...

:func:`register` only attaches an :class:`Experiment` to the function (as ``func.experiment``); it
keeps no global state. The registry, :mod:`annhist.experiments`, imports the milestones' experiment
modules and collects those attributes, so a milestone never imports the registry (the layers go
toolkit -> milestones -> experiments -> CLI).

Each experiment is a function of a ``seed`` (and of its declared :class:`Option`\\s) that returns an
:class:`ExperimentResult`. ``ExperimentResult.to_dict()`` is the JSON the CLI prints:
``{"experiment", "settings", "results", "paper"}`` (plus ``"notes"``). The same seed gives the same
dictionary.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

__all__ = ["Option", "Experiment", "ExperimentResult", "register", "to_jsonable", "plural", "wrap_report", "WIDTH"]

#: The width :meth:`ExperimentResult.text` wraps a report's prose lines to: a terminal's 80 columns, and what a
#: chapter's output box holds at 1280 px (83 characters).
WIDTH = 80


def plural(n: Any, word: str, many: str | None = None) -> str:
    """``"1 epoch"``, ``"3 epochs"``: ``n`` and ``word``, made plural (``many``, else ``word + "s"``) unless ``n``
    is 1; for the reports' counts."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


@dataclass(frozen=True)
class Option:
    """An experiment-specific command-line option, e.g. ``--epochs`` or ``--formula``."""

    name: str                     # Python keyword, e.g. "epochs"; the flag is --epochs
    type: type                    # int, float or str
    default: Any
    help: str
    min_value: float | None = None  # for numbers: smallest valid value
    max_value: float | None = None  # for numbers: largest valid value (what a laptop runs in minutes, not days)
    max_exclusive: bool = False     # True: max_value itself is refused too (momentum alpha < 1)
    choices: tuple[str, ...] = ()   # for strings: the values accepted (empty: any string the experiment checks)


@dataclass(frozen=True)
class Experiment:
    """A registered experiment."""

    name: str
    module: str
    summary: str
    func: Callable[..., "ExperimentResult"]
    options: tuple[Option, ...] = ()

    def __call__(self, seed: int = 0, **options: Any) -> "ExperimentResult":
        known = {o.name for o in self.options}
        unknown = sorted(set(options) - known)
        if unknown:
            raise TypeError(f"Experiment {self.name!r} takes no option(s) {unknown}; valid: {sorted(known)}.")
        for opt in self.options:
            if opt.name in options:
                _check_option(self.name, opt, options[opt.name])
        _check_seed(seed)
        return self.func(seed=seed, **options)


def _check_seed(seed: Any) -> None:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"The 'seed' parameter must be an int >= 0. Got {seed!r} instead.")
    if seed < 0:
        raise ValueError(f"The 'seed' parameter must be >= 0. Got {seed} instead.")


def _check_option(experiment: str, opt: Option, value: Any) -> None:
    if opt.type is int and (isinstance(value, bool) or not isinstance(value, (int, np.integer))):
        raise TypeError(f"The '{opt.name}' option of {experiment} must be an int. Got {value!r} instead.")
    if opt.type is float and (isinstance(value, bool) or not isinstance(value, (int, float, np.number))):
        raise TypeError(f"The '{opt.name}' option of {experiment} must be a number. Got {value!r} instead.")
    if opt.type is float and not math.isfinite(value):
        raise ValueError(f"The '{opt.name}' option of {experiment} must be finite. Got {value!r} instead.")
    if opt.type is str and not isinstance(value, str):
        raise TypeError(f"The '{opt.name}' option of {experiment} must be a string. Got {value!r} instead.")
    if opt.choices and value not in opt.choices:
        raise ValueError(f"The '{opt.name}' option of {experiment} must be one of "
                         f"{', '.join(map(repr, opt.choices))}. Got {value!r} instead.")
    if opt.min_value is not None and value < opt.min_value:
        raise ValueError(f"The '{opt.name}' option of {experiment} must be >= {opt.min_value}. Got {value!r} instead.")
    if opt.max_value is not None and opt.max_exclusive and value >= opt.max_value:
        raise ValueError(f"The '{opt.name}' option of {experiment} must be < {opt.max_value}. Got {value!r} instead.")
    if opt.max_value is not None and value > opt.max_value:
        raise ValueError(f"The '{opt.name}' option of {experiment} must be <= {opt.max_value}. Got {value!r} instead.")


@dataclass
class ExperimentResult:
    """What an experiment returns: its settings, its results and the paper's numbers.

    ``figures`` maps a file stem to a function that draws and returns a matplotlib figure;
    they are drawn only when asked (:meth:`save_figures`), so the JSON path needs no plotting.
    ``report`` is a human-readable text for the terminal. ``models`` holds the trained objects
    behind the results (e.g. ``{"net": net}``) for a chapter that shows them; it is not part of
    the JSON.
    """

    experiment: str
    settings: dict[str, Any]
    results: dict[str, Any]
    paper: dict[str, Any] = field(default_factory=dict)
    notes: str = ""
    report: str = ""
    figures: dict[str, Callable[[], Any]] = field(default_factory=dict, repr=False)
    models: dict[str, Any] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dictionary (numpy values become Python numbers and lists)."""
        out = {"experiment": self.experiment, "settings": to_jsonable(self.settings),
               "results": to_jsonable(self.results), "paper": to_jsonable(self.paper)}
        if self.notes:
            out["notes"] = self.notes
        return out

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, sort_keys=False, allow_nan=False)

    def text(self) -> str:
        """The terminal report: ``report`` if the experiment wrote one, else a plain listing; its prose lines
        wrapped to :data:`WIDTH` characters (:func:`wrap_report`)."""
        return wrap_report(self.report or self._listing())

    def _listing(self) -> str:
        lines = [f"{self.experiment}"]
        for title, block in (("settings", self.settings), ("results", self.results), ("paper", self.paper)):
            if block:
                lines.append(f"  {title}:")
                for k, v in to_jsonable(block).items():
                    lines.append(f"    {k}: {json.dumps(v) if not isinstance(v, str) else v}")
        if self.notes:
            lines.append(f"  notes: {self.notes}")
        return "\n".join(lines)

    def save_figures(self, out_dir: str | os.PathLike) -> list[Path]:
        """Draw every figure and write it as PNG into ``out_dir`` (created if needed)."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for stem, draw in self.figures.items():
            fig = draw()
            path = out / f"{stem}.png"
            _atomic_write(path, lambda tmp: fig.savefig(tmp, format="png", dpi=120, bbox_inches="tight",
                                                         metadata={"Software": None}))
            paths.append(path)
        return paths

    def save(self, out_dir: str | os.PathLike) -> list[Path]:
        """Write ``<experiment>.json`` and the figures into ``out_dir``; return the paths."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"{self.experiment}.json"
        text = self.to_json() + "\n"
        _atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
        return [path, *self.save_figures(out)]


def wrap_report(text: str, width: int = WIDTH) -> str:
    """``text`` with each line longer than ``width`` wrapped, its continuation lines indented 4 more than it.

    A line with two or more runs of two spaces after its indentation is a table row (columns aligned by
    spaces) and is kept whole; so is a word longer than the line (a path, a list written without spaces)."""
    out = []
    for line in text.splitlines():
        indent = line[:len(line) - len(line.lstrip(" "))]
        if len(line) <= width or len(re.findall(r"\S {2,}(?=\S)", line)) >= 2:
            out.append(line)
            continue
        out.append(textwrap.fill(line, width, subsequent_indent=indent + "    ", break_long_words=False,
                                 break_on_hyphens=False))
    return "\n".join(out)


def _atomic_write(path: Path, write: Callable[[str], Any]) -> None:
    """``write(tmp)`` into a temporary file beside ``path``, then rename it into place: never half-written."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)                        # mkstemp makes it private (0600); results are to be shared
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def to_jsonable(obj: Any) -> Any:
    """Convert numpy scalars/arrays, tuples and non-finite floats to plain JSON values.

    NaN and infinities become ``None`` (JSON has no such numbers).
    """
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        f = float(obj)
        return f if math.isfinite(f) else None
    if isinstance(obj, (str, int)) or obj is None:
        return obj
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"Cannot convert {type(obj).__name__} to JSON: results must be numbers, strings, booleans, "
                    f"None, lists, dicts or numpy arrays. Got {obj!r:.60} instead.")


def register(name: str, *, module: str, summary: str,
             options: tuple[Option, ...] = ()) -> Callable[[Callable[..., ExperimentResult]], Callable[..., Any]]:
    """Decorator: declare ``func`` as the experiment ``name`` (``func.experiment``); the registry collects it."""
    if name == "all":
        raise RuntimeError("'all' is reserved for running every experiment.")

    def decorate(func: Callable[..., ExperimentResult]) -> Callable[..., ExperimentResult]:
        func.experiment = Experiment(name, module, summary, func, tuple(options))  # type: ignore[attr-defined]
        return func

    return decorate
