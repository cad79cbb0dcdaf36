"""The XOR experiment: every result key checked against its own computation, the CLI, determinism."""

import json
import warnings

import numpy as np
import pytest
from conftest import run_main

from annhist import experiments
from annhist.adaline.lms import least_squares
from annhist.cli import main
from annhist.datasets.classic import xor
from annhist.experiments.xor import xor_experiment
from annhist.mcculloch_pitts import xor_net
from annhist.mlp import MLP
from annhist.optimizers import Momentum
from annhist.perceptron import Perceptron, Pocket
from annhist.perceptron.cycling import perceptron_cycle
from annhist.xor.separability import separate, verify_certificate

X, Y = xor()


@pytest.fixture(scope="module")
def report():
    return xor_experiment(seed=0, seeds=12)


@pytest.fixture(scope="module")
def res(report):
    return report.to_dict()["results"]


def test_the_dictionary_has_the_promised_shape(report):
    d = report.to_dict()
    assert list(d) == ["experiment", "settings", "results", "paper"] and d["experiment"] == "xor"
    for key in ("lp_feasible", "separable_functions", "perceptron_converged", "perceptron_cycle_period",
                "perceptron_max_weight_norm", "best_linear_accuracy", "adaline_accuracy", "parity_order",
                "mp_two_layer", "mlp"):
        assert key in d["results"], key
    assert d["paper"]["2-1-1+skip_sweeps"] == 558 and d["paper"]["2-1-1+skip_eta"] == 0.5
    json.dumps(d, allow_nan=False)                     # plain JSON


def test_lp_is_infeasible_and_the_certificate_checks_out(res):
    sep = separate(X, Y)
    assert res["lp_feasible"] is False and res["lp_feasible"] == sep.feasible
    assert res["lp_certificate"] == [1, 1, 1, 1]
    assert verify_certificate(sep.A, res["lp_certificate"])
    assert "0 >= 4" in res["lp_certificate_words"]


def test_separable_functions(res):
    f = res["separable_functions"]
    assert (f["count"], f["total"], f["not_separable"]) == (14, 16, ["XOR", "XNOR"])
    for row in f["functions"]:                          # each answer is the LP's
        assert row["separable"] == separate(X, row["outputs"]).feasible


def test_perceptron_never_converges_and_cycles_with_bounded_weights(res):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf = Perceptron(epochs=100).fit(X, Y)
    assert res["perceptron_converged"] is False and clf.converged_ is False
    assert res["perceptron_epochs"] == 100 and res["perceptron_mistakes_per_epoch"] == [4]
    cyc = perceptron_cycle(X, Y)
    assert res["perceptron_cycle_period"] == {"updates": cyc.period_updates, "epochs": cyc.period_epochs}
    assert res["perceptron_cycle_period"] == {"updates": 4, "epochs": 1}
    assert res["perceptron_cycle_states"] == cyc.cycle_states.tolist()
    assert res["perceptron_max_weight_norm"] == pytest.approx(3 ** 0.5)     # the state (1, 1, 1)


def test_best_linear_accuracy_and_the_pocket(res):
    assert res["best_linear_accuracy"] == 0.75
    assert len(res["best_linear_labelings"]) == 4
    pocket = Pocket(epochs=1000, random_state=0).fit(X, Y)
    assert res["pocket_accuracy"] == pocket.score(X, Y) == 0.75
    w, b = np.array(res["pocket_weights"]), res["pocket_bias"]
    assert np.mean((X @ w + b > 0) == Y) == 0.75        # the reported weights really get 3 of 4
    assert 1 <= res["pocket_epoch_reached"] <= res["pocket_epochs"]


def test_adaline_least_squares_is_zero_and_gets_half(res):
    w, b = least_squares(X, np.where(Y > 0, 1.0, -1.0))
    assert np.allclose(w, 0) and b == pytest.approx(0)
    assert res["adaline_weights"] == [0.0, 0.0] and res["adaline_bias"] == 0.0
    assert res["adaline_outputs"] == [0.0] * 4
    assert res["adaline_normal_equations_rhs"] == [0, 0, 0] and res["adaline_full_rank"]
    # sign(0) = +1 on every point: right on (0,1) and (1,0) only -> 2 of 4.
    assert res["adaline_predictions"] == [1, 1, 1, 1] and res["adaline_accuracy"] == 0.5


def test_parity_order_is_n(res):
    assert [(row["n"], row["order"]) for row in res["parity_order"]] == [(n, n) for n in range(2, 7)]
    assert all(row["certificate_uniform"] for row in res["parity_order"])


def test_mp_two_layer_net_computes_xor_two_steps_late(res):
    mp = res["mp_two_layer"]
    assert mp["correct"] and mp["stream_correct"] and mp["outputs"] == [0, 1, 1, 0]
    assert mp["delay_steps"] == 2 and not mp["correct_one_step_early"]
    assert mp["outputs"] == xor_net().truth_table().Y[:, 0].tolist()     # the module's own XOR net agrees


def test_mlp_statistics_add_up(report, res):
    for name, m in res["mlp"].items():
        assert m["runs"] == 12 and m["solved"] + m["stuck"] + m["diverged"] == 12, name
        assert m["success_rate"] == m["solved"] / 12
        if m["solved"]:
            assert m["sweeps_min"] <= m["sweeps_q1"] <= m["sweeps_median"] <= m["sweeps_q3"] <= m["sweeps_max"]
        assert len(m["stuck_E"]) == m["stuck"]
    assert report.settings["mlp"]["eta"] == 0.5 and report.settings["mlp"]["alpha"] == 0.9


@pytest.mark.parametrize("sizes, skip, key", [([2, 2, 1], False, "2-2-1"), ([2, 1, 1], True, "2-1-1+skip")])
def test_mlp_sweeps_match_a_single_mlp_run(sizes, skip, key):
    """The batched runs are MLP.fit's: same seed, same sweeps to solve."""
    rep = xor_experiment(seed=5, seeds=3, max_sweeps=3000).to_dict()["results"]["mlp"][key]
    sweeps, solved = [], 0
    for s in (5, 6, 7):
        net = MLP(sizes, skip=skip, random_state=s).fit(X, Y[:, None], optimizer=Momentum(eta=0.5, alpha=0.9),
                                                       epochs=3000, stop_within=0.1, verbose=False)
        if net.converged_:
            sweeps.append(net.n_epochs_)
            solved += 1
    assert rep["solved"] == solved
    if solved:
        assert rep["sweeps_median"] == float(np.median(sweeps))
        assert (rep["sweeps_min"], rep["sweeps_max"]) == (min(sweeps), max(sweeps))


def test_stuck_runs_are_local_minima_with_two_outputs_at_half(res):
    # Seed 11 of the 2-2-1 net sticks (seeds 0-11 are in the fixture): two patterns share a
    # hidden code, both outputs sit at 0.5 and E = 1/2 (0.5^2 + 0.5^2) = 0.25.
    rep = res["mlp"]["2-2-1"]
    assert 11 in rep["stuck_seeds"]
    assert all(e == pytest.approx(0.25, abs=1e-3) for e in rep["stuck_E"])
    assert rep["stuck_two_outputs_at_half"] == rep["stuck"]
    net = MLP([2, 2, 1], random_state=11).fit(X, Y[:, None], optimizer=Momentum(eta=0.5, alpha=0.9), epochs=10_000,
                                             stop_within=0.1, verbose=False)
    assert not net.converged_ and np.sum(np.abs(net.predict(X)[:, 0] - 0.5) < 0.05) == 2


def test_hidden_functions_are_separable_and_count_the_solved_runs(res):
    from annhist.xor import BOOLEAN_FUNCTIONS

    for name, m in res["mlp"].items():
        assert sum(m["hidden_functions"].values()) == m["solved"], name
        for key in m["hidden_functions"]:
            units = key.split(" + ")
            assert len(units) == (2 if name == "2-2-1" else 1)
            assert not {"XOR", "XNOR"} & set(units)          # each hidden unit is one threshold unit
            assert set(units) <= set(BOOLEAN_FUNCTIONS.values())


def test_same_seed_same_json_and_different_seed_different_runs():
    a = xor_experiment(seed=1, seeds=4).to_json()
    assert a == xor_experiment(seed=1, seeds=4).to_json()
    assert json.loads(a)["results"]["mlp"] != json.loads(xor_experiment(seed=2, seeds=4).to_json())["results"]["mlp"]


def test_registered_and_run_by_name(capsys):
    assert "xor" in experiments.names()
    assert main(["run", "xor", "--seeds", "3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == xor_experiment(seed=0, seeds=3).to_dict()


def test_cli_json_equals_to_dict(capsys):
    assert main(["xor", "--seed", "3", "--seeds", "4", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == xor_experiment(seed=3, seeds=4).to_dict()


def test_cli_text_report(capsys):
    assert main(["xor", "--seeds", "3"]) == 0
    captured = capsys.readouterr()
    assert "0 >= 4" in captured.out and "14 of the 16" in captured.out and "2-1-1+skip" in captured.out
    assert "computed in" in captured.err                 # the time goes to stderr, never into the JSON


def test_cli_out_writes_json_and_figures(tmp_path, capsys):
    out = tmp_path / "results"
    assert main(["xor", "--seeds", "4", "--out", str(out), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert json.loads((out / "xor.json").read_text()) == printed
    pngs = sorted(p.name for p in out.glob("*.png"))
    assert pngs == ["xor-best-lines.png", "xor-learning-curves.png", "xor-mlp-hidden-space.png",
                    "xor-perceptron-cycle.png"]
    assert all((out / p).read_bytes()[:4] == b"\x89PNG" for p in pngs)
    assert main(["xor", "--seeds", "4", "--out", str(out)]) == 2       # not empty, no --force


def test_figures_method_writes_pngs(tmp_path):
    rep = xor_experiment(seed=11, seeds=1)            # the only 2-2-1 run is stuck: no hidden space to draw
    paths = rep.figures(tmp_path)
    assert sorted(p.name for p in paths) == ["xor-best-lines.png", "xor-learning-curves.png",
                                             "xor-perceptron-cycle.png"]
    assert all(p.stat().st_size > 1000 for p in paths)


def _run(*args):
    return run_main(list(args))


@pytest.mark.parametrize("args, needle", [
    (["--seeds", "0"], "--seeds must be an integer from 1 to 100000, got '0'"),
    (["--seeds", "-5"], "--seeds must be an integer from 1 to 100000, got '-5'"),
    (["--seeds", "2.5"], "--seeds must be an integer from 1 to 100000, got '2.5'"),
    (["--seed", "-1"], "--seed must be an integer >= 0"),
    (["--seed", "x"], "--seed must be an integer >= 0"),
    (["--max-sweeps", "0"], "--max-sweeps must be an integer from 1 to 1000000"),
])
def test_bad_values_exit_2_with_one_line(args, needle):
    code, out, err = _run("xor", *args)
    assert code == 2 and needle in err
    assert err.count("\n") == 1 and "Traceback" not in err and out == ""


def test_unwritable_out_exits_2(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code, out, err = _run("xor", "--seeds", "1", "--out", str(blocker / "sub"))
    assert code == 2 and "--out" in err and "not writable" in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_python_api_refuses_bad_arguments():
    with pytest.raises(ValueError, match="'seeds' parameter of xor_experiment must be >= 1. Got 0"):
        xor_experiment(seeds=0)
    with pytest.raises(TypeError, match="'seeds' parameter of xor_experiment must be an int"):
        xor_experiment(seeds=2.5)
    with pytest.raises(ValueError, match="'seed' parameter of xor_experiment must be >= 0"):
        xor_experiment(seed=-1)


@pytest.mark.parametrize("max_sweeps", [1, 5])
def test_learning_curves_figure_for_very_few_sweeps_draws_without_warnings(max_sweeps):
    # max_sweeps=1 once set a log axis from 1 to 1 (a matplotlib warning) and 5 the right panel from 10 to 5
    import matplotlib.pyplot as plt

    res = xor_experiment(seed=0, seeds=2, max_sweeps=max_sweeps)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = res.figures["xor-learning-curves"]()
    try:
        for ax in fig.axes:
            left, right = ax.get_xlim()
            assert 0 < left < right and right >= max_sweeps
    finally:
        plt.close(fig)
