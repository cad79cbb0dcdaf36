"""Hypothesis profiles and a case counter for the fuzzing suite.

The default test run uses the small ``ci`` profile; ``make fuzz`` sets
``ANNHIST_FUZZ_PROFILE=full`` for the large run (>= 10,000 generated cases in all).
The number of cases executed, per area, and what they found is printed at the end of the run.
Each test applies the profile itself (``@FUZZ`` from ``strategies``), so loading this suite never
changes the settings of the other hypothesis tests in the same session.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
settings.register_profile("full", max_examples=500, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
PROFILE = os.environ.get("ANNHIST_FUZZ_PROFILE", "ci")
if PROFILE not in ("ci", "full"):
    raise ValueError(f"ANNHIST_FUZZ_PROFILE must be 'ci' or 'full'. Got {PROFILE!r} instead.")

CASES: Counter = Counter()      # target name -> generated cases run
OUTCOMES: Counter = Counter()   # "ok", "ValueError", "TypeError", ...
AREAS: Counter = Counter()      # test file (test_fuzz_<area>.py) -> generated cases run


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    before = sum(CASES.values())
    yield
    area = item.module.__name__.rsplit(".", 1)[-1].removeprefix("test_fuzz_")
    AREAS[area] += sum(CASES.values()) - before


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if CASES:
        total = sum(CASES.values())
        terminalreporter.write_sep("-", f"fuzz: {total} generated cases over {len(CASES)} targets "
                                        f"(profile {PROFILE!r})")
        terminalreporter.write_line("per area: " + ", ".join(f"{k}={v}" for k, v in sorted(AREAS.items())))
        terminalreporter.write_line("outcomes: " + ", ".join(f"{k}={v}" for k, v in sorted(OUTCOMES.items())))
