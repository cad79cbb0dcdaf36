"""1986: Rumelhart, Hinton and Williams' multilayer perceptron and the generalized delta rule.

- :mod:`~annhist.mlp.delta_rule` -- the forward pass and the generalized delta rule
  (the backward pass), as the paper's equations;
- :mod:`~annhist.mlp.network` -- the :class:`MLP` (skip connections, masks, float32/64);
- :mod:`~annhist.mlp.estimators` -- :class:`MLPClassifier`, :class:`MLPRegressor`: the 1986 net
  with the paper's settings as scikit-learn estimators;
- :mod:`~annhist.mlp.fit` -- the training loop; :mod:`~annhist.mlp.many` -- many seeds at once;
- :mod:`~annhist.mlp.pattern` -- per-pattern updates (PDP eq. 16);
- :mod:`~annhist.mlp.gradcheck`, :mod:`~annhist.mlp.checks`, :mod:`~annhist.mlp.io`;
- :mod:`~annhist.mlp.landscapes` -- optimizer paths on 2-D test functions (the training chapter);
- :mod:`~annhist.mlp.universal` -- universal approximation built from sigmoid bumps (1989);
- :mod:`~annhist.mlp.generalization` -- validation split, learning curves, early stopping;
- :mod:`~annhist.mlp.stall` -- why stalled 2-2-1 XOR runs are not strict local minima;
- :mod:`~annhist.mlp.rhw`, :mod:`~annhist.mlp.family_trees` -- the 1986 experiments;
  :mod:`~annhist.mlp.figures`, :mod:`~annhist.mlp.path_figures`.
"""

from annhist.mlp.delta_rule import NetSpec, backward, forward, loss_and_delta
from annhist.mlp.estimators import MLPClassifier, MLPRegressor
from annhist.mlp.gradcheck import gradient_check, numerical_gradients
from annhist.mlp.io import load_mlp, save_mlp
from annhist.mlp.many import ManyResult, train_many
from annhist.mlp.network import MLP
from annhist.mlp.pattern import train_by_pattern

__all__ = ["MLP", "MLPClassifier", "MLPRegressor", "ManyResult", "train_many", "train_by_pattern", "NetSpec",
           "forward", "backward", "loss_and_delta", "gradient_check", "numerical_gradients", "save_mlp", "load_mlp"]
