"""The command line: list, run, exit statuses, one-line errors, no tracebacks."""

import json
import os
import subprocess
import sys

import pytest
from conftest import run_main

from annhist import experiments
from annhist.cli import main


def run_process(*args, cwd=None):
    """``python -m annhist ARGS`` in a new process: (exit status, stdout, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "annhist", *args], capture_output=True, text=True, cwd=cwd,
                          env=dict(os.environ, MPLBACKEND="Agg"))
    return proc.returncode, proc.stdout, proc.stderr


def run_cli(*args):
    return run_main(list(args))


def test_list_prints_every_milestone(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for year in ("1943", "1958", "1960", "1969", "1986", "1989", "1990", "1997", "1998"):
        assert year in out
    assert "annhist.mcculloch_pitts" in out and "chapters/03-threshold-logic.md" in out


def test_list_json_names_modules_chapters_and_experiments(capsys):
    assert main(["list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["milestones"]) == 10         # 1943, 1958, 1960, 1969, 1982, 1986, 1989, 1990, 1997, 1998
    assert {"year", "authors", "title", "module", "chapter", "experiments"} <= set(data["milestones"][0])
    assert "timeline" in data["other_experiments"]


def test_run_json_equals_to_dict(capsys):
    assert main(["run", "timeline", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == experiments.run("timeline").to_dict()
    assert set(printed) >= {"experiment", "settings", "results", "paper"}


def test_python_dash_m_is_the_same_program():
    code, out, err = run_process("run", "timeline", "--json")
    assert code == 0, err
    assert json.loads(out) == experiments.run("timeline").to_dict()
    code, out, err = run_process("run", "timeline", "--seed", "-1")       # a usage error: exit 2, one line
    assert (code, out) == (2, "") and err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err


@pytest.mark.parametrize("args, needle", [
    (["run", "no-such-experiment"], "unknown experiment 'no-such-experiment'; valid: all, "),
    (["run", "timeline", "--seed", "-1"], "--seed must be an integer >= 0"),
    (["run", "timeline", "--seed", "1.5"], "--seed must be an integer >= 0"),
    (["run", "timeline", "--seed", "abc"], "--seed must be an integer >= 0"),
    (["run", "timeline", "--bogus"], "unrecognized arguments: --bogus"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
])
def test_usage_errors_exit_2_with_one_line_and_no_traceback(args, needle):
    code, out, err = run_cli(*args)
    assert code == 2
    assert needle in err
    assert "Traceback" not in err and "Traceback" not in out
    assert len(err.strip().splitlines()) == 1


def test_unwritable_out_dir_exits_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run_cli("run", "timeline", "--out", str(blocker / "sub"))
    assert code == 2 and "--out" in err and "Traceback" not in err
    code, _, err = run_cli("run", "timeline", "--out", str(blocker))
    assert code == 2 and "not a directory" in err


def test_out_writes_json_and_figures_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "res"
    code, _, err = run_cli("run", "timeline", "--out", str(out))
    assert code == 0, err
    assert (out / "timeline.json").is_file() and (out / "timeline.png").stat().st_size > 1000
    saved = json.loads((out / "timeline.json").read_text())
    assert saved == experiments.run("timeline").to_dict()
    code, _, err = run_cli("run", "timeline", "--out", str(out))
    assert code == 2 and "--force" in err
    code, _, err = run_cli("run", "timeline", "--out", str(out), "--force")
    assert code == 0, err


@pytest.mark.parametrize("args", [["--help"], ["list", "--help"], ["run", "--help"], ["run", "timeline", "--help"],
                                  ["book", "--help"]])
def test_every_subcommand_has_help(args):
    code, out, err = run_cli(*args)
    assert code == 0, err
    assert "usage:" in out.lower()


def test_no_command_prints_help_and_exits_2():
    code, out, _ = run_cli()
    assert code == 2 and "usage:" in out.lower()


def test_experiment_api_validates_seed_and_options():
    exp = experiments.get("timeline")
    with pytest.raises(ValueError, match="'seed'.*>= 0. Got -3"):
        exp(seed=-3)
    with pytest.raises(TypeError, match="'seed'.*Got 1.5"):
        exp(seed=1.5)
    with pytest.raises(TypeError, match="takes no option"):
        exp(seed=0, epochs=3)
    with pytest.raises(ValueError, match="Unknown experiment 'nope'. Valid experiments: .*timeline"):
        experiments.get("nope")


def test_to_jsonable_converts_numpy_and_non_finite():
    import numpy as np
    out = experiments.to_jsonable({"a": np.float64(1.5), "b": np.arange(3), "c": float("nan"), "d": (np.int32(2),)})
    assert out == {"a": 1.5, "b": [0, 1, 2], "c": None, "d": [2]}
    json.dumps(out, allow_nan=False)


def test_book_root_that_holds_no_book_is_a_usage_error(tmp_path):
    # It used to fall back to annhist's own checkout and build that book instead.
    code, out, err = run_cli("book", "--root", str(tmp_path / "typo"))
    assert code == 2 and out == "" and "--root" in err and "typo" in err and err.count("\n") == 1


def test_a_warning_during_a_run_is_one_line_on_stderr(monkeypatch):
    # A DataFallbackWarning was Python's two lines: a machine path, a line number and a line of annhist's source.
    import warnings

    from annhist.results import Experiment, ExperimentResult

    def func(seed=0):
        warnings.warn("the data were not found (test_cli); a stand-in is used", UserWarning)
        return ExperimentResult("w", {"seed": seed}, {"ok": True})

    monkeypatch.setattr(experiments, "get", lambda name: Experiment("w", "history", "warns", func))
    code, _, err = run_cli("run", "w")
    assert code == 0 and err == "warning: the data were not found (test_cli); a stand-in is used\n"


def test_an_option_above_its_bound_is_refused_by_the_cli_and_the_api(monkeypatch):
    from annhist.results import Experiment, ExperimentResult, Option

    exp = Experiment("b", "history", "bounded", lambda seed=0, n=3: ExperimentResult("b", {"n": n}, {}),
                     options=(Option("n", int, 3, "a count", min_value=1, max_value=10),))
    monkeypatch.setattr(experiments, "get", lambda name: exp)
    code, out, err = run_cli("run", "b", "--n", "1000000000000")
    assert code == 2 and "--n must be an integer from 1 to 10" in err
    code, out, _ = run_cli("run", "b", "--help")
    assert code == 0 and "1 to 10" in out
    with pytest.raises(ValueError, match="'n' option of b must be <= 10"):
        exp(n=11)
    assert exp(n=10).settings == {"n": 10}


@pytest.mark.parametrize(("args", "needle"), [
    (["--seeds", "1000000000000"], "--seeds must be an integer from 1 to 100000"),
    (["--max-sweeps", "1000000000000"], "--max-sweeps must be an integer from 1 to 1000000"),
    (["--seeds", "100000", "--max-sweeps", "10000"], "--seeds x --max-sweeps must be <= 20,000,000"),
])
def test_xor_counts_that_would_not_fit_in_memory_are_usage_errors(args, needle):
    # They were a MemoryError (exit 1) after the LP, the perceptron and the pocket had run.
    from annhist.experiments import xor as xor_exp

    code, out, err = run_cli("xor", *args)
    assert code == 2 and out == "" and needle in err
    assert (xor_exp.MAX_SEEDS, xor_exp.MAX_SWEEPS, xor_exp.MAX_RUN_SWEEPS) == (100_000, 1_000_000, 20_000_000)


def test_data_commands_refuse_a_data_folder_that_is_a_file(tmp_path):
    # 'data info' said "usps: not found" and exited 0; fetch and import failed later, on writing.
    afile = tmp_path / "afile"
    afile.write_text("")
    for args in (["info"], ["fetch", "usps"], ["import", "usps", str(afile)]):
        code, out, err = run_cli("data", *args, "--data-dir", str(afile))
        assert code == 2 and out == "" and "is a file, not a folder" in err and err.count("\n") == 1, args


def test_data_import_names_the_file_that_is_missing(tmp_path):
    # It said "Cannot tell the training file from the test file", about a file that did not exist.
    fake = tmp_path / "fake.npz"
    fake.write_text("x")
    code, _, err = run_cli("data", "import", "usps", str(fake), str(tmp_path / "missing.gz"),
                           "--data-dir", str(tmp_path / "data"))
    assert code == 2 and "No such file: '" + str(tmp_path / "missing.gz") + "'" in err
    code, _, err = run_cli("data", "import", "usps", str(tmp_path), "--data-dir", str(tmp_path / "data"))
    assert code == 2 and "is a folder, not a file" in err
    assert not (tmp_path / "data").exists()


def test_a_run_out_of_memory_is_one_line_and_exit_1(monkeypatch):
    # It was "error: MemoryError:  (set ANNHIST_DEBUG=1 for a traceback)", an empty message, for --seeds 1e12.
    from annhist.results import Experiment

    def func(seed=0):
        raise MemoryError()

    monkeypatch.setattr(experiments, "get", lambda name: Experiment("m", "history", "too big", func))
    code, out, err = run_cli("run", "m")
    assert code == 1 and out == "" and err.startswith("error: the run needs more memory than this machine has: ")
    assert err.count("\n") == 1


def test_option_ranges_in_help_print_whole_numbers_in_full():
    from annhist.cli.common import bounds_text

    assert bounds_text(1, 5_000_000) == "; 1 to 5000000"                 # was "1 to 5e+06"
    assert bounds_text(1e-12, 1.0) == "; 1e-12 to 1"
    assert bounds_text(0, None) == "; >= 0" and bounds_text(None, 2.5) == "; <= 2.5" and bounds_text(None, None) == ""
