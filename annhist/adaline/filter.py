"""1975: LMS as an adaptive filter -- Widrow's adaptive noise canceller.

The adaptive linear combiner of ADALINE found its main use in signal processing. In the
noise canceller of Widrow et al. (1975) a *primary* input ``d_t = s_t + n0_t`` carries a
signal ``s`` corrupted by noise ``n0``; a *reference* input ``x_t`` carries noise that is
correlated with ``n0`` in some unknown way but not with ``s``. A tapped delay line feeds
the last ``n_taps`` reference samples ``X_t = (x_t, x_{t-1}, ..., x_{t-n_taps+1})`` to a
linear combiner whose output ``y_t = w . X_t`` estimates ``n0_t``; the system output is the
error

    e_t = d_t - y_t,      w <- w + eta e_t X_t                   (the LMS rule)

Minimizing the power of ``e`` cannot reduce the signal (it is uncorrelated with ``X``), so
it removes as much of the noise as a linear filter of the reference can: ``e`` is the
cleaned signal. The update is :func:`annhist.adaline.lms.lms_update` with ``d_t`` as the
desired response; the combiner has no bias weight.

References
----------
B. Widrow, J. R. Glover, J. M. McCool, J. Kaunitz, C. S. Williams, R. H. Hearn, J. R. Zeidler,
E. Dong and R. C. Goodlin, "Adaptive noise cancelling: principles and applications",
Proceedings of the IEEE 63(12):1692-1716 (1975).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from annhist.adaline.lms import lms_update
from annhist.layers import MAX_WEIGHTS
from annhist.validation import check_array, check_scalar

__all__ = ["NoiseCancellation", "noise_canceller", "snr_db"]


@dataclass(frozen=True)
class NoiseCancellation:
    """The result of :func:`noise_canceller`.

    ``output`` is the system output ``e`` (the cleaned signal), ``noise_estimate`` the
    combiner output ``y``, ``weights`` the final tap weights, ``weight_history`` the weights
    after every sample, shape (n_samples, n_taps).
    """

    output: np.ndarray
    noise_estimate: np.ndarray
    weights: np.ndarray
    weight_history: np.ndarray


def noise_canceller(primary: np.ndarray, reference: np.ndarray, n_taps: int, eta: float) -> NoiseCancellation:
    """Run Widrow's adaptive noise canceller over two sampled signals, one LMS step per sample.

    Parameters
    ----------
    primary : array of shape (n_samples,)
        Signal plus noise, ``d_t = s_t + n0_t``.
    reference : array of shape (n_samples,)
        Noise correlated with ``n0`` (not with ``s``).
    n_taps : int
        Length of the tapped delay line (the combiner's number of weights). ``n_samples * n_taps``
        (the weight history) is at most :data:`annhist.initializers.MAX_WEIGHTS`.
    eta : float
        LMS step size; small enough for stability, about ``eta < 2 / (n_taps * power of reference)``.

    Returns
    -------
    NoiseCancellation
    """
    owner = "noise_canceller"
    d = check_array(primary, "primary", ndim=1, owner=owner)
    x = check_array(reference, "reference", ndim=1, owner=owner)
    if x.shape != d.shape:
        raise ValueError(f"The 'primary' and 'reference' parameters of {owner} must have the same length. "
                         f"Got {d.shape[0]} and {x.shape[0]} instead.")
    check_scalar(n_taps, "n_taps", owner=owner, kind=numbers.Integral, min_val=1, max_val=d.shape[0])
    check_scalar(eta, "eta", owner=owner, min_val=0, include_min=False)
    n_taps = int(n_taps)                                         # a Python int: numpy int64 products wrap
    if d.shape[0] * n_taps > MAX_WEIGHTS:                        # the weight history: 10**5 x 10**5 was 75 GiB
        raise ValueError(f"The 'n_taps' parameter of {owner} is {n_taps:,} on {d.shape[0]:,} samples: the weight "
                         f"history (one row of n_taps weights per sample) would hold {d.shape[0] * n_taps:,} numbers, "
                         f"more than MAX_WEIGHTS = {MAX_WEIGHTS:,}. Use fewer taps or a shorter signal.")
    padded = np.concatenate([np.zeros(n_taps - 1), x])          # zeros before the first sample
    w = np.zeros(n_taps)
    e, y = np.empty_like(d), np.empty_like(d)
    history = np.empty((d.shape[0], n_taps))
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(d.shape[0]):
            X_t = padded[t:t + n_taps][::-1]                     # (x_t, x_{t-1}, ..., x_{t-n_taps+1})
            y[t] = w @ X_t                                       # the combiner's estimate of n0_t
            e[t] = d[t] - y[t]                                   # system output = error
            w = lms_update(w, X_t, d[t], eta)                    # w <- w + eta e_t X_t
            history[t] = w
    tail = np.abs(e[-max(1, e.shape[0] // 10):])
    if not np.all(np.isfinite(w)) or not np.all(tail <= 1e3 * (np.max(np.abs(d)) + np.finfo(float).tiny)):
        raise ValueError(f"The 'eta' parameter of {owner} is too large: the weights diverged (eta={eta!r}). "
                         f"Lower eta (about 2 / (n_taps * power of the reference) or less).")
    return NoiseCancellation(output=e, noise_estimate=y, weights=w, weight_history=history)


def snr_db(signal: np.ndarray, observed: np.ndarray) -> float:
    """Signal-to-noise ratio of ``observed`` as an estimate of ``signal``, in decibels:
    ``10 log10(sum s^2 / sum (observed - s)^2)``.

    Finite or refused: a ``signal`` of zero power, an ``observed`` equal to it (no noise: the
    ratio is infinite), and values whose squares overflow float64 raise ``ValueError``.
    """
    s = check_array(signal, "signal", ndim=1, owner="snr_db")
    o = check_array(observed, "observed", ndim=1, owner="snr_db")
    if s.shape != o.shape:
        raise ValueError(f"The 'signal' and 'observed' parameters of snr_db must have the same length. "
                         f"Got {s.shape[0]} and {o.shape[0]} instead.")
    with np.errstate(over="ignore", invalid="ignore"):
        power, noise = np.sum(s ** 2), np.sum((o - s) ** 2)
    for name, value in (("signal", power), ("observed", noise)):
        if not np.isfinite(value):
            raise ValueError(f"The '{name}' parameter of snr_db holds values too large: the sum of squares "
                             f"overflows float64. Rescale both signals.")
    if power == 0:
        raise ValueError("The 'signal' parameter of snr_db is all zeros (or underflows): its power is 0, so "
                         "the ratio is 0 and its decibels -inf.")
    if noise == 0:
        raise ValueError("The 'observed' parameter of snr_db equals 'signal' (to float64 precision): the noise "
                         "power is 0, so the ratio is infinite.")
    with np.errstate(over="ignore", under="ignore"):
        ratio = power / noise
    if not 0 < ratio < np.inf:
        raise ValueError(f"The 'signal' and 'observed' parameters of snr_db give a power ratio beyond float64's "
                         f"range ({power:.3g} / {noise:.3g}).")
    return float(10 * np.log10(ratio))
