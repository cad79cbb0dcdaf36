"""What every ``annhist`` subcommand shares: the one-line usage error, the parser, option types, --out."""

from __future__ import annotations

import argparse
import math
import textwrap
from pathlib import Path
from typing import Any, Callable

__all__ = ["UsageError", "Parser", "int_option", "typed_option", "bounds_text", "seed_option", "prepare_out_dir",
           "emit"]


class UsageError(Exception):
    """A mistake in the command line: reported in one line, exit status 2."""


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, except that a line never breaks inside a hyphenated word: ``--max-sweeps`` stays
    whole."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit with status 2 (help lines: :class:`HelpFormatter`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> tuple[argparse.Namespace, list[str]]:
        """Unknown arguments are this parser's error: argparse hands a subcommand's up to the top-level
        parser, whose message said "annhist: unrecognized arguments: --bogus (see 'annhist --help')"."""
        namespace, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return namespace, extras


# ----------------------------------------------------------------------------- helpers
def int_option(flag: str, min_value: int, max_value: int | None = None) -> Callable[[str], int]:
    """An argparse type for an integer option in ``[min_value, max_value]``, with a one-line message."""
    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < min_value or (max_value is not None and value > max_value):
            want = f">= {min_value}" if max_value is None else f"from {min_value} to {max_value}"
            raise argparse.ArgumentTypeError(f"{flag} must be an integer {want}, got {text!r}")
        return value
    return convert


seed_option = int_option("--seed", 0)


def typed_option(opt_type: type, flag: str, min_value: float | None, max_value: float | None = None, *,
                 max_exclusive: bool = False) -> Callable[[str], Any]:
    """An argparse type for an experiment's option of ``opt_type`` (int, float or str) and its bounds
    (``max_exclusive``: ``max_value`` itself is refused too)."""
    if opt_type is int and min_value is not None and not max_exclusive:
        return int_option(flag, int(min_value), None if max_value is None else int(max_value))

    def convert(text: str) -> Any:
        try:
            value = opt_type(text)
        except ValueError:
            kind = {int: "an integer", float: "a number"}.get(opt_type, "a value")
            raise argparse.ArgumentTypeError(f"{flag} must be {kind}, got {text!r}") from None
        if opt_type is float and not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{flag} must be a finite number, got {text!r}")
        if min_value is not None and value < min_value:
            raise argparse.ArgumentTypeError(f"{flag} must be >= {min_value:g}, got {text!r}")
        if max_value is not None and (value >= max_value if max_exclusive else value > max_value):
            raise argparse.ArgumentTypeError(f"{flag} must be {'<' if max_exclusive else '<='} {max_value:g}, "
                                             f"got {text!r}")
        return value
    return convert


def bounds_text(min_value: float | None, max_value: float | None, *, max_exclusive: bool = False) -> str:
    """``"; 1 to 5000000"``, ``"; >= 0"``, ``"; >= 0 and < 1"`` (``max_exclusive``) or ``""``: an option's valid
    range for its ``--help`` line (whole numbers in full, others as ``%g``)."""
    def text(v: float) -> str:
        return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else f"{v:g}"
    if max_exclusive and max_value is not None:
        return f"; >= {text(min_value)} and < {text(max_value)}" if min_value is not None else f"; < {text(max_value)}"
    if min_value is not None and max_value is not None:
        return f"; {text(min_value)} to {text(max_value)}"
    if min_value is not None:
        return f"; >= {text(min_value)}"
    return f"; <= {text(max_value)}" if max_value is not None else ""


def prepare_out_dir(out: str | None, *, force: bool) -> Path | None:
    """Create ``out`` (or check it is usable); refuse to overwrite a non-empty one without --force."""
    if out is None:
        return None
    if not out:                                      # Path("") is the current directory
        raise UsageError(f"--out must name a directory, got {out!r}")
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise UsageError(f"--out {out!r} exists and is not a directory")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise UsageError(f"--out {out!r} is not empty; pass --force to overwrite its files")
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".annhist-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"--out {out!r} is not writable: {exc.strerror or exc}") from None
    return path


def emit(result: Any, *, as_json: bool, out: Path | None) -> None:
    if as_json:
        print(result.to_json())
    else:
        print(result.text())
    if out is not None:
        paths = result.save(out)
        if not as_json:
            print(f"\nwrote {len(paths)} file(s) to {out}/")
