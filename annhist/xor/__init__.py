"""1969: Minsky and Papert's XOR limitation, linear separability and the order of parity.

- :mod:`~annhist.xor.separability` -- is a Boolean function linearly separable? (an LP, with
  a Farkas certificate when it is not);
- :mod:`~annhist.xor.minsky_papert` -- the order of a predicate; parity of n inputs has order n;
- :mod:`~annhist.xor.invariance` -- the group-invariance theorem (averaging coefficients) and
  a diameter-limited perceptron failing on connectedness;
- :mod:`~annhist.xor.parts` -- the parts of the XOR experiment (LP, the 16 functions, the
  perceptron's cycle, ADALINE, the McCulloch-Pitts two-layer net); the whole experiment, with
  the 1986 backpropagation part, is :func:`annhist.experiments.xor.xor_experiment`;
- :mod:`~annhist.xor.report`, :mod:`~annhist.xor.figures`.
"""

from annhist.xor.boolean_functions import BOOLEAN_FUNCTIONS, best_linear_accuracy, separable_functions
from annhist.xor.minsky_papert import ParityOrder, mask_features, masks, order_lp, parity_order, predicate_order
from annhist.xor.separability import (
           LinearSeparation,
           farkas_multipliers,
           pm_labels,
           separate,
           verify_certificate,
           verify_separator,
)

__all__ = ["ParityOrder", "parity_order", "predicate_order", "order_lp",
           "masks", "mask_features", "LinearSeparation", "separate", "farkas_multipliers", "verify_separator",
           "verify_certificate", "pm_labels", "BOOLEAN_FUNCTIONS", "separable_functions", "best_linear_accuracy"]
