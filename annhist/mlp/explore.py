"""Explorables for the chapters on backpropagation (1986): the 8-3-8 encoder's code forming, and XOR.

The encoder is the one of Rumelhart, Hinton & Williams (PDP vol. 1, ch. 8): eight one-of-eight
patterns must come back out through three hidden units. The reader scrubs through training
and watches the three hidden units' activities turn into a (nearly) binary code. Every state
is :meth:`annhist.mlp.MLP.fit` continued with ``warm_start=True`` (the same trajectory as one
long fit), with the settings of the ``rhw-encoder`` experiment (eta 0.25, momentum 0.9).
The XOR 2-2-1 explorable is in :mod:`annhist.mlp.explore_xor`.
"""

from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np

from annhist.mlp.explore_xor import xor_explorable, xor_training
from annhist.mlp.network import MLP
from annhist.optimizers import Momentum
from annhist.plotting.checks import check_dpi, check_sweeps
from annhist.plotting.explorable import Control, Explorable, Frame, FrameCanvas, check_mode
from annhist.plotting.style import COLORS, new_figure
from annhist.validation import check_scalar

__all__ = ["ENCODER_SWEEPS", "encoder_states", "encoder_explorable", "encoder_training", "xor_explorable",
           "xor_training"]

ENCODER_SWEEPS = (0, 50, 100, 200, 300, 400, 600, 800, 1200)


def encoder_states(seed: int = 0, sweeps: Sequence[int] = ENCODER_SWEEPS, *, eta: float = 0.25,
                   alpha: float = 0.9) -> dict[str, Any]:
    """The 8-3-8 encoder's hidden codes (8 patterns x 3 units) after each of ``sweeps``, and E per sweep.

    ``seed``: an int >= 0; ``sweeps``: increasing ints from 0 (:func:`~annhist.plotting.checks.check_sweeps`).
    """
    check_scalar(seed, "seed", owner="encoder_states", kind=numbers.Integral, min_val=0)
    sweeps = check_sweeps(sweeps, owner="encoder_states", min_last=0)
    X = np.eye(8)
    net = MLP([8, 3, 8], random_state=seed)
    opt = Momentum(eta, alpha)
    codes, losses, done = {}, {}, 0
    for s in sorted(sweeps):
        if s > done:
            net.fit(X, X, optimizer=opt, epochs=s - done, warm_start=done > 0, verbose=False)
            done = s
        outs = net.layer_outputs(X)
        codes[s] = outs[1].copy()
        losses[s] = 0.5 * float(np.sum((outs[-1] - X) ** 2))
    return {"codes": codes, "E": losses, "curve": np.asarray(net.history_["loss"], dtype=float)}


def _canvas(last: int, dpi: int) -> Any:
    fig, (ax, ax2) = new_figure(1, 2, figsize=(6.6, 3.2), width_ratios=(0.8, 1.2))
    image = ax.imshow(np.zeros((8, 3)), cmap="Greys", vmin=0, vmax=1, aspect="auto")
    ax.set(xticks=range(3), xticklabels=["h1", "h2", "h3"], yticks=range(8),
           yticklabels=[f"pattern {i + 1}" for i in range(8)], title="hidden activities")
    curve = ax2.semilogy([], [], color=COLORS[0], lw=1.4)[0]
    mark = ax2.plot([], [], "o", color=COLORS[1])[0]
    ax2.set(xlabel="sweep", ylabel="error E", xlim=(0, last), ylim=(1e-2, 10), title="error curve")
    canvas = FrameCanvas(fig, [image, curve, mark], dpi=dpi)

    def draw(codes: np.ndarray, curve_E: np.ndarray, sweep: int, E: float) -> bytes:
        image.set_data(codes)
        curve.set_data(np.arange(1, curve_E.size + 1), curve_E)
        mark.set_data([sweep], [E])
        return canvas.png()

    return draw


def encoder_explorable(seed: int = 0, sweeps: Sequence[int] = ENCODER_SWEEPS, *, dpi: int = 70) -> Explorable:
    """The explorable behind :func:`encoder_training`."""
    check_scalar(seed, "seed", owner="encoder_explorable", kind=numbers.Integral, min_val=0)
    sweeps = check_sweeps(sweeps, owner="encoder_explorable")
    dpi = check_dpi(dpi, owner="encoder_explorable")
    states = encoder_states(seed, sweeps)
    draw = _canvas(max(sweeps), dpi)

    def render(sweep: int) -> Frame:
        if sweep not in states["codes"]:           # a sweep typed in live: train up to it
            more = encoder_states(seed, [sweep])
            codes, E = more["codes"][sweep], more["E"][sweep]
        else:
            codes, E = states["codes"][sweep], states["E"][sweep]
        binary = ["".join(str(int(v > 0.5)) for v in row) for row in codes]
        text = (f"after {sweep} sweeps: E = {E:.4f};  codes read at 0.5: {' '.join(binary)}\n"
                f"distinct codes: {len(set(binary))} of 8;  largest distance of an activity from 0 or 1: "
                f"{float(np.max(0.5 - np.abs(codes - 0.5))):.2f}")
        return Frame(text=text, png=draw(codes, states["curve"], sweep, E),
                     numbers={"E": E, "codes": codes.round(4).tolist(), "binary": binary})

    control = Control("sweep", "sweeps of training", tuple(sweeps), live=(0, max(3000, sweeps[-1]), 50))
    return Explorable("explore-encoder", f"The 8-3-8 encoder (seed {seed}): scrub through training", [control],
                      render, start=[0])


def encoder_training(mode: str = "auto", seed: int = 0, sweeps: Sequence[int] = ENCODER_SWEEPS) -> Any:
    """Scrub through the 8-3-8 encoder's training and watch its hidden code form.

    ``mode``: ``"auto"`` (static HTML in the book, ipywidgets in a live kernel), ``"static"``,
    ``"widgets"`` (see :mod:`annhist.plotting.explorable`).
    """
    check_mode(mode, "encoder_training")
    return encoder_explorable(seed, sweeps).show(mode)
