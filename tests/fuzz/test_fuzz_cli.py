"""Fuzz the command line in-process (``annhist.cli.main``): exit statuses 0/1/2, never a traceback.

Usage errors (an unknown flag, a bad value, a missing argument, an unknown command or experiment)
exit 2 with an ``error:`` line on stderr and run nothing; a failed run (a diverging fit) exits 1;
a good run exits 0 and prints what ``ExperimentResult.to_dict`` holds.
"""

from __future__ import annotations

import importlib
import json
import math

import pytest
from conftest import run_main
from hypothesis import given, settings
from hypothesis import strategies as st

from annhist import experiments

from .conftest import CASES, OUTCOMES
from .strategies import FUZZ

pytestmark = pytest.mark.fuzz


COMMANDS = ("list", "run", "book", "xor", "data")


def check_cli(argv: list[str], *, expect: tuple[int, ...]) -> tuple[int, str, str]:
    CASES["cli." + (argv[0] if argv and argv[0] in COMMANDS else "<other>")] += 1
    code, out, err = run_main(argv)
    OUTCOMES[f"exit {code}"] += 1
    assert "Traceback" not in out and "Traceback" not in err, f"annhist {argv}: printed a traceback:\n{err}"
    assert code in expect, f"annhist {argv}: exit {code}, expected {expect}\nstdout: {out[-500:]}\nstderr: {err}"
    if code == 2 and err:
        assert err.startswith("error: "), f"annhist {argv}: usage error without an 'error:' line: {err!r}"
    if code == 1:
        assert err.startswith("error: ") and len(err.strip().splitlines()) == 1, f"annhist {argv}: {err!r}"
    return code, out, err


# ----------------------------------------------------------------------------- usage errors
NAMES = experiments.names()
JUNK = st.sampled_from(["--bogus", "-x", "stray", "--seed=-1", "--seed=abc", "--seed=1.5", "--seed=", "--json=yes",
                        "--force=1", "--out", "--seed", "-", "--SEED=1", "\x00", "ü", "--se=-3"])


def _bad_value(opt: experiments.Option) -> st.SearchStrategy:
    flag = "--" + opt.name.replace("_", "-")
    if opt.type is str:
        return st.text(alphabet="abc(!) ", min_size=1, max_size=6).map(lambda s: [flag, s + "!"])
    values = ["x", "", "1e", "--", "nan" if opt.type is int else "1j"]
    if opt.type is int:
        values += ["1.5", "2e3"]
    if opt.min_value is not None:
        values.append(str(int(math.floor(opt.min_value)) - 1))
    return st.sampled_from(values).map(lambda v: [f"{flag}={v}"])


@st.composite
def usage_errors(draw) -> list[str]:
    """An argv with exactly one mistake somewhere among valid flags."""
    cmd = draw(st.sampled_from(["list", "run", "run-all", "book", "xor", "data-import", "data-info", "data",
                                "unknown", "unknown-experiment"]))
    if cmd == "unknown":
        return [draw(st.sampled_from(["frobnicate", "runn", "LIST", "", "-v", "--verbose"]))]
    if cmd == "unknown-experiment":
        return ["run", draw(st.text(max_size=8).filter(lambda s: s not in NAMES and s != "all"
                                                        and not s.startswith("-")))]
    if cmd == "data":
        return ["data", draw(st.sampled_from(["imp", "export", "--bogus"]))]
    if cmd == "data-import":
        return ["data", "import", *draw(st.sampled_from([["usps"], ["mnist", "f.gz"], ["usps", "/no/such/file.gz"],
                                                         ["usps", "--data-dir"]]))]
    head = {"list": ["list"], "run-all": ["run", "all"], "book": ["book"], "xor": ["xor"],
            "data-info": ["data", "info"]}.get(cmd)
    valid: list[list[str]] = [["--json"]] if cmd in ("list", "run", "run-all", "xor") else []
    if cmd in ("run", "run-all", "xor"):
        valid += [["--seed", str(draw(st.integers(0, 10**6)))], ["--force"]]
    mistake = [draw(JUNK)]
    if cmd == "run":
        exp = experiments.get(draw(st.sampled_from(NAMES)))
        head = ["run", exp.name]
        if exp.options and draw(st.booleans()):
            mistake = draw(_bad_value(draw(st.sampled_from(exp.options))))
    if cmd == "xor":
        mistake = draw(st.one_of(st.just(mistake), st.sampled_from([["--seeds", "0"], ["--seeds", "x"],
                                                                    ["--max-sweeps", "-3"], ["--seeds"]])))
    flags = draw(st.permutations(valid))[:draw(st.integers(0, len(valid)))]
    at = draw(st.integers(0, len(flags)))
    argv = head + [a for f in flags[:at] for a in f] + mistake + [a for f in flags[at:] for a in f]
    return argv


@FUZZ
@given(argv=usage_errors())
def test_usage_errors_exit_2_without_a_traceback(argv, tmp_path_factory):
    if argv[:2] == ["data", "info"] or argv[:2] == ["data", "import"]:
        argv = argv + ["--data-dir", str(tmp_path_factory.mktemp("data"))] if "--data-dir" not in argv else argv
    code, out, err = check_cli(argv, expect=(2,))
    if err:
        first = err.splitlines()[0]
        assert "(see '" in first or "annhist" in first or "--out" in first, f"annhist {argv}: {first!r}"
    else:                                            # 'annhist' or 'annhist run' alone: the help, exit 2
        assert "usage:" in out.lower()


# ----------------------------------------------------------------------------- good (and failing) runs
CHEAP = {
    "timeline": {},
    "heat-cold": {},
    "lms-stability": {"epochs": st.integers(1, 20)},
    "perceptron-iris": {"epochs": st.integers(1, 30)},
    "novikoff": {"datasets": st.integers(1, 3), "samples": st.integers(2, 30), "features": st.integers(1, 4)},
    "adaline-letters": {"epochs": st.integers(1, 4), "eta": st.sampled_from(["0.01", "0.05", "0.3", "1.5", "2"])},   # > 2/17 diverges: exit 1
    "madaline-xor": {"n_seeds": st.integers(1, 3), "n_adalines": st.integers(1, 3), "epochs": st.integers(1, 5),
                     "output": st.sampled_from(["and", "or", "majority"])},
    "mp-compile": {"formula": st.sampled_from(["a and not b", "x[t-1] or (y[t-3] and not y[t-2])", "a or b or c",
                                               "(a and b) or (c and not d)", "p[t-2]"])},
}


@st.composite
def good_runs(draw) -> tuple[str, dict, list[str]]:
    name = draw(st.sampled_from(sorted(CHEAP) + ["xor"]))
    seed = draw(st.one_of(st.integers(0, 100), st.integers(0, 2**64)))
    if name == "xor":                            # 'annhist xor', its own subcommand
        seeds, sweeps = draw(st.integers(1, 2)), draw(st.integers(1, 150))
        argv = ["xor", "--seed", str(seed), "--seeds", str(seeds), "--max-sweeps", str(sweeps)]
        if draw(st.booleans()):
            argv.append("--json")
        return name, {"seed": seed, "seeds": seeds, "max_sweeps": sweeps}, argv
    opts = {k: draw(v) for k, v in CHEAP[name].items() if draw(st.booleans())}
    argv = ["run", name, "--seed", str(seed)]
    for k, v in opts.items():
        argv += ["--" + k.replace("_", "-"), str(v)]
    if draw(st.booleans()):
        argv.append("--json")
    typed = {k: (float(v) if isinstance(v, str) and k == "eta" else v) for k, v in opts.items()}
    return name, {"seed": seed, **typed}, argv


@pytest.mark.filterwarnings("ignore::annhist.ConvergenceWarning")      # e.g. perceptron-iris --epochs 1
@settings(FUZZ, max_examples=max(FUZZ.max_examples // 10, 10))
@given(run=good_runs(), out=st.sampled_from([None, "fresh", "nonempty", "nonempty-force", "file"]))
def test_good_runs_exit_0_and_print_the_result(run, out, tmp_path_factory):
    name, kwargs, argv = run
    folder = tmp_path_factory.mktemp("out") / "res"
    if out is not None:
        if out.startswith("nonempty"):
            folder.mkdir()
            (folder / "keep.txt").write_text("mine")
        if out == "file":
            folder.write_text("a file")
        argv = argv + ["--out", str(folder)] + (["--force"] if out == "nonempty-force" else [])
    refused = out in ("nonempty", "file")
    code, stdout, err = check_cli(argv, expect=(2,) if refused else (0, 1))
    if out == "nonempty":
        assert (folder / "keep.txt").read_text() == "mine" and len(list(folder.iterdir())) == 1
    if code == 1:                                    # only a fit that diverges may fail: ADALINE at a huge eta
        assert name == "adaline-letters" and "diverged" in err and kwargs.get("eta", 0) >= 0.3
        return
    if code != 0:
        return
    expected = experiments.run(name, **kwargs).to_dict()   # the same seed gives the same numbers
    if "--json" in argv:
        assert json.loads(stdout) == expected
    if out in ("fresh", "nonempty-force"):
        assert json.loads((folder / f"{name}.json").read_text()) == expected
        assert all(p.stat().st_size > 0 for p in folder.iterdir())
        if out == "nonempty-force":
            assert (folder / "keep.txt").read_text() == "mine"     # --force overwrites our files, not others'


@FUZZ
@given(argv=st.lists(st.one_of(st.sampled_from(["list", "run", "all", "--json", "--seed", "0", "-1", "--out",
                                                 "--force", "timeline", "heat-cold", "--epochs", "xor", "data",
                                                 "info", "import", "usps", "--help", "-h", "--version", "book"]),
                               st.text(max_size=5)), max_size=5))
def test_random_argv_never_crashes(argv):
    # Anything at all: only the exit status and the absence of a traceback are checked. Commands that
    # would do real work (a book build, every experiment, the XOR sweep, writing files) are skipped.
    if any(a in ("book", "all", "xor", "--out", "import") for a in argv) or (
            argv[:1] == ["run"] and any(a in NAMES for a in argv[1:2]) and not any(
                a.startswith("-") and a not in ("--json", "--seed", "--force", "-h", "--help") for a in argv)):
        return
    check_cli(argv, expect=(0, 1, 2))


def _usps_text(path, labels):
    rows = [" ".join([f"{lab:.4f}"] + ["-1.0000"] * 256) for lab in labels]
    path.write_text("\n".join(rows) + "\n")
    return path


def test_data_import_never_replaces_a_copy_without_force(tmp_path, monkeypatch):
    usps_module = importlib.import_module("annhist.datasets.usps")          # the package's usps is a function

    monkeypatch.setattr(usps_module, "_check_digests", lambda *a: None)   # synthetic digits: this is about replacing
    data = tmp_path / "data"
    tr, te = _usps_text(tmp_path / "zip.train", [1, 2]), _usps_text(tmp_path / "zip.test", [3])
    code, out, _ = check_cli(["data", "import", "usps", str(tr), str(te), "--data-dir", str(data)], expect=(0,))
    assert "imported" in out and sorted(p.name for p in data.iterdir()) == ["zip.test", "zip.train"]
    before = (data / "zip.train").read_bytes()
    (tmp_path / "new").mkdir()
    tr2 = _usps_text(tmp_path / "new" / "zip.train", [4, 5, 6])
    code, _, err = check_cli(["data", "import", "usps", str(tr2), str(te), "--data-dir", str(data)], expect=(2,))
    assert "--force" in err and (data / "zip.train").read_bytes() == before           # refused, untouched
    check_cli(["data", "import", "usps", str(tr2), str(te), "--data-dir", str(data), "--force"], expect=(0,))
    assert (data / "zip.train").read_bytes() == tr2.read_bytes()
    code, out, _ = check_cli(["data", "info", "--data-dir", str(data)], expect=(0,))
    assert "zip.train" in out


def test_xor_out_is_created_and_never_overwritten_without_force(tmp_path):
    out = tmp_path / "a" / "b"                                   # created with its parents
    argv = ["xor", "--seeds", "1", "--max-sweeps", "50", "--out", str(out)]
    check_cli(argv, expect=(0,))
    assert (out / "xor.json").is_file() and len(list(out.glob("*.png"))) >= 1
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    _, _, err = check_cli(argv, expect=(2,))
    assert "--force" in err and {p.name: p.read_bytes() for p in out.iterdir()} == before
    check_cli(argv + ["--force"], expect=(0,))
