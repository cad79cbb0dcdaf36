"""McCulloch & Pitts (1943): all-or-none threshold neurons, absolute inhibition, and logic.

- ``annhist.mcculloch_pitts.neuron``: ``MPNeuron``, one neuron (assumptions 1, 2, 4).
- ``annhist.mcculloch_pitts.network``: ``MPNetwork``, nets with named input lines, one
  synaptic delay per step and circles (memory); ``run`` is vectorized.
- ``annhist.mcculloch_pitts.dynamics``: the time step as a matrix product and a comparison.
- ``annhist.mcculloch_pitts.formula`` and ``annhist.mcculloch_pitts.parser``: temporal
  propositional expressions (trees, evaluator; tokenizer, parser);
  ``annhist.mcculloch_pitts.compiler``: ``compile_formula`` (Theorems II and III).
- ``annhist.mcculloch_pitts.nets``: the gates of Fig. 1, ``heat_cold_illusion`` (Fig. 1e),
  a latch, a pulse counter and a ring that fires every k steps.

References
----------
W. S. McCulloch and W. Pitts, "A logical calculus of the ideas immanent in nervous activity",
Bulletin of Mathematical Biophysics 5(4):115-133, 1943.
"""

from annhist.mcculloch_pitts.compiler import CompiledNetwork, compile_formula
from annhist.mcculloch_pitts.evaluate import evaluate_formula
from annhist.mcculloch_pitts.formula import And, Atom, Not, Or, atoms_of, to_text, true_when_silent
from annhist.mcculloch_pitts.nets import (
                                          and_gate,
                                          and_not_gate,
                                          every_k,
                                          heat_cold_illusion,
                                          latch,
                                          or_gate,
                                          pulse_counter,
                                          xor_net,
)
from annhist.mcculloch_pitts.network import MPNetwork
from annhist.mcculloch_pitts.neuron import MPNeuron
from annhist.mcculloch_pitts.parser import FormulaError, parse_formula
from annhist.mcculloch_pitts.random_net import random_network
from annhist.mcculloch_pitts.table import TruthTable

__all__ = ["MPNeuron", "MPNetwork", "CompiledNetwork", "TruthTable", "compile_formula", "true_when_silent",
           "parse_formula", "evaluate_formula", "atoms_of", "to_text", "FormulaError", "Atom", "Not", "And", "Or",
           "heat_cold_illusion", "and_gate", "or_gate", "and_not_gate", "xor_net", "latch", "pulse_counter",
           "every_k", "random_network"]
