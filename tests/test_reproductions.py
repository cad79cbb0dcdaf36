"""The "What we reproduced" table: every annhist value comes from running an experiment."""

import pytest

from annhist import experiments
from annhist.experiments.reproductions import CLAIMS, STAND_IN_VERDICT, Claim, lookup, reproduce, to_markdown


def test_every_claim_names_a_registered_experiment_and_an_existing_result_key():
    names = set(experiments.names())
    for claim in CLAIMS:
        assert claim.experiment in names, claim
        assert claim.source and claim.quantity


@pytest.mark.slow
def test_every_row_value_is_the_experiments_value():
    rows = reproduce(seed=0)
    assert len(rows) == len(CLAIMS)
    fresh = {}
    for row in rows:
        c = row.claim
        key = (c.experiment, tuple(sorted(c.options.items())))
        if key not in fresh:
            fresh[key] = experiments.run(c.experiment, seed=0, **c.options).to_dict()
        assert lookup(fresh[key], c.key) == row.value, c.quantity
        assert row.verdict in ("reproduced", "differs", "reported", "not reproduced", STAND_IN_VERDICT)


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


def test_lookup_reports_missing_keys():
    with pytest.raises(KeyError, match="no 'x'"):
        lookup({"experiment": "e", "results": {"a": 1}}, "x")
