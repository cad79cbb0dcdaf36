"""Data sets for the chapters and experiments; none is downloaded at run time.

- :mod:`annhist.datasets.classic`: truth tables, parity, symmetry, Iris and the 8x8 digits
  (scikit-learn's bundled copies).
"""

from annhist.datasets.classic import binary_inputs, digits, iris, logic_gate, parity, symmetry, xor

__all__ = ["binary_inputs", "digits", "iris", "logic_gate", "parity", "symmetry", "xor"]
