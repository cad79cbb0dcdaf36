"""Data sets for the chapters and experiments; none is downloaded at run time.

- :mod:`annhist.datasets.classic`: truth tables, parity, symmetry, Iris, the 8x8 digits and the
  Wisconsin breast cancer data (scikit-learn's bundled copies).
- :mod:`annhist.datasets.family_trees`: Hinton's English and Italian family trees (1986).
- :mod:`annhist.datasets.glyphs`: block letters on a 10x10 retina, +-1 coded (Hopfield chapter).
- :mod:`annhist.datasets.letters`: letters on the ADALINE's 4x4 switch grid, +-1 coded
  (reconstructions).
- :mod:`annhist.datasets.retina`: shapes, letters and left/right marks on the Mark I's 20x20 retina.
- :mod:`annhist.datasets.separable`: random linearly separable data with a chosen gap.
- :mod:`annhist.datasets.usps`: the USPS zip-code digits from the user's data folder (or a
  labelled fallback).
"""

from annhist.datasets.classic import binary_inputs, breast_cancer, digits, iris, logic_gate, parity, symmetry, xor
from annhist.datasets.family_trees import PEOPLE, RELATIONS, family_tree_cases, family_tree_split, family_triples
from annhist.datasets.glyphs import GLYPHS_10X10, letters_10x10
from annhist.datasets.letters import TGF_TARGETS, flip_pixels, letter_pattern, letters
from annhist.datasets.retina import flatten_retina, retina_left_right, retina_letters, retina_shapes
from annhist.datasets.separable import linearly_separable
from annhist.datasets.usps import DataFallbackWarning, import_usps, usps

__all__ = ["binary_inputs", "breast_cancer", "digits", "iris", "logic_gate", "parity", "symmetry", "xor"]
__all__ += ["TGF_TARGETS", "flip_pixels", "letter_pattern", "letters"]
__all__ += ["flatten_retina", "linearly_separable", "retina_left_right", "retina_letters", "retina_shapes"]
__all__ += ["PEOPLE", "RELATIONS", "family_tree_cases", "family_tree_split", "family_triples"]
__all__ += ["DataFallbackWarning", "import_usps", "usps"]
__all__ += ["GLYPHS_10X10", "letters_10x10"]
