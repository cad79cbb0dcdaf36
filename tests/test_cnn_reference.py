"""annhist.cnn.reference, the textbook convolution the fast layer is held to: bad input is refused naming it."""

from __future__ import annotations

import numpy as np
import pytest

from annhist.cnn.reference import conv2d_reference, conv2d_reference_grads


@pytest.mark.parametrize("call, param", [
    (lambda: conv2d_reference("x", np.ones((1, 1, 3, 3))), "x"),        # was an AttributeError
    (lambda: conv2d_reference(np.ones((1, 1, 5, 5)), None), "W"),
    (lambda: conv2d_reference(np.ones((1, 1, 5, 5)), np.ones((2, 3, 3, 3))), "W"),   # channels differ: a numpy error
    (lambda: conv2d_reference(np.ones((1, 1, 5, 5)), np.ones((2, 1, 7, 7))), "W"),   # kernel larger than the image
    (lambda: conv2d_reference(np.ones((1, 1, 5, 5)), np.ones((2, 1, 3, 3)), stride=0), "stride"),  # ZeroDivisionError
    (lambda: conv2d_reference(np.ones((1, 1, 5, 5)), np.ones((2, 1, 3, 3)), padding=-1), "padding"),
    (lambda: conv2d_reference(np.ones((1, 1, 5, 5)), np.ones((2, 1, 3, 3)), pad_value=np.nan), "pad_value"),
    (lambda: conv2d_reference(np.ones((1, 1, 5, 5)), np.ones((2, 1, 3, 3)), b=np.ones(3)), "b"),  # a broadcast error
    (lambda: conv2d_reference(np.full((1, 1, 5, 5), np.inf), np.ones((2, 1, 3, 3))), "x"),   # a silent inf
    (lambda: conv2d_reference_grads(np.ones((1, 1, 5, 5)), np.ones((2, 1, 3, 3)), np.ones((1, 2, 2, 2))), "g"),
    (lambda: conv2d_reference_grads(np.ones((1, 1, 5, 5)), np.ones((2, 1, 3, 3)), "g"), "g"),
])
def test_reference_convolution_refuses_bad_input_naming_it(call, param):
    with pytest.raises((ValueError, TypeError), match=f"'{param}'"):
        call()


def test_reference_convolution_keeps_float32_and_reads_lists():
    x, W = np.ones((1, 1, 4, 4), np.float32), np.ones((2, 1, 3, 3), np.float32)
    assert conv2d_reference(x, W).dtype == np.float32
    np.testing.assert_array_equal(conv2d_reference(x.tolist(), W.tolist(), b=[1.0, 2.0])[0, :, 0, 0], [10.0, 11.0])
