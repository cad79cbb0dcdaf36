"""Sizes that multiply out past what a laptop holds are refused up front, naming the parameters and the cap.

Each test lowers the cap with monkeypatch so that its boundary is cheap to draw; the message names the cap.
"""

import numpy as np
import pytest

from annhist.mlp import MLP, MLPClassifier


def test_mlp_caps_the_weights_of_all_layers_together(monkeypatch):
    # 40 layers of 10,000 units each passed the per-layer cap and asked for 3.9e9 weights (30 GB)
    monkeypatch.setattr("annhist.mlp.checks.MAX_WEIGHTS", 100)
    assert MLP([5, 10, 5]).layers_[1].params["W"].shape == (10, 5)   # 50 + 50 weights: at the cap
    with pytest.raises(ValueError, match=r"'sizes' parameter of MLP asks for 150 weights in all; .*MAX_WEIGHTS = 100"):
        MLP([5, 10, 10])                                           # 50 + 100: each layer within it, not together
    with pytest.raises(ValueError, match=r"'sizes' parameter of MLP asks for 160 weights in all"):
        MLPClassifier(hidden_layer_sizes=(10, 10)).fit(np.eye(5), [0, 1, 0, 1, 0])   # 5x10 + 10x10 + 10x1 > 100
