"""The "What we reproduced" table: every annhist value comes from running an experiment."""

import pytest
from conftest import built_result

from annhist import experiments
from annhist.experiments import cache
from annhist.experiments.reproductions import (
    BUILT_IN_VERDICT,
    CLAIMS,
    STAND_IN_VERDICT,
    Claim,
    lookup,
    reproduce,
    to_markdown,
)


def test_every_claim_names_a_registered_experiment_and_an_existing_result_key():
    names = set(experiments.names())
    for claim in CLAIMS:
        assert claim.experiment in names, claim
        assert claim.source and claim.quantity


@pytest.mark.slow
def test_every_row_value_is_the_experiments_value(session_results, monkeypatch):
    """Every row equals an independent run of its experiment. The rows come from this session's
    runs (the chapters' executions and other tests make them once; the missing ones run here);
    the book build's own runs (another process, the current sources) are the second run when they
    exist; else each experiment runs once more."""
    monkeypatch.setenv(cache.ENV_VAR, str(session_results))      # this session's runs, never the build's
    rows = reproduce(seed=0)
    monkeypatch.delenv(cache.ENV_VAR)
    assert len(rows) == len(CLAIMS)
    other = {}
    for row in rows:
        c = row.claim
        key = (c.experiment, tuple(sorted(c.options.items())))
        if key not in other:
            other[key] = built_result(c.experiment, 0, **c.options) or \
                experiments.run(c.experiment, seed=0, **c.options).to_dict()
        assert lookup(other[key], c.key) == row.value, c.quantity
        assert row.verdict in ("reproduced", "differs", "reported", "not reproduced", STAND_IN_VERDICT,
                               BUILT_IN_VERDICT)


def test_rows_pass_their_seed_and_options_to_the_run():
    calls = []

    class Fake:
        def to_dict(self):
            return {"experiment": "fake", "results": {"v": 1}}

    claims = (Claim("widrow1960", "q", 1, "a", "v", options={"n": 2}), Claim("widrow1960", "r", 1, "a", "v"),
              Claim("widrow1960", "s", 1, "a", "v", options={"n": 2}))
    rows = reproduce(claims, seed=5, run=lambda name, seed, **kw: calls.append((name, seed, kw)) or Fake())
    assert calls == [("a", 5, {"n": 2}), ("a", 5, {})]      # each option set once
    assert [r.settings for r in rows] == [{"seed": 5, "n": 2}, {"seed": 5}, {"seed": 5, "n": 2}]


def test_values_are_read_from_the_run_not_typed():
    # A fake experiment runner whose numbers change must change the table.
    class Fake:
        def __init__(self, value):
            self.value = value

        def to_dict(self):
            return {"experiment": "fake", "results": {"a": {"b.c": self.value}}}

    claim = Claim("widrow1960", "q", 3, "fake", "a.b.c")
    rows = reproduce((claim,), run=lambda name, seed, **kw: Fake(3))
    assert rows[0].value == 3 and rows[0].verdict == "reproduced"
    rows = reproduce((claim,), run=lambda name, seed, **kw: Fake(4))
    assert rows[0].value == 4 and rows[0].verdict == "differs"
    assert "{cite}`widrow1960`" in to_markdown(rows)


def test_a_value_the_code_is_built_from_is_built_in_not_reproduced():
    class Fake:
        def __init__(self, value):
            self.value = value

        def to_dict(self):
            return {"experiment": "fake", "results": {"v": self.value}}

    claim = Claim("hay1960", "units", 512, "fake", "v", design=True)
    assert reproduce((claim,), run=lambda name, seed, **kw: Fake(512))[0].verdict == BUILT_IN_VERDICT
    assert reproduce((claim,), run=lambda name, seed, **kw: Fake(511))[0].verdict == "differs"   # still checked
    built = {c.quantity for c in CLAIMS if c.design}
    assert built == {"the error-correction rule equals scikit-learn's Perceptron weights (Iris)",
                     "Mark I dimensions: 400 S-units, 512 A-units, 8 R-units",
                     "each S-unit feeds at most 40 A-units"}
    assert all(c.note for c in CLAIMS if c.design)          # each says what it is built from


def test_lookup_reports_missing_keys():
    with pytest.raises(KeyError, match="no 'x'"):
        lookup({"experiment": "e", "results": {"a": 1}}, "x")
