"""Data sets for the chapters and experiments; none is downloaded at run time.

- :mod:`annhist.datasets.classic`: truth tables, parity, symmetry, Iris and the 8x8 digits
  (scikit-learn's bundled copies).
- :mod:`annhist.datasets.letters`: letters on the ADALINE's 4x4 switch grid, +-1 coded
  (reconstructions).
"""

from annhist.datasets.classic import binary_inputs, digits, iris, logic_gate, parity, symmetry, xor
from annhist.datasets.letters import TGF_TARGETS, flip_pixels, letter_pattern, letters

__all__ = ["binary_inputs", "digits", "iris", "logic_gate", "parity", "symmetry", "xor"]
__all__ += ["TGF_TARGETS", "flip_pixels", "letter_pattern", "letters"]
