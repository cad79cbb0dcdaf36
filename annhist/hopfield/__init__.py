"""1949-1985: Hebb's rule, Hopfield's associative memory and the Boltzmann machine.

- ``annhist.hopfield.hebb``: :func:`~annhist.hopfield.hebb.hebb_weights`, the outer-product rule (Hebb 1949;
  Hopfield 1982 eq. 2).
- ``annhist.hopfield.rule``: :func:`~annhist.hopfield.rule.energy`, :func:`~annhist.hopfield.rule.async_update`,
  :func:`~annhist.hopfield.rule.sync_update` (Hopfield 1982).
- ``annhist.hopfield.network``: :class:`~annhist.hopfield.network.Hopfield`, store and recall.
- ``annhist.hopfield.dynamics`` and ``annhist.hopfield.capacity``: many recalls at once; capacity and
  spurious states (Amit, Gutfreund & Sompolinsky 1985).
- ``annhist.hopfield.boltzmann_rule``, ``annealing``, ``boltzmann``, ``encoder``: the Boltzmann machine and
  its 4-2-4 encoder (Ackley, Hinton & Sejnowski 1985).

References
----------
D. O. Hebb, *The Organization of Behavior*, Wiley, 1949.
J. J. Hopfield, "Neural networks and physical systems with emergent collective computational abilities",
PNAS 79(8):2554-2558, 1982.
D. J. Amit, H. Gutfreund and H. Sompolinsky, "Storing infinite numbers of patterns in a spin-glass model of
neural networks", Physical Review Letters 55(14):1530-1533, 1985.
D. H. Ackley, G. E. Hinton and T. J. Sejnowski, "A learning algorithm for Boltzmann machines", Cognitive
Science 9(1):147-169, 1985.
"""

from annhist.hopfield.boltzmann import BoltzmannMachine, boltzmann_learning_cycle
from annhist.hopfield.boltzmann_rule import (
           boltzmann_energy,
           boltzmann_weight_change,
           unit_on_probability,
)
from annhist.hopfield.hebb import correlation_matrix, hebb_weights
from annhist.hopfield.network import Hopfield
from annhist.hopfield.rule import async_update, energy, local_field, sync_update

__all__ = [
           "BoltzmannMachine",
           "Hopfield",
           "async_update",
           "boltzmann_energy",
           "boltzmann_learning_cycle",
           "boltzmann_weight_change",
           "correlation_matrix",
           "energy",
           "hebb_weights",
           "local_field",
           "sync_update",
           "unit_on_probability",
]
