"""The registered experiments `lecun1989` and `lenet5`: they run, report the data source, and are deterministic."""

import json

import pytest

from annhist import experiments
from annhist.cli import main
from annhist.datasets import DataFallbackWarning


@pytest.fixture
def no_usps(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNHIST_DATA", str(tmp_path / "empty"))


@pytest.fixture(scope="module")
def fallback_run(tmp_path_factory):
    """One pass of the 1989 experiment on the 8x8-digits fallback, shared by the tests below."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANNHIST_DATA", str(tmp_path_factory.mktemp("empty")))
        with pytest.warns(DataFallbackWarning):
            yield experiments.run("lecun1989", seed=0, epochs=1)


def test_lecun1989_on_the_fallback_says_so(fallback_run, no_usps):
    res = fallback_run
    d = res.to_dict()
    assert d["results"]["data_source"] == "sklearn-digits"
    assert "NOT the paper's data" in res.report and "NOT the paper's data" in d["notes"]
    assert d["paper"]["test_error"] == 0.05 and d["paper"]["train_error"] == 0.0014
    assert d["results"]["parameters"] == 9760 and d["results"]["connections"] == 64660
    assert 0.0 <= d["results"]["test_error"] < 0.9
    assert len(d["results"]["history"]["test_error"]) == 1
    json.dumps(d, allow_nan=False)
    with pytest.warns(DataFallbackWarning):
        again = experiments.run("lecun1989", seed=0, epochs=1)
    assert again.to_dict() == d


def test_lenet5_experiment_runs(no_usps):
    with pytest.warns(DataFallbackWarning):
        res = experiments.run("lenet5", seed=0, epochs=1, head="softmax")
    d = res.to_dict()
    assert d["results"]["parameters"] == 60850 and d["settings"]["head"] == "softmax"
    assert d["paper"]["parameters"] == 60000 and "not directly comparable" in d["notes"]
    with pytest.raises(ValueError, match="'head' option of lenet5 must be 'rbf' or 'softmax'"):
        experiments.run("lenet5", epochs=1, head="svm")


def test_cli_option_validation(no_usps, capsys):
    assert main(["run", "lecun1989", "--epochs", "0"]) == 2
    assert "epochs" in capsys.readouterr().err


def test_figures_draw(fallback_run, tmp_path):
    paths = fallback_run.save_figures(tmp_path)
    assert sorted(p.name for p in paths) == ["confusion.png", "feature_maps.png", "kernels.png",
                                             "learning_curve.png", "misclassified.png"]
    assert all(p.stat().st_size > 1000 for p in paths)


def test_lecun1989_with_the_sdlm_step(no_usps):
    with pytest.warns(DataFallbackWarning):
        res = experiments.run("lecun1989", seed=0, epochs=1, optimizer="sdlm", eps=1e-3)
    d = res.to_dict()
    assert d["settings"]["optimizer"] == "sdlm" and d["settings"]["eps"] == 1e-3 and "eta" not in d["settings"]
    assert "SDLM (eps=0.001, mu=0.02)" in res.report
    with pytest.raises(ValueError, match="'optimizer' option of lecun1989 must be 'sgd' or 'sdlm'"):
        experiments.run("lecun1989", epochs=1, optimizer="adam")
