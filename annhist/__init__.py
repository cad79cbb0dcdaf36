"""annhist: the history of artificial neural networks as runnable, tested code.

One module per milestone -- :mod:`annhist.mcculloch_pitts` (1943), :mod:`annhist.perceptron`
(1958), :mod:`annhist.adaline` (1960), :mod:`annhist.xor` (1969), :mod:`annhist.mlp` (1986),
:mod:`annhist.cnn` (1989, 1998) -- and a shared toolkit: :mod:`annhist.activations`,
:mod:`annhist.losses`, :mod:`annhist.optimizers`, :mod:`annhist.layers`,
:mod:`annhist.datasets`, :mod:`annhist.plotting`. Experiments are registered in
:mod:`annhist.experiments` and run from the ``annhist`` command line.
"""

from annhist import errors
from annhist.errors import ConvergenceWarning, DivergenceError

__version__ = "0.1.0"

__all__ = ["ConvergenceWarning", "DivergenceError", "NotFittedError", "__version__"]


def __getattr__(name: str) -> type:
    """``annhist.NotFittedError``, made on first use: it subclasses scikit-learn's, and importing
    scikit-learn takes seconds that most of annhist never needs (see :mod:`annhist.errors`)."""
    if name == "NotFittedError":
        return errors.NotFittedError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
