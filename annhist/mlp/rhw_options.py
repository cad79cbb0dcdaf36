"""The options of the 1986 experiments (:mod:`annhist.mlp.rhw`, :mod:`annhist.mlp.family_trees`) and their bounds.

Each bound lets the papers' settings run (Rumelhart, Hinton & Williams 1986: 558 to 6,587 sweeps, step
sizes 0.005 to 0.5, a handful of runs) and refuses, before any work, what would run out of memory or
mean nothing: ``annhist run rhw-xor --epochs 1000000000000`` was a MemoryError.
"""

from __future__ import annotations

import numbers

from annhist.mlp.many import MAX_NETS
from annhist.results import Option
from annhist.validation import check_scalar

__all__ = ["MAX_EPOCHS", "MAX_ETA", "MAX_FAMILY_SEEDS", "MAX_RUN_SWEEPS", "MAX_SEEDS", "check_runs", "rhw_options"]

#: The most seeds of an rhw-* experiment: ``annhist.mlp.many.MAX_NETS``, the most nets trained at once.
MAX_SEEDS = MAX_NETS
#: The most sweeps of one run (the papers' runs took 558 to 6,587; the family trees' plateau lasts some 14,000 to
#: 27,000), as ``annhist.experiments.xor.MAX_SWEEPS``.
MAX_EPOCHS = 1_000_000
#: The most ``seeds * epochs``: every run's E (and largest error) per sweep is kept, 16 bytes a run and sweep in
#: the rhw-* experiments (rhw-xor holds two nets' for a while: 640 MB at this bound; the defaults, 100 x 10,000,
#: 32 MB), a Python float (about 32 bytes) in rhw-family-trees; rhw-parity keeps none, but would run for hours.
MAX_RUN_SWEEPS = 20_000_000
#: The most family-tree nets, trained one after the other (the paper reports one or two): 1000 take some 5 minutes
#: at the paper's 1,500 sweeps.
MAX_FAMILY_SEEDS = 1000
#: The largest step size epsilon (the papers' are 0.005 to 0.5): at 50 no XOR net learns, every unit saturated
#: after a few sweeps (1e12 was accepted).
MAX_ETA = 100.0


def rhw_options(seeds: int, epochs: int, eta: float) -> tuple[Option, ...]:
    """The options of rhw-xor, -encoder, -symmetry and -parity, with these defaults and the module's bounds."""
    return (Option("seeds", int, seeds, "how many seeds (seed, seed+1, ...) to train for the statistics", min_value=1,
                   max_value=MAX_SEEDS),
            Option("epochs", int, epochs, f"most sweeps per net; --seeds x --epochs at most {MAX_RUN_SWEEPS} (every "
                   f"run's history is kept)", min_value=1, max_value=MAX_EPOCHS),
            Option("eta", float, eta, "step size epsilon", min_value=1e-9, max_value=MAX_ETA),
            Option("alpha", float, 0.9, "momentum alpha", min_value=0.0, max_value=1.0, max_exclusive=True),
            Option("stop_within", float, 0.1, "learned when every output is within this of its target",
                   min_value=1e-9, max_value=1.0))        # logistic outputs: 1 or more is met before any sweep


def check_runs(owner: str, seeds: int, epochs: int, *, most_seeds: int = MAX_SEEDS,
               epochs_name: str = "epochs") -> None:
    """``seeds`` from 1 to ``most_seeds``, ``epochs`` from 1 to ``MAX_EPOCHS``, their product at most
    ``MAX_RUN_SWEEPS``; checked before any net is made."""
    check_scalar(seeds, "seeds", owner=owner, kind=numbers.Integral, min_val=1, max_val=most_seeds)
    check_scalar(epochs, epochs_name, owner=owner, kind=numbers.Integral, min_val=1, max_val=MAX_EPOCHS)
    if seeds * epochs > MAX_RUN_SWEEPS:
        raise ValueError(f"The 'seeds' and '{epochs_name}' parameters of {owner} must have a product <= "
                         f"{MAX_RUN_SWEEPS:,} (every run's history is kept). Got {seeds} x {epochs} instead.")
