"""The ``annhist`` command line, in one place: ``main`` (list, run, book), ``xor`` and ``data``."""

from annhist.cli.common import UsageError, int_option, prepare_out_dir
from annhist.cli.main import build_parser, main

__all__ = ["main", "build_parser", "UsageError", "int_option", "prepare_out_dir"]
