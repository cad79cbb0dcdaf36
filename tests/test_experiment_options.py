"""The experiments of annhist.hopfield, .recurrent, .mlp and .cnn cap their options (``Option.max_value``)
and refuse, before any work, a product of two options whose memory would explode.

Before the caps, ``annhist run rhw-xor --epochs 1000000000000`` and its neighbours were MemoryErrors
or runs that never ended; each refusal names the option(s).
"""

import numbers

import pytest
from conftest import run_main

from annhist import experiments
from annhist.hopfield.experiments import MAX_CHAINS, MAX_MACHINES
from annhist.mlp.rhw_options import MAX_EPOCHS, MAX_FAMILY_SEEDS, MAX_SEEDS
from annhist.recurrent.checks import MAX_CHUNK
from annhist.recurrent.experiments import MAX_SEQUENCES, MAX_TRIALS
from annhist.recurrent.tasks import MAX_LAG

MODULES = ("hopfield", "recurrent", "mlp", "cnn")
EXPERIMENTS = [e for e in experiments.all_experiments() if e.module in MODULES]
NUMBER_OPTIONS = [(e.name, o) for e in EXPERIMENTS for o in e.options if o.type in (int, float)]


def test_the_areas_experiments_are_all_here():
    assert {e.name for e in EXPERIMENTS} == {
        "hopfield-recall", "hopfield-capacity", "boltzmann-encoder", "elman-xor", "lstm-reber", "rnn-vanishing",
        "lstm-long-lag", "rhw-xor", "rhw-encoder", "rhw-symmetry", "rhw-parity", "rhw-family-trees", "lecun1989",
        "lenet5"}


@pytest.mark.parametrize("name, opt", NUMBER_OPTIONS, ids=[f"{n}-{o.name}" for n, o in NUMBER_OPTIONS])
def test_every_number_option_has_a_max_value_that_allows_its_default(name, opt):
    assert opt.max_value is not None, f"{name} --{opt.name} has no max_value"
    assert opt.max_value >= opt.default
    assert opt.min_value is None or opt.min_value <= opt.max_value
    if opt.type is int:
        assert isinstance(opt.max_value, numbers.Integral)


@pytest.mark.parametrize("name, opt", NUMBER_OPTIONS, ids=[f"{n}-{o.name}" for n, o in NUMBER_OPTIONS])
def test_one_past_max_value_is_refused_naming_the_option(name, opt):
    assert opt.max_value is not None                  # (without one, the call below would start a run)
    with pytest.raises(ValueError, match=f"'{opt.name}'"):
        experiments.run(name, **{opt.name: opt.max_value + 1})


@pytest.mark.parametrize("name, opt", NUMBER_OPTIONS, ids=[f"{n}-{o.name}" for n, o in NUMBER_OPTIONS])
def test_cli_refuses_10_to_the_12_with_exit_2_and_one_line(name, opt):
    assert opt.max_value is not None and opt.max_value < 10**12
    flag = "--" + opt.name.replace("_", "-")
    code, out, err = run_main(["run", name, flag, "1000000000000"])
    assert code == 2 and out == "" and flag in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_cli_help_shows_the_range(capsys):
    code, out, _ = run_main(["run", "rhw-xor", "--help"])
    assert code == 0 and "1 to 100000" in " ".join(out.split())


@pytest.mark.parametrize("name, options, names", [
    ("boltzmann-encoder", dict(machines=MAX_MACHINES, chains=MAX_CHAINS), ("machines", "chains")),
    ("lstm-reber", dict(trials=MAX_TRIALS, eval_every=MAX_CHUNK // MAX_TRIALS + 1), ("trials", "eval_every")),
    ("lstm-reber", dict(max_sequences=MAX_SEQUENCES, eval_every=1), ("max_sequences", "eval_every")),
    ("rnn-vanishing", dict(trials=MAX_TRIALS, delays=f"4,{MAX_LAG}"), ("trials", "delays")),
    ("lstm-long-lag", dict(trials=MAX_TRIALS, delay=MAX_LAG), ("trials", "delay")),
    ("rhw-xor", dict(seeds=MAX_SEEDS, epochs=1000), ("seeds", "epochs")),
    ("rhw-encoder", dict(seeds=1000, epochs=MAX_EPOCHS), ("seeds", "epochs")),
    ("rhw-symmetry", dict(seeds=200, epochs=100_001), ("seeds", "epochs")),
    ("rhw-parity", dict(seeds=MAX_SEEDS, epochs=MAX_EPOCHS), ("seeds", "epochs")),
    ("rhw-family-trees", dict(seeds=MAX_FAMILY_SEEDS, sweeps=MAX_EPOCHS), ("seeds", "sweeps")),
])
def test_a_product_too_large_is_refused_before_any_work(name, options, names):
    # each option alone is within its max_value: the product is what the experiment refuses
    exp = experiments.get(name)
    for opt in exp.options:
        if opt.name in options and opt.type is int:
            assert options[opt.name] <= opt.max_value
    with pytest.raises(ValueError, match=f"'{names[0]}' and '{names[1]}'"):
        experiments.run(name, **options)


def test_a_product_too_large_is_refused_by_the_function_too():
    from annhist.mlp.rhw import rhw_xor
    from annhist.recurrent.experiments import lstm_long_lag

    with pytest.raises(ValueError, match="'seeds' and 'epochs'"):
        rhw_xor(seeds=MAX_SEEDS, epochs=MAX_EPOCHS)
    with pytest.raises(ValueError, match="'epochs' parameter"):
        rhw_xor(seeds=1, epochs=MAX_EPOCHS + 1)
    with pytest.raises(ValueError, match="'trials' and 'delay'"):
        lstm_long_lag(trials=MAX_TRIALS, delay=MAX_LAG)
