"""Experiment reports fit a terminal and a chapter's output box: ``ExperimentResult.text`` wraps prose lines.

At 1280 px a chapter's output box holds 83 characters (13 px DejaVu Sans Mono, book/_static/annhist.css);
reports printed lines of up to 160 (the Boltzmann encoder's settings), which scrolled sideways.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annhist import experiments
from annhist.results import WIDTH, ExperimentResult, wrap_report

_LONG = ("boltzmann-encoder: 20 machines, 400 learning cycles, schedule 2@20 2@15 2@12 4@10, statistics 10 "
         "time units at T=10, weight steps of 2, noisy clamping")


def test_a_long_prose_line_is_wrapped_with_its_words_and_a_hanging_indent():
    out = wrap_report(_LONG).splitlines()
    assert out == ["boltzmann-encoder: 20 machines, 400 learning cycles, schedule 2@20 2@15 2@12",
                   "    4@10, statistics 10 time units at T=10, weight steps of 2, noisy clamping"]


def test_an_indented_line_keeps_its_indent_and_continues_four_further():
    line = "  seed 0: 14507 sweeps, weight ratios [1.0, 1.002, 1.994, 1.995, 3.966, 3.966] and [1.0, 1.0]"
    out = wrap_report(line).splitlines()
    assert out[0].startswith("  seed 0: ") and all(x.startswith("      ") for x in out[1:])
    assert " ".join(out).split() == line.split() and max(map(len, out)) <= WIDTH


def test_table_rows_short_lines_and_long_words_are_kept_whole():
    row = ("1943  W. S. McCulloch, W. Pitts                     annhist.mcculloch_pitts  "
           "chapters/03-threshold-logic.md")
    word = "x" * 100
    text = "\n".join([row, "short line", word, ""])
    assert wrap_report(text) == "\n".join([row, "short line", word])     # (splitlines: no trailing "")


def test_one_double_space_in_prose_does_not_make_a_table_row():
    line = "  load where half are recalled: N=100 0.223, N=400 0.168; 0/1 units, N=100: 0.124  (Amit et al.)"
    assert max(map(len, wrap_report(line).splitlines())) <= WIDTH


@given(st.lists(st.text(alphabet="abcdefgh0123.,;:()", min_size=1, max_size=12), min_size=1, max_size=60),
       st.integers(0, 6), st.integers(20, 120))
def test_wrapping_keeps_every_word_in_order_and_each_line_within_the_width(words, indent, width):
    line = " " * indent + " ".join(words)
    out = wrap_report(line, width).splitlines()
    assert " ".join(out).split() == words
    assert all(len(x) <= width or len(x.split()) == 1 for x in out)
    assert out[0].startswith(" " * indent) and all(x.startswith(" " * (indent + 4)) for x in out[1:])


def test_the_plain_listing_is_wrapped_too():
    r = ExperimentResult("demo", settings={"note": _LONG}, results={"values": list(range(40))})
    assert r.report == "" and max(map(len, r.text().splitlines())) <= WIDTH


def test_an_experiment_report_fits_the_width():
    text = experiments.run("boltzmann-encoder", seed=0, machines=1, cycles=2).text()
    assert "boltzmann-encoder: 1 machine" in text and max(map(len, text.splitlines())) <= WIDTH


def test_the_xor_report_fits_the_width_and_keeps_its_table():
    text = experiments.run("xor", seed=11, seeds=1).text()          # its one 2-2-1 run is stuck
    lines = text.splitlines()
    assert max(map(len, lines)) <= WIDTH
    assert any(line.startswith("   2-2-1            0/1   ") for line in lines)   # the table row, whole
    assert "   2-2-1, stuck runs: final E = 0.25; 1 of 1 with two outputs at 0.5." in lines
    assert "0 >= 4" in text and "14 of the 16" in text
