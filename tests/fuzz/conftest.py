"""Hypothesis profiles and a case counter for the fuzzing suite.

The default test run uses the small ``ci`` profile; ``make fuzz`` sets
``ANNHIST_FUZZ_PROFILE=full`` for the large run (>= 10,000 generated cases in all).
The number of cases executed and what they found is printed at the end of the run.
"""

from __future__ import annotations

import os
from collections import Counter

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
settings.register_profile("full", max_examples=500, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
PROFILE = os.environ.get("ANNHIST_FUZZ_PROFILE", "ci")

CASES: Counter = Counter()      # target name -> generated cases run
OUTCOMES: Counter = Counter()   # "ok", "ValueError", "TypeError", ...


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if CASES:
        total = sum(CASES.values())
        terminalreporter.write_sep("-", f"fuzz: {total} generated cases over {len(CASES)} targets "
                                        f"(profile {PROFILE!r})")
        terminalreporter.write_line("outcomes: " + ", ".join(f"{k}={v}" for k, v in sorted(OUTCOMES.items())))
