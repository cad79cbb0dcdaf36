"""The benchmark runner (``python -m benchmarks``): rows, failures and tables -- never timings.

Benchmarks report and never assert; these tests check the machinery around them: a module
that fails to import, a ``cases()`` that raises and a case that raises each become a
"failed" row while the other rows are still timed, and the statistics of a row are right.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import benchmarks  # noqa: E402
from benchmarks import __main__ as runner  # noqa: E402
from benchmarks.book import _table  # noqa: E402
from benchmarks.harness import Case, _quartiles, failed_row, time_case  # noqa: E402


def _boom():
    raise RuntimeError("boom")


def test_time_case_statuses_and_ratio():
    ok = time_case(Case("sum", lambda: sum(range(100)), lambda: sum(range(100)), "the same"), min_seconds=0)
    assert ok["status"] == "ok" and ok["repeats"] == 5 and len(ok["annhist_times_s"]) == 5
    # speedup is the ratio of the medians: reference / annhist
    assert ok["speedup"] == pytest.approx(ok["reference_median_s"] / ok["annhist_median_s"])
    assert ok["speedup_min"] <= ok["speedup_q1"] <= ok["speedup_q3"] <= ok["speedup_max"]
    skipped = time_case(Case("no torch", _boom, None, "torch", skipped_reason="torch missing"))
    assert skipped["status"] == "skipped" and skipped["skipped_reason"] == "torch missing"   # _boom never ran
    alone = time_case(Case("alone", lambda: None, None, "-", repeats=3), min_seconds=0)
    assert alone["status"] == "annhist only" and alone["speedup"] is None and alone["repeats"] == 3


def test_time_case_repeats_fast_cases_until_min_seconds():
    row = time_case(Case("fast", lambda: None, lambda: None, "nothing", repeats=2), min_seconds=0.01, max_rounds=40)
    assert row["repeats"] == 40            # a no-op never adds up to 10 ms, so the round cap stops it


def test_quartiles_hand_example():
    # inclusive quartiles of 1..5: positions 1 + 0.25 * 4 = 2 and 1 + 0.75 * 4 = 4
    assert _quartiles([5.0, 1.0, 3.0, 2.0, 4.0]) == (2.0, 4.0)
    assert _quartiles([7.0]) == (7.0, 7.0)


def test_runner_turns_every_kind_of_failure_into_a_row(tmp_path, monkeypatch):
    (tmp_path / "bench_zz_broken.py").write_text("import not_a_module_of_annhist_xyz\n")
    (tmp_path / "bench_zz_nocases.py").write_text("def cases():\n    raise ValueError('no data')\n")
    (tmp_path / "bench_zz_mixed.py").write_text(
        "from benchmarks.harness import Case\n"
        "def _boom():\n    raise RuntimeError('boom')\n"
        "def cases():\n"
        "    return [Case('zz raises', _boom, lambda: None, 'ref'),\n"
        "            Case('zz fine', lambda: None, lambda: None, 'ref', repeats=3)]\n")
    monkeypatch.setattr(runner, "HERE", tmp_path)
    monkeypatch.setattr(benchmarks, "__path__", [str(tmp_path), *benchmarks.__path__])
    for stem in ("bench_zz_broken", "bench_zz_nocases", "bench_zz_mixed"):
        monkeypatch.delitem(sys.modules, f"benchmarks.{stem}", raising=False)
    rows = runner.run_speed(["zz"], lambda msg: None, min_seconds=0)
    by_name = {r["name"]: r for r in rows}
    assert by_name["bench_zz_broken: could not build its cases"]["status"] == "failed"
    assert "ModuleNotFoundError" in by_name["bench_zz_broken: could not build its cases"]["error"]
    assert by_name["bench_zz_nocases: could not build its cases"]["error"] == "ValueError: no data"
    assert by_name["zz raises"]["status"] == "failed" and by_name["zz raises"]["error"] == "RuntimeError: boom"
    assert by_name["zz fine"]["status"] == "ok"                       # the run went on after the failures
    text = runner.format_rows(rows)
    assert "FAILED" in text and "RuntimeError: boom" in text and "zz fine" in text


def test_failed_row_and_tables():
    try:
        _boom()
    except RuntimeError as exc:
        row = failed_row("x", exc, module="m", reference="r")
    assert row["status"] == "failed" and "RuntimeError: boom" in row["traceback"]
    md = _table(["a", "b"], [["x", "1"]], markdown=True)
    assert md[:3] == ["| a | b |", "|---|---:|", "| x | 1 |"]


@pytest.mark.parametrize(("argv", "name"), [
    (["--book"], "results.json"),                                   # make bench: the README's run
    (["--book", "-k", "mlp"], "results-partial.json"),              # a selection never replaces it
    (["-k", "perceptron", "--threads", "1"], "results-partial.json"),
    (["--book-only", "--chapters", "03", "--no-build"], "results-partial.json"),
    (["--book", "--keep-openblas-env"], "results-partial.json"),
    (["--book", "--threads", "1"], "results-partial.json"),
    ([], "results-partial.json"),                                   # the speed rows without the book
])
def test_only_make_bench_run_writes_the_readme_results_file(argv, name):
    args = runner.build_parser().parse_args(argv)
    terms = [t for s in args.select for t in s.split(",") if t]
    assert runner._default_out(args, terms).name == name


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_the_conv_layer_rows_check_both_sides_compute_the_same(dtype):
    """bench_cnn_layers times annhist's Conv2d against PyTorch's conv2d + autograd: for each of the four
    layers both sides give the same output and gradients, and the check fails when one of PyTorch's
    weights differs by 1e-3 (for C3 and H2 one inside the table: outside it, W * mask hides a change)."""
    torch = pytest.importorskip("torch", reason="torch is optional (make bench installs it)")
    from benchmarks import bench_cnn_layers as b

    for name, conv, shape, batch_last in b.conv_layers(dtype):
        x, g = b._inputs(conv, shape, batch_last, dtype)
        mine, ref = b._annhist_layer(conv, x, g), b._torch_layer(torch, conv, x, g)
        assert b._same(conv, mine, ref, dtype), name
        W = ref.tensors[1]
        inside = W.numel() // 2 if conv.mask is None else int(np.flatnonzero(conv.mask.ravel())[0])
        with torch.no_grad():
            W.view(-1)[inside] += 1e-3
        assert not b._same(conv, mine, ref, dtype), name
