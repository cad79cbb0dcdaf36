"""The two historical convolutional networks, as published, and their inputs.

- :func:`lecun1989`: LeCun et al. (1989), "Backpropagation applied to handwritten zip code
  recognition", section 5: 16x16 input, H1 12@8x8, H2 12@4x4, H3 30, 10 outputs.
- :func:`lenet5`: LeCun, Bottou, Bengio & Haffner (1998), section II.B: 32x32 input, C1, S2,
  C3 (Table I), S4, C5, F6 and ten Euclidean RBF outputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from annhist.activations import get_activation
from annhist.cnn import architecture
from annhist.cnn.conv import Conv2d
from annhist.cnn.network import Sequential, dtype_name
from annhist.cnn.persistence import read_network_file
from annhist.cnn.pooling import Flatten, Subsampling
from annhist.cnn.rbf import RBF
from annhist.layers import ActivationLayer, Dense
from annhist.validation import check_array, check_choice, check_random_state

__all__ = ["H2_TABLE", "C3_TABLE", "lecun1989", "lenet5", "lenet5_input", "build", "rebuild", "load_network"]


def _table(columns: list[tuple[int, ...]], n_in: int) -> np.ndarray:
    t = np.zeros((n_in, len(columns)), dtype=bool)
    for o, reads in enumerate(columns):
        t[list(reads), o] = True
    t.setflags(write=False)
    return t


# LeCun et al. (1989): "Each unit in H2 combines local information coming from 8 of the 12
# different feature maps in H1 ... chosen according to a scheme that will not be described
# here." Our scheme (the one of Karpathy's 2022 reproduction): H2 maps 0-3 read H1 maps 0-7,
# maps 4-7 read H1 maps 4-11, maps 8-11 read H1 maps 0-3 and 8-11. Every H1 map is then read
# by exactly 8 H2 maps. Rows are H1 maps, columns H2 maps.
H2_TABLE = _table([tuple(range(0, 8))] * 4 + [tuple(range(4, 12))] * 4 + [(0, 1, 2, 3, 8, 9, 10, 11)] * 4, 12)

# LeCun et al. (1998), Table I: which S2 maps (rows) each C3 map (columns) reads. Maps 0-5
# read 3 contiguous S2 maps, 6-11 read 4 contiguous, 12-14 read 4 non-contiguous, 15 all 6.
C3_TABLE = _table([(0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5), (4, 5, 0), (5, 0, 1),
                   (0, 1, 2, 3), (1, 2, 3, 4), (2, 3, 4, 5), (3, 4, 5, 0), (4, 5, 0, 1), (5, 0, 1, 2),
                   (0, 1, 3, 4), (1, 2, 4, 5), (0, 2, 3, 5), (0, 1, 2, 3, 4, 5)], 6)


def lecun1989(random_state: Any = None, *, init: str = "paper", activation: str = "lecun_tanh",
              eta: float = 0.03, epochs: int = 23, shuffle: bool = False, dtype: str = "float64") -> Sequential:
    """The zip-code network of LeCun et al. (1989), section 5.1, as a :class:`Sequential`.

    ====== ============================================== ===== ====== ===========
    layer  what                                           units conns  parameters
    ====== ============================================== ===== ====== ===========
    input  16x16 grey pixels in [-1, 1]                    256
    H1     12 maps 8x8: 5x5 kernels, stride 2, pad 2 (-1)  768  19,968  1,068
    H2     12 maps 4x4: 5x5 on 8 of 12 H1 maps, stride 2   192  38,592  2,592
    H3     30 units fully connected to H2                   30   5,790  5,790
    output 10 units fully connected to H3                   10     310    310
    total                                                 1,256 64,660  9,760
    ====== ============================================== ===== ====== ===========

    Kernels are shared within a map, biases are not (one per unit in H1 and H2). The
    padding reads the "virtual background plane" at -1. The 8-of-12 scheme is
    ``H2_TABLE``.

    Parameters
    ----------
    random_state : None, int or numpy.random.Generator
        Draws the initial weights.
    init : {"paper", "karpathy"}, default "paper"
        ``"paper"``: uniform in +-2.4/F, F the unit's fan-in (25, 200, 192, 30).
        ``"karpathy"``: +-2.4/sqrt(F), the deviation of Karpathy's 2022 reproduction (modern).
        Either way the biases start at 0, as in Karpathy's code ("presumably init to zero
        for biases").
    activation : default "lecun_tanh"
        The paper says only "a scaled hyperbolic tangent"; we use LeCun's 1.7159 tanh(2a/3)
        (LeCun et al. 1998, Appendix A), for which the +-1 targets sit in the quasi-linear
        range as the 1989 paper asks. ``"tanh"`` is Karpathy's choice.
    eta, epochs, shuffle, dtype
        Training settings (see :class:`Sequential`): per-pattern SGD at 0.03, 23 passes.
        The paper's own step was a stochastic diagonal-Hessian (Newton-like) one: assign
        :class:`annhist.cnn.SDLM` to ``net.optimizer`` (``annhist run lecun1989 --optimizer sdlm``).
    """
    check_choice(init, "init", ("paper", "karpathy"), owner="lecun1989")
    get_activation(activation, owner="lecun1989")
    rng = check_random_state(random_state, owner="lecun1989")

    def w(fan_in: int) -> Any:
        return "lecun" if init == "paper" else ("uniform", 2.4 / np.sqrt(fan_in))

    layers = [
        Conv2d(1, 12, 5, stride=2, padding=2, pad_value=-1.0, bias="unshared", input_size=(16, 16),
               init=w(25), random_state=rng),                                    # H1: 12@8x8
        ActivationLayer(activation),
        Conv2d(12, 12, 5, stride=2, padding=2, pad_value=-1.0, bias="unshared", input_size=(8, 8),
               table=H2_TABLE, init=w(200), random_state=rng),                   # H2: 12@4x4
        ActivationLayer(activation),
        Flatten(),                                                               # 12x4x4 -> 192
        Dense(192, 30, init=w(192), random_state=rng),                           # H3
        ActivationLayer(activation),
        Dense(30, 10, init=w(30), random_state=rng),                             # output
        ActivationLayer(activation),
    ]
    spec = f"lecun1989;init={init};activation={activation};dtype={dtype_name(dtype)}"
    return Sequential(layers, input_shape=(1, 16, 16), loss="mse", eta=eta, batch_size=1, epochs=epochs,
                      shuffle=shuffle, random_state=rng, spec=spec, dtype=dtype)


def lenet5(random_state: Any = None, *, head: str = "rbf", activation: str = "lecun_tanh", eta: float = 0.01,
           epochs: int = 20, batch_size: int = 1, shuffle: bool = True, dtype: str = "float64") -> Sequential:
    """LeNet-5 of LeCun et al. (1998), section II.B, as a :class:`Sequential`.

    32x32 input; C1 6@28x28 (5x5); S2 6@14x14 (trainable subsampling); C3 16@10x10 with the
    partial connections of Table I (``C3_TABLE``); S4 16@5x5; C5 120 (5x5 over all 16
    maps: a 1x1 map); F6 84; output ten Euclidean RBF units on fixed 7x12 bitmaps
    (:func:`~annhist.cnn.rbf.digit_bitmaps`) trained with the MAP criterion, eq. (9).
    Trainable parameters: 156 + 12 + 1,516 + 32 + 48,120 + 10,164 = 60,000.

    Parameters
    ----------
    random_state : None, int or numpy.random.Generator
        Draws the initial weights.
    head : {"rbf", "softmax"}, default "rbf"
        ``"rbf"`` is the paper's. ``"softmax"`` (modern, not the paper's) replaces it with a
        trainable 84 -> 10 layer and softmax cross-entropy, adding 850 parameters.
    activation : default "lecun_tanh", the paper's f(a) = 1.7159 tanh(2a/3) (Appendix A).
    eta, epochs, batch_size, shuffle, dtype : training settings (see :class:`Sequential`): plain
        SGD. The paper trained 20 passes with its stochastic diagonal Levenberg-Marquardt step,
        :class:`annhist.cnn.SDLM`; assign one to ``net.optimizer`` to use it.
    """
    check_choice(head, "head", ("rbf", "softmax"), owner="lenet5")
    get_activation(activation, owner="lenet5")
    rng = check_random_state(random_state, owner="lenet5")
    layers = [
        Conv2d(1, 6, 5, input_size=(32, 32), random_state=rng), ActivationLayer(activation),            # C1
        Subsampling(6, 2, random_state=rng), ActivationLayer(activation),                               # S2
        Conv2d(6, 16, 5, table=C3_TABLE, input_size=(14, 14), random_state=rng), ActivationLayer(activation),  # C3
        Subsampling(16, 2, random_state=rng), ActivationLayer(activation),                              # S4
        Conv2d(16, 120, 5, input_size=(5, 5), random_state=rng), ActivationLayer(activation),           # C5
        Flatten(),
        Dense(120, 84, init="lecun", random_state=rng), ActivationLayer(activation),                    # F6
    ]
    if head == "rbf":
        layers.append(RBF())
        loss = "rbf_map"
    else:
        layers.append(Dense(84, 10, init="lecun", random_state=rng))
        loss = "cross_entropy"
    return Sequential(layers, input_shape=(1, 32, 32), loss=loss, eta=eta, batch_size=batch_size, epochs=epochs,
                      shuffle=shuffle, random_state=rng, dtype=dtype,
                      spec=f"lenet5;head={head};activation={activation};dtype={dtype_name(dtype)}")


def lenet5_input(X: Any) -> np.ndarray:
    """16x16 USPS images in [-1, 1] -> LeNet-5's 32x32 input.

    Each digit is enlarged to 28x28 (bilinear, ``scipy.ndimage.zoom``) and centred in a
    32x32 field, as the 28x28 MNIST digits were; then, as in LeCun et al. (1998), section
    III.A, the background maps to -0.1 and full ink to 1.175 (mean about 0, variance about 1).
    """
    from scipy.ndimage import zoom

    X = check_array(X, "X", ndim=3, owner="lenet5_input")
    if X.shape[1:] != (16, 16):
        raise ValueError(f"The 'X' parameter of lenet5_input must have shape (N, 16, 16). Got {X.shape} instead.")
    big = zoom(X, (1, 28 / 16, 28 / 16), order=1)                        # (N, 16, 16) -> (N, 28, 28)
    out = np.full((X.shape[0], 1, 32, 32), -1.0)
    out[:, 0, 2:30, 2:30] = np.clip(big, -1.0, 1.0)
    return -0.1 + (out + 1.0) / 2.0 * 1.275                                # [-1, 1] -> [-0.1, 1.175]


def build(spec: str) -> Sequential:
    """Rebuild an architecture from its ``spec`` (``"lecun1989;init=paper;activation=lecun_tanh"``)."""
    name, *pairs = spec.split(";")
    try:
        kwargs = dict(p.split("=", 1) for p in pairs)
    except ValueError:
        raise ValueError(f"The 'spec' parameter of build is unreadable: {spec!r}.") from None
    factories = {"lecun1989": (lecun1989, {"init", "activation", "dtype"}),
                 "lenet5": (lenet5, {"head", "activation", "dtype"})}
    if name not in factories or not set(kwargs) <= factories[name][1]:
        raise ValueError(f"The 'spec' parameter of build names an unknown network {spec!r}; known: "
                         f"{sorted(factories)}.")
    return factories[name][0](0, **kwargs)


def rebuild(text: str) -> Sequential:
    """The network a hand-built net's saved architecture describes (:mod:`annhist.cnn.architecture`), fresh weights."""
    layers, settings = architecture.read(text)
    try:
        return Sequential(layers, **settings)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"The architecture in this file cannot be rebuilt: {exc}") from None


def load_network(path: Any) -> Sequential:
    """Rebuild a network saved by :meth:`~annhist.cnn.persistence.WeightsIO.save` (its ``spec`` names the factory)."""
    spec, arrays = read_network_file(path)
    net = rebuild(spec) if spec.startswith("{") else build(spec)     # a hand-built net's JSON, or a factory
    try:
        net.set_weights(arrays)
    except ValueError as exc:
        raise ValueError(f"{str(path)!r} does not match its architecture: {exc}") from None
    net.n_epochs_ = -1                   # loaded: trained elsewhere
    return net
