"""1958: Rosenblatt's perceptron, Novikoff's bound and the Mark I machine.

- :mod:`~annhist.perceptron.rule` -- the error-correction rule :func:`rosenblatt_update`
  (``w <- w + eta y x``) and one pass of it (:func:`rosenblatt_epoch`);
- :mod:`~annhist.perceptron.estimator` -- the :class:`Perceptron` estimator;
- :mod:`~annhist.perceptron.pocket` -- Gallant's pocket algorithm (1990) for inseparable data;
- :mod:`~annhist.perceptron.novikoff` -- Novikoff's convergence bound (1962);
- :mod:`~annhist.perceptron.capacity` -- Cover's function-counting theorem (1965), decided by LP;
- :mod:`~annhist.perceptron.cycling` -- the cycling of the rule on inseparable data;
- :mod:`~annhist.perceptron.mark1` -- the Mark I Perceptron machine
  (:mod:`~annhist.perceptron.plugboard`: its fixed S->A wiring and R-unit codes);
- :mod:`~annhist.perceptron.threshold_unit` -- what the two-class units share (scikit-learn's
  ``ClassifierMixin`` and ``BaseEstimator`` through :class:`annhist.base.HistoricalEstimator`);
- :mod:`~annhist.perceptron.experiments`, :mod:`~annhist.perceptron.figures`.
"""

from annhist.perceptron.cycling import PerceptronCycle, perceptron_cycle
from annhist.perceptron.estimator import Perceptron
from annhist.perceptron.mark1 import MarkI, wire_plugboard
from annhist.perceptron.novikoff import max_margin_separator, novikoff_bound
from annhist.perceptron.pocket import Pocket
from annhist.perceptron.rule import fold_bias, is_mistake, loop_epoch, rosenblatt_epoch, rosenblatt_update, scan_epoch

__all__ = ["Perceptron", "Pocket", "MarkI", "wire_plugboard", "novikoff_bound", "max_margin_separator",
           "PerceptronCycle", "perceptron_cycle", "fold_bias", "is_mistake", "rosenblatt_update", "loop_epoch",
           "scan_epoch", "rosenblatt_epoch"]
