"""Option caps of the 1943-1969 experiments (perceptron, adaline, xor, mcculloch_pitts): every count has a
maximum that allows the default, a larger value is refused naming the option before any long work, and options
whose product makes memory or time explode are refused together (10**12 was a MemoryError or a hang)."""

from __future__ import annotations

import pytest
from conftest import within

from annhist import experiments
from annhist.adaline import experiments as adaline_experiments
from annhist.cli import main
from annhist.experiments import xor as xor_experiments
from annhist.perceptron import experiments as perceptron_experiments

MODULES = ("perceptron", "adaline", "mcculloch_pitts", "xor")   # xor: its options are in annhist/experiments/xor.py
CAPPED = [(e.name, o) for e in experiments.all_experiments() if e.module in MODULES
          for o in e.options if o.type in (int, float)]


def test_every_experiment_of_these_modules_is_seen():
    names = {e.name for e in experiments.all_experiments() if e.module in (*MODULES, "xor")}
    assert {"perceptron-iris", "novikoff", "mark1", "cover-capacity", "adaline-letters", "lms-stability",
            "madaline-xor", "heat-cold", "mp-compile", "xor"} <= names
    assert {name for name, _ in CAPPED} >= {"perceptron-iris", "novikoff", "mark1", "cover-capacity",
                                            "adaline-letters", "lms-stability", "madaline-xor"}


@pytest.mark.parametrize("name, opt", CAPPED, ids=[f"{n}-{o.name}" for n, o in CAPPED])
def test_every_count_has_a_maximum_that_allows_the_default(name, opt):
    assert opt.max_value is not None, f"{name} --{opt.name} has no max_value"
    assert opt.min_value is not None and opt.min_value <= opt.default <= opt.max_value


@pytest.mark.parametrize("name, opt", CAPPED, ids=[f"{n}-{o.name}" for n, o in CAPPED])
def test_one_more_than_the_maximum_is_refused_naming_the_option(name, opt):
    too_big = opt.type(opt.max_value + 1)
    with within(10), pytest.raises(ValueError, match=f"'{opt.name}'"):
        experiments.run(name, **{opt.name: too_big})
    with within(10), pytest.raises(ValueError, match=f"'{opt.name}'"):
        experiments.run(name, **{opt.name: opt.type(10**12)})


@pytest.mark.parametrize("func, option, value", [
    # called directly (as a chapter may), not through experiments.run
    (perceptron_experiments.perceptron_iris, "epochs", perceptron_experiments.MAX_EPOCHS + 1),
    (perceptron_experiments.novikoff_experiment, "samples", perceptron_experiments.MAX_SAMPLES + 1),
    (perceptron_experiments.novikoff_experiment, "features", 10**12),
    (perceptron_experiments.mark1_experiment, "train", 10**12),
    (perceptron_experiments.mark1_experiment, "noise", 0.6),
    (perceptron_experiments.mark1_experiment, "epochs", perceptron_experiments.MAX_EPOCHS + 1),
    (perceptron_experiments.cover_capacity, "dim", 10**12),
    (perceptron_experiments.cover_capacity, "trials", perceptron_experiments.MAX_TRIALS + 1),
    (perceptron_experiments.cover_capacity, "curve_trials", 10**12),
    (adaline_experiments.adaline_letters, "epochs", adaline_experiments.MAX_LMS_EPOCHS + 1),
    (adaline_experiments.adaline_letters, "eta", 1e12),
    (adaline_experiments.lms_stability, "epochs", 10**12),
    (adaline_experiments.stability_runs, "epochs", adaline_experiments.MAX_LMS_EPOCHS + 1),
])
def test_the_functions_check_their_caps_too(func, option, value):
    with within(10), pytest.raises(ValueError, match=f"'{option}'"):
        func(**{option: value})


@pytest.mark.parametrize("name, options, names", [
    # each option within its own range, the product not
    ("novikoff", {"samples": 100_000, "features": 11}, ("'samples'", "'features'")),
    ("novikoff", {"datasets": 100_000, "samples": 1001, "features": 1}, ("'datasets'", "'samples'", "'features'")),
    ("mark1", {"train": 10_000, "epochs": 201}, ("'train'", "'epochs'")),
    ("cover-capacity", {"dim": 50, "curve_trials": 1000}, ("'trials'", "'dim'", "'curve_trials'")),
    ("madaline-xor", {"n_seeds": 10_000, "n_adalines": 201, "epochs": 1}, ("'n_seeds'", "'n_adalines'")),
    ("madaline-xor", {"n_seeds": 10_000, "epochs": 101}, ("'n_seeds'", "'epochs'")),
    ("xor", {"seeds": 100_000, "max_sweeps": 201}, ("'seeds'", "'max_sweeps'")),
])
def test_a_product_too_large_is_refused_naming_both_options(name, options, names):
    with within(10), pytest.raises(ValueError) as info:
        experiments.run(name, **options)
    assert all(n in str(info.value) for n in names), str(info.value)


def test_the_products_allow_the_defaults_and_the_bounds_are_the_module_constants():
    p, a = perceptron_experiments, adaline_experiments
    assert 100 * 2 <= p.MAX_SAMPLE_VALUES and 60 * 100 * 2 <= p.MAX_NOVIKOFF_VALUES
    assert p.MAX_SAMPLES * 1 <= p.MAX_SAMPLE_VALUES and 300 * 50 <= p.MAX_PRESENTATIONS
    assert 300 + 2 * 5 * 30 <= p.MAX_LPS and p.MAX_TRIALS + 2 * 1 * 1 <= p.MAX_LPS
    assert 100 * 2 <= a.MAX_SEED_ADALINES and 100 * 100 <= a.MAX_SEED_EPOCHS
    assert 100 * 10_000 <= xor_experiments.MAX_RUN_SWEEPS
    opts = {(e.name, o.name): o.max_value for e in experiments.all_experiments() for o in e.options}
    assert opts["novikoff", "datasets"] == p.MAX_DATASETS and opts["cover-capacity", "dim"] == p.MAX_DIM
    assert opts["mark1", "train"] == p.MAX_TRAIN and opts["mark1", "noise"] == p.MAX_NOISE
    assert opts["lms-stability", "epochs"] == opts["adaline-letters", "epochs"] == a.MAX_LMS_EPOCHS


@pytest.mark.parametrize("option, value", [("seeds", xor_experiments.MAX_SEEDS + 1),
                                           ("max_sweeps", xor_experiments.MAX_SWEEPS + 1)])
def test_xor_refuses_more_than_its_constants(option, value):
    with within(10), pytest.raises(ValueError, match=f"'{option}'"):
        experiments.run("xor", **{option: value})


@pytest.mark.parametrize("name, flag", [("perceptron-iris", "--epochs"), ("novikoff", "--samples"),
                                        ("mark1", "--train"), ("cover-capacity", "--curve-trials"),
                                        ("lms-stability", "--epochs"), ("adaline-letters", "--eta")])
def test_the_cli_refuses_a_huge_value_with_exit_2_and_one_line(name, flag, capsys):
    with within(10):
        code = main(["run", name, flag, "1000000000000"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and flag in err, err


def test_good_options_still_run():
    res = experiments.run("novikoff", datasets=3, samples=20, features=3)
    assert res.results["n_datasets"] == 3 and res.results["all_within_bound"]
    res = experiments.run("cover-capacity", dim=2, trials=10, curve_trials=2)
    assert res.results["N"].tolist() == [2, 4, 6, 8]
    res = experiments.run("lms-stability", epochs=5)
    assert res.results["runs"]["0.5x"]["epochs_run"] == 5


# A string option given a value it does not know is refused as *that option of that experiment*, before any
# work; three used to fall through to a function inside and name its parameter instead ("The 'targets'
# parameter of train_reber", "'output' parameter of Madaline", "'construction' parameter of train_lstm_lag").
# mp-compile's --formula is free text: its parser names the formula and the place it is malformed.
WORDS = [(e, o) for e in experiments.all_experiments() for o in e.options
         if o.type is str and (e.name, o.name) != ("mp-compile", "formula")]


def test_the_string_options_are_all_seen():
    assert {(e.name, o.name) for e, o in WORDS} >= {("lstm-reber", "targets"), ("madaline-xor", "output"),
                                                    ("lstm-long-lag", "construction"), ("lenet5", "head")}


@pytest.mark.parametrize("exp, opt", WORDS, ids=[f"{e.name}-{o.name}" for e, o in WORDS])
def test_an_unknown_word_is_refused_naming_the_option(exp, opt):
    with within(5), pytest.raises(ValueError, match=f"The '{opt.name}' option of {exp.name} .*'no-such-value'"):
        exp(**{opt.name: "no-such-value"})


def test_the_command_line_names_the_option_and_the_choices(capsys):
    assert main(["run", "lstm-reber", "--targets", "foo"]) == 2
    err = capsys.readouterr().err
    assert "The 'targets' option of lstm-reber must be one of 'next', 'allowed'. Got 'foo' instead." in err
    assert "train_reber" not in err
