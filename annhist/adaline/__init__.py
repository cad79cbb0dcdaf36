"""1960: Widrow and Hoff's ADALINE, the LMS rule and its stability limit, and MADALINE.

- :mod:`~annhist.adaline.lms` -- the LMS (Widrow-Hoff) rule :func:`lms_update`
  (``w <- w + eta (d - w.x) x``), its batch form, the input correlation matrix and the
  stability limit ``2 / lambda_max(R)``;
- :mod:`~annhist.adaline.estimator` -- the :class:`Adaline` estimator;
- :mod:`~annhist.adaline.madaline` -- MADALINE and its rule I;
- :mod:`~annhist.adaline.filter` -- LMS as an adaptive noise canceller (Widrow et al. 1975);
- :mod:`~annhist.adaline.experiments`, :mod:`~annhist.adaline.figures`.
"""

from annhist.adaline.estimator import MODES, Adaline, code_targets
from annhist.adaline.lms import (
                                 batch_update,
                                 input_correlation,
                                 least_squares,
                                 lms_stability_limit,
                                 lms_update,
                                 mse_surface,
)
from annhist.adaline.madaline import LOGIC, Madaline, logic_output, units_to_adapt

__all__ = ["Adaline", "Madaline", "MODES", "code_targets", "lms_update", "batch_update", "input_correlation",
           "lms_stability_limit", "least_squares", "mse_surface", "LOGIC", "logic_output", "units_to_adapt"]
