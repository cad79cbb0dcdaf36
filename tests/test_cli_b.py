"""``annhist run``: the defects of a user audit of the command line (one test or more each).

Each message names what the user can change on the command line (or in the Python call), the help
shows the bounds that are enforced, and the reports read as English for a count of 1.
"""

import argparse

import pytest
from conftest import run_main

from annhist import experiments
from annhist.cli.common import bounds_text, typed_option
from annhist.results import plural

TWENTY_ATOMS = " or ".join(f"x{i}" for i in range(20))


def run_cli(*args):
    return run_main(list(args))


# 1. mp-compile: a formula true on silence names the option and the Python call, not a keyword the CLI lacks
def test_mp_compile_true_on_silence_names_the_option_not_a_keyword_the_cli_lacks():
    code, out, err = run_cli("run", "mp-compile", "--formula", "not a")
    assert code == 2 and out == "" and "Traceback" not in err
    assert "Pass drive=True" not in err
    assert "The 'formula' option of mp-compile must be false when all its atoms are false" in err
    assert "Theorem III" in err and "compile_formula(formula, drive=True)" in err
    with pytest.raises(ValueError, match="'formula' option of mp-compile"):
        experiments.run("mp-compile", formula="not a or b")


# 8. mp-compile: too many atoms for the truth table names the option
def test_mp_compile_too_many_atoms_names_the_option():
    code, _, err = run_cli("run", "mp-compile", "--formula", TWENTY_ATOMS)
    assert code == 2
    assert "The 'formula' option of mp-compile must have at most 16 distinct atoms" in err and "Got 20 atoms" in err
    with pytest.raises(ValueError, match="'formula' option of mp-compile must have at most 16"):
        experiments.run("mp-compile", formula=TWENTY_ATOMS)


def test_mp_compile_valid_and_malformed_formulas_as_before():
    code, out, _ = run_cli("run", "mp-compile", "--formula", "a and not b")
    assert code == 0 and out.startswith("mp-compile: a and not b\n")
    code, _, err = run_cli("run", "mp-compile", "--formula", "a and")
    assert code == 2 and "The 'formula' parameter of compile_formula is malformed at position 5" in err


# 2. rhw-*: --alpha shows and enforces 0 <= alpha < 1, refused at the option naming --alpha
def test_alpha_help_shows_the_bounds_it_enforces():
    code, out, _ = run_cli("run", "rhw-xor", "--help")
    assert code == 0
    line = " ".join(out.split("\n  --alpha ALPHA", 1)[1].split("--stop-within")[0].split())
    assert line == "momentum alpha (default 0.9; >= 0 and < 1)"


@pytest.mark.parametrize("value", ["1", "1.0", "2", "-0.1"])
def test_alpha_out_of_range_is_refused_naming_the_flag(value):
    code, out, err = run_cli("run", "rhw-xor", "--alpha", value)
    assert code == 2 and out == ""
    assert "argument --alpha: --alpha must be" in err and "Momentum" not in err


def test_alpha_below_one_runs_and_the_python_call_names_the_option():
    code, out, _ = run_cli("run", "rhw-xor", "--alpha", "0.999", "--seeds", "1", "--epochs", "2")
    assert code == 0 and out.startswith("rhw-xor:")
    with pytest.raises(ValueError, match="The 'alpha' option of rhw-xor must be < 1"):
        experiments.run("rhw-xor", alpha=1.0, seeds=1, epochs=2)


def test_bounds_text_and_typed_option_with_an_exclusive_maximum():
    assert bounds_text(0.0, 1.0, max_exclusive=True) == "; >= 0 and < 1"
    assert bounds_text(None, 1.0, max_exclusive=True) == "; < 1"
    assert bounds_text(0.0, 1.0) == "; 0 to 1" and bounds_text(1, None) == "; >= 1" and bounds_text(None, None) == ""
    convert = typed_option(float, "--alpha", 0.0, 1.0, max_exclusive=True)
    assert convert("0.5") == 0.5 and convert("0") == 0.0
    for text, message in (("1", "< 1"), ("nan", "finite"), ("inf", "finite"), ("x", "a number")):
        with pytest.raises(argparse.ArgumentTypeError, match=message):
            convert(text)
    assert typed_option(float, "--eta", 0.0, 1.0)("1") == 1.0               # an inclusive bound as before


# 3. an empty --out is refused naming --out, with or without --force, and nothing is written
@pytest.mark.parametrize("force", [[], ["--force"]])
def test_empty_out_is_refused(tmp_path, monkeypatch, force):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("run", "timeline", "--out", "", *force)
    assert code == 2 and out == ""
    assert "--out must name a directory, got ''" in err
    assert list(tmp_path.iterdir()) == []
    code, _, err = run_cli("xor", "--out", "", *force)
    assert code == 2 and "--out must name a directory" in err


# 4. annhist run all --help describes its options
def test_run_all_help_describes_every_option():
    code, out, _ = run_cli("run", "all", "--help")
    assert code == 0
    for flag, words in (("--seed SEED", "random seed"), ("--out DIR", "results JSON"), ("--json", "as JSON"),
                        ("--force", "non-empty --out")):
        line = next(ln for ln in out.splitlines() if ln.strip().startswith(flag))
        assert words in line, line


# 5. the product limits of the runs are in the --help of annhist run
@pytest.mark.parametrize("name, text", [
    ("xor", "--seeds x --max-sweeps at most 20000000"), ("rhw-xor", "--seeds x --epochs at most 20000000"),
    ("rhw-parity", "--seeds x --epochs at most 20000000"), ("rhw-family-trees", "--seeds x sweeps at most 20000000")])
def test_run_help_names_the_product_limit(name, text):
    code, out, _ = run_cli("run", name, "--help")
    assert code == 0 and text in " ".join(out.split())
    assert "--max-\n" not in out and "--seeds x --\n" not in out          # no flag is broken across lines


# 6. no seed learned: said in words, not "median - sweeps (range None-None)"
def test_rhw_report_when_no_seed_learned():
    code, out, _ = run_cli("run", "rhw-xor", "--eta", "100", "--seeds", "2", "--epochs", "100")
    assert code == 0 and "None" not in out and "median -" not in out
    assert "  2-2-1          learned 0/2 seeds; none within 100 sweeps" in out.splitlines()


def test_rhw_report_when_seeds_learned_is_unchanged():
    out = experiments.run("rhw-xor", seeds=3, epochs=2000).text().splitlines()
    assert out[1].startswith("  2-2-1          learned ") and "/3 seeds; median " in out[1]
    assert " sweeps (range " in out[1] and out[1].endswith(")")


# 7. a count of 1 is singular
def test_plural():
    assert plural(1, "epoch") == "1 epoch" and plural(0, "epoch") == "0 epochs" and plural(3, "epoch") == "3 epochs"
    assert plural(1, "pass", "passes") == "1 pass" and plural(2, "pass", "passes") == "2 passes"
    assert plural(1, "data set") == "1 data set"


@pytest.mark.parametrize("args, first_line", [
    (["mark1", "--epochs", "1"], "mark1: 300 centred shapes (noise 0.05), 1 epoch, converged False"),
    (["novikoff", "--datasets", "1"], "novikoff: 1 data set of 100 points in 2-D"),
    (["lecun1989", "--epochs", "1"], "lecun1989: 1 pass of per-pattern SGD (eta=0.03), init=paper, on "),
    (["novikoff", "--datasets", "2"], "novikoff: 2 data sets of 100 points in 2-D"),
])
def test_reports_say_one_in_the_singular(args, first_line):
    code, out, _ = run_cli("run", *args)
    assert code == 0 and out.splitlines()[0].startswith(first_line)


# 9. an explorable's bad mode names the function called
@pytest.mark.parametrize("module, name, args", [
    ("annhist.perceptron.explore", "perceptron_mistakes", ()), ("annhist.mlp.explore_xor", "xor_training", ()),
    ("annhist.mlp.explore", "encoder_training", ()), ("annhist.adaline.explore", "lms_bowl", ()),
    ("annhist.mcculloch_pitts.explore", "mp_neuron", ()), ("annhist.mcculloch_pitts.explore", "heat_cold", ()),
])
def test_explorable_mode_names_the_function(module, name, args):
    import importlib

    func = getattr(importlib.import_module(module), name)
    with pytest.raises(ValueError, match=f"The 'mode' parameter of {name} must be 'auto', 'static' or 'widgets'. "
                                         f"Got 'live' instead."):
        func("live", *args)


def test_digit_maps_mode_names_the_function():
    from annhist.cnn.explore import digit_maps

    with pytest.raises(ValueError, match="The 'mode' parameter of digit_maps"):
        digit_maps(None, None, None, mode="live")


# 10. an unknown experiment gets the close names
def test_unknown_experiment_suggests_close_names():
    code, out, err = run_cli("run", "novikof")
    assert code == 2 and out == ""
    assert "unknown experiment 'novikof'; did you mean 'novikoff'? valid: all, " in err
    code, _, err = run_cli("run", "rhw-xr")
    assert "did you mean 'rhw-xor'" in err
    code, _, err = run_cli("run", "zzzzzz")
    assert code == 2 and "did you mean" not in err and "unknown experiment 'zzzzzz'; valid: all, " in err


# Unknown arguments of a subcommand were reported by the top-level parser: "annhist: unrecognized arguments:
# --bogus (see 'annhist --help')"; each subcommand now names itself and its own help.
@pytest.mark.parametrize("args, prog", [(("xor", "--bogus"), "annhist xor"), (("data", "--json"), "annhist data"),
                                        (("data", "info", "--json"), "annhist data info"),
                                        (("book", "--bogus"), "annhist book"), (("list", "--x"), "annhist list"),
                                        (("run", "mark1", "--bogus"), "annhist run mark1"), (("--bogus",), "annhist")])
def test_unknown_arguments_name_the_subcommand_they_were_given_to(args, prog):
    code, out, err = run_cli(*args)
    assert code == 2 and out == ""
    assert f"{prog}: unrecognized arguments: {args[-1]} (see '{prog} --help')" in err
