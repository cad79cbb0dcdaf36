"""Hopfield's store/recall boundary after a user audit: messages that name store(), set_params, store replaces.

Each test fails on the code before the fix; valid input gives the same numbers as before.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from annhist.hopfield import Hopfield, hebb_weights

RNG = np.random.default_rng(0)
X50 = np.sign(RNG.standard_normal((3, 50)))
X60 = np.sign(RNG.standard_normal((2, 60)))


@pytest.mark.parametrize("call", [
    lambda net: net.recall([1, -1, 1, -1]),
    lambda net: net.energy([1, -1, 1, -1]),
    lambda net: net.overlaps([1, -1, 1, -1]),
])
def test_a_network_with_nothing_stored_names_store_not_fit(call):
    # It said "Call 'fit' with appropriate arguments", but Hopfield has no fit.
    with pytest.raises(NotFittedError, match="Call 'store'.*'set_weights'") as info:
        call(Hopfield(4))
    assert "'fit'" not in str(info.value)


def test_overlaps_after_set_weights_says_there_are_no_patterns():
    # After set_weights it also said "Call 'fit'"; the weights are there, the patterns are not.
    net = Hopfield(2).set_weights(np.zeros((2, 2)))
    with pytest.raises(NotFittedError, match="no stored patterns.*Call 'store'") as info:
        net.overlaps([1, 1])
    assert "'fit'" not in str(info.value)
    assert net.recall([1, 1]).shape == (2, 2)                             # the weights still work


def test_set_params_n_units_after_store_keeps_the_stored_network_and_says_so():
    # It said "state must have 60 units" while the weights were 50 x 50 (and a 60-unit state then
    # failed too). As in scikit-learn, set_params changes the parameters, not the fitted memory.
    net = Hopfield(50, random_state=0).store(X50)
    twin = Hopfield(50, random_state=0).store(X50)
    net.set_params(n_units=60)
    with pytest.raises(ValueError, match=r"must have 50 units .* stored for 50 units \(n_units was set to 60 "
                                         r"since: call 'store' or 'set_weights' again") as info:
        net.recall(np.ones(60))
    assert "'state'" in str(info.value) and "(60,)" in str(info.value)
    with pytest.raises(ValueError, match="stored for 50 units"):
        net.energy(np.ones(60))
    with pytest.raises(ValueError, match="stored for 50 units"):
        net.overlaps(np.ones((2, 60)))
    cue = X50[0].copy()
    cue[:5] *= -1
    np.testing.assert_array_equal(net.recall(cue), twin.recall(cue))     # the stored 50-unit memory, unchanged
    assert net.energy(cue) == twin.energy(cue)
    np.testing.assert_array_equal(net.overlaps(cue), twin.overlaps(cue))
    net.store(X60)                                                        # storing again uses the new size
    assert net.weights_.shape == (60, 60) and net.recall(X60[0]).shape[1] == 60
    with pytest.raises(ValueError, match=r"must have 60 units .* stored for 60 units\. Got shape \(50,\)"):
        net.recall(X50[0])


def test_a_state_of_the_wrong_size_without_set_params_keeps_the_plain_message():
    net = Hopfield(50).store(X50)
    with pytest.raises(ValueError, match=r"stored for 50 units\. Got shape \(4,\) instead\.$"):
        net.recall([1, -1, 1, -1])


def test_an_update_rule_set_after_store_is_checked_at_recall():
    # set_params(update="foo") after store ran the asynchronous dynamics silently.
    net = Hopfield(50, random_state=0).store(X50).set_params(update="foo")
    with pytest.raises(ValueError, match="'update'.*foo"):
        net.recall(X50[0])


def test_store_replaces_the_earlier_patterns_and_says_so():
    # store() replaced the earlier memories; its docstring did not say so.
    net = Hopfield(50).store(X50[:2]).store(X50[2:])
    np.testing.assert_array_equal(net.patterns_, X50[2:])
    np.testing.assert_array_equal(net.weights_, hebb_weights(X50[2:]))
    assert "replaces" in Hopfield.store.__doc__ and "np.vstack([net.patterns_, new])" in Hopfield.store.__doc__
    both = Hopfield(50).store(X50[:2])
    both.store(np.vstack([both.patterns_, X50[2:]]))                      # the documented way to add memories
    np.testing.assert_array_equal(both.weights_, hebb_weights(X50))


def test_valid_recall_gives_the_numbers_of_the_docstring_example():
    xi = np.array([[1, -1, 1, -1, 1, -1], [1, 1, 1, -1, -1, -1]])
    net = Hopfield(n_units=6, random_state=0).store(xi)
    np.testing.assert_array_equal(net.recall([1, -1, 1, -1, 1, 1])[-1], [1., -1., 1., -1., 1., -1.])
    np.testing.assert_array_equal(net.overlaps(xi), [[1.0, 1 / 3], [1 / 3, 1.0]])


# ----------------------------------------------------------------------------- the Boltzmann machine, likewise
def test_boltzmann_complete_after_set_params_uses_the_fitted_machine_and_says_so():
    # set_params(n_visible=3, n_hidden=0) after fitting 2 + 1 units read the 4 x 4 weights as 3 visible
    # units and completed a 3-unit pattern silently, with the hidden unit's weights as a visible one's.
    from annhist.hopfield import BoltzmannMachine

    def fitted():
        return BoltzmannMachine(n_visible=2, n_hidden=1, cycles=2, random_state=0).fit([[1.0, 0.0], [0.0, 1.0]])

    bm, twin = fitted(), fitted()
    assert bm.n_visible_ == 2
    bm.set_params(n_visible=3, n_hidden=0)
    with pytest.raises(ValueError, match=r"'visible' .* 2 units .* fitted with n_visible=2, n_hidden=1; "
                                         r"set_params changed them to 3, 0 since: call 'fit' again"):
        bm.complete([1, 0, 1], [True, False, False])
    with pytest.raises(ValueError, match=r"'clamped' .* shape \(2,\) \(the machine was fitted with n_visible=2"):
        bm.complete([1, 0], [True, False, False])
    np.testing.assert_array_equal(bm.complete([1, 0], [True, False]), twin.complete([1, 0], [True, False]))
    with pytest.raises(ValueError, match=r"must have 2 units on its last axis\. Got shape \(3,\) instead\.$"):
        twin.complete([1, 0, 1], [True, False, False])                   # unchanged parameters: the plain message


def test_a_net_too_large_for_its_weights_is_refused_not_allocated():
    # Hopfield(n_units=10**6).store(...) asked numpy for 7.28 TiB of weights (a MemoryError); hebb_weights of
    # 20,000-unit patterns for 3.2 GB. The N x N weights are held to MAX_WEIGHTS, as every layer's are.
    from annhist.hopfield import Hopfield, hebb_weights
    from annhist.hopfield.checks import MAX_UNITS

    assert MAX_UNITS == 11585 and MAX_UNITS ** 2 <= 2 ** 27 < (MAX_UNITS + 1) ** 2
    with pytest.raises(ValueError, match=r"The 'n_units' parameter of Hopfield must be <= 11585. Got 1000000"):
        Hopfield(n_units=10 ** 6).store(np.ones((1, 10 ** 6)))
    with pytest.raises(ValueError, match=r"'patterns' parameter of hebb_weights has 20,000 units.*at most 11,585"):
        hebb_weights(np.ones((1, 20000)))
    assert hebb_weights(np.ones((1, 3))).shape == (3, 3)


def test_an_encoder_too_large_for_its_links_is_refused_not_allocated():
    # encoder_patterns(10**9) and encoder_connectivity(n_hidden=10**9) were MemoryErrors (found by a probe that
    # calls every public function with a count of 10**9).
    from annhist.hopfield.encoder import encoder_connectivity, encoder_patterns

    with pytest.raises(ValueError, match=r"The 'n' parameter of encoder_patterns must be <= 8192. Got 1000000000"):
        encoder_patterns(10 ** 9)
    with pytest.raises(ValueError, match=r"encoder_connectivity ask for 1,000,000,009 units.*Got 4 and 1000000000"):
        encoder_connectivity(4, 10 ** 9)
    assert encoder_patterns(8192).shape == (8192, 16384) and encoder_connectivity().shape == (11, 11)


def test_recall_takes_one_weight_check_not_one_per_update():
    # Each asynchronous update re-checked the whole N x N matrix (symmetry, zero diagonal: O(N^2) and three
    # N x N temporaries), so a sweep cost O(N^3): 8 s at N = 1,000, about an hour at the allowed 11,585 units.
    # The weights are checked when stored; recall takes the unchecked step, with the same numbers.
    from conftest import within

    from annhist.hopfield import async_update

    xi = np.sign(np.random.default_rng(1).standard_normal((5, 1500)))
    net = Hopfield(n_units=1500, random_state=0).store(xi)
    start = xi[0].copy()
    start[:300] *= -1
    with within(2):
        path = net.recall(start, steps=3)
    np.testing.assert_array_equal(path[-1], xi[0])
    s = start = X50[0].copy()                                              # the public step gives the same sweep
    start[:10] *= -1
    net = Hopfield(n_units=50, random_state=0).store(X50)
    for i in np.random.default_rng(0).permutation(50):
        s = async_update(net.weights_, s, int(i))
    np.testing.assert_array_equal(net.recall(start, steps=1)[1], s)


def test_full_connectivity_is_held_to_the_units_of_a_machine(monkeypatch):
    # full_connectivity(10**6) asked numpy for a 931 GiB mask (a MemoryError); n + 1 units are at most MAX_UNITS,
    # as BoltzmannMachine's N x N weights are
    from annhist.hopfield import boltzmann

    with pytest.raises(ValueError, match=r"The 'n_units' parameter of full_connectivity must be <= 11584\. "
                                         r"Got 1000000 instead\."):
        boltzmann.full_connectivity(10 ** 6)
    monkeypatch.setattr(boltzmann, "MAX_UNITS", 5)
    assert boltzmann.full_connectivity(4).shape == (5, 5)
    with pytest.raises(ValueError, match=r"must be <= 4\. Got 5 instead\."):
        boltzmann.full_connectivity(5)


def test_encoder_sizes_given_as_numpy_ints_do_not_wrap_around():
    # 1 + 2 n + n_hidden units, squared, in int64 arithmetic wrapped around for n = np.int64(2**62): the link cap
    # passed and the mask's list of 2**62 groups was a MemoryError
    from annhist.hopfield.encoder import encoder_connectivity

    with pytest.raises(ValueError, match=r"encoder_connectivity ask for 9,223,372,036,854,775,810 units"):
        encoder_connectivity(np.int64(2 ** 62), 1)


def test_encoder_codes_holds_its_chains_to_max_weights(monkeypatch):
    # encoder_codes(W, rng, n_samples=10**9) asked numpy for 328 GiB of chain states (a MemoryError)
    from annhist.hopfield import encoder

    W = np.zeros((1, 11, 11))
    with pytest.raises(ValueError, match=r"'n_samples' parameter of encoder_codes asks for 1 x 4,000,000,000 chains "
                                         r"of 11 units; at most 134,217,728 numbers\. Got n_samples=1000000000"):
        encoder.encoder_codes(W, np.random.default_rng(0), n_samples=10 ** 9)
    monkeypatch.setattr(encoder, "MAX_WEIGHTS", 4 * 8 * 11)                 # the default 8 samples of 4 patterns
    codes, answers = encoder.encoder_codes(W, np.random.default_rng(0))
    assert codes.shape == (1, 4, 2) and answers.shape == (1, 4)
    with pytest.raises(ValueError, match=r"asks for 1 x 36 chains of 11 units; at most 352 numbers"):
        encoder.encoder_codes(W, np.random.default_rng(0), n_samples=9)
    monkeypatch.setattr(encoder, "MAX_WEIGHTS", 4 * 8 * 11 - 1)             # train_encoders refuses before training
    with pytest.raises(ValueError, match=r"train_encoders ask for 1 machines of 11 units, 352 weights or test chains'"):
        encoder.train_encoders(1, 1, 0)
