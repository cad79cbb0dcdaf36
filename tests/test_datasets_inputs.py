"""Bad input to annhist.datasets: refused with the parameter's name; good input as before."""

import numpy as np
import pytest

from annhist.datasets import flip_pixels, iris, letters, linearly_separable
from annhist.datasets.libsvm import digits_sha256, libsvm_to_pixels, write_esl_text
from annhist.datasets.separable import MAX_VALUES
from annhist.datasets.usps import read_usps_text


def _digits(n, seed=0):
    rng = np.random.default_rng(seed)
    return np.round(rng.uniform(-1, 1, (n, 16, 16)), 3).astype(np.float32), rng.integers(0, 10, n).astype(np.uint8)


@pytest.mark.parametrize("X, y, exc, needle", [
    (np.zeros((3, 256)), np.zeros(2), ValueError, "'X' and 'y' parameters of write_esl_text must have the same"),
    (np.full((2, 256), np.nan), np.zeros(2), ValueError, "'X' parameter of write_esl_text contains 512 NaN"),
    (np.zeros((2, 255)), np.zeros(2), ValueError, "'X' parameter of write_esl_text must hold 256 grey values"),
    (np.full((2, 256), 2.0), np.zeros(2), ValueError, "'X' parameter of write_esl_text must hold grey values in"),
    (np.zeros((2, 256)), np.array([0, 10]), ValueError, "'y' parameter of write_esl_text must hold digits 0-9"),
    (np.zeros((2, 256)), np.array([0, 1.5]), ValueError, "'y' parameter of write_esl_text must hold digits 0-9"),
    (np.zeros((2, 256)), None, TypeError, "'y' parameter of write_esl_text"),
])
def test_write_esl_text_refuses_what_would_be_a_corrupt_file(tmp_path, X, y, exc, needle):
    # a length mismatch wrote a corrupt file (reshape to len(y) rows), NaN wrote "nan"
    with pytest.raises(exc, match=needle):
        write_esl_text(tmp_path / "zip.train", X, y)
    assert not (tmp_path / "zip.train").exists()
    with pytest.raises(TypeError, match="'path' parameter of write_esl_text"):
        write_esl_text(None, np.zeros((1, 256)), np.zeros(1))


def test_write_esl_text_writes_as_before_and_reads_back(tmp_path):
    X, y = _digits(4)
    path = write_esl_text(tmp_path / "zip.train", X, y)
    first = path.read_text().splitlines()[0].split()
    assert len(first) == 257 and first[0] == f"{y[0]:.4f}" and first[1] == f"{X[0, 0, 0]:.4f}"
    Xr, yr = read_usps_text(path)
    np.testing.assert_array_equal(yr, y)
    np.testing.assert_allclose(Xr, X, atol=5e-5)
    assert digits_sha256(Xr, yr) == digits_sha256(X, y) == digits_sha256(X.reshape(4, 256), y.tolist())


@pytest.mark.parametrize("X, y, needle", [
    (np.zeros((3, 256)), np.zeros(2), "'X' and 'y' parameters of digits_sha256"),    # hashed 2 rows of 384
    (np.full((1, 256), 40.0), np.zeros(1), "'X' parameter of digits_sha256 must hold grey values"),   # int16 wrap
    (np.zeros((1, 256)), np.array([-1]), "'y' parameter of digits_sha256 must hold digits"),           # uint8 wrap
])
def test_digits_sha256_refuses_what_it_would_hash_wrongly(X, y, needle):
    with pytest.raises(ValueError, match=needle):
        digits_sha256(X, y)


def test_libsvm_to_pixels_still_tries_every_scaling():
    X, y = _digits(5)
    X[0, 0, :2] = -1.0, 1.0                                  # the training set spans [-1, 1], as USPS does
    Xt, yt = _digits(3, seed=1)
    expected = (digits_sha256(X, y), digits_sha256(Xt, yt))
    L, Lt = (A.reshape(len(A), 256).astype(np.float64) + 1.0 for A in (X, Xt))       # the set mapped to [0, 2]
    X2, Xt2, scaling = libsvm_to_pixels((L, y), (Lt, yt), expected)          # "as written" is out of range
    assert scaling == "one range"
    np.testing.assert_allclose(X2, X, atol=1e-6)


@pytest.mark.parametrize("X", [np.zeros((2, 9)), np.full((2, 9), 0.5), np.array([[1.0, -1.0, 0.0]])])
def test_flip_pixels_refuses_what_is_not_pm1_coded(X):
    # a 0/1 pattern came back unchanged (-0 = 0), 0.5 became -0.5
    with pytest.raises(ValueError, match="'X' parameter of flip_pixels must be \\+-1 coded"):
        flip_pixels(X, 2, random_state=0)


def test_flip_pixels_as_before():
    X = letters(("T", "J"), shifts=True)[0]
    Xn = flip_pixels(X, 3, random_state=0)
    rng = np.random.default_rng(0)
    expected = X.copy()
    for row in expected:
        idx = rng.choice(16, size=3, replace=False)
        row[idx] = -row[idx]
    np.testing.assert_array_equal(Xn, expected)


def test_linearly_separable_caps_its_size():
    # 10**12 samples was a MemoryError
    for n, d in ((10**12, 2), (10, 10**12)):
        with pytest.raises(ValueError, match="'n_samples' and 'n_features' parameters of linearly_separable"):
            linearly_separable(n, d, random_state=0)
    assert MAX_VALUES == 2**24
    X, y = linearly_separable(40, 3, margin=0.05, random_state=0)
    assert X.shape == (40, 3) and set(y.tolist()) == {-1, 1}


@pytest.mark.parametrize("kwargs, param", [({"features": ()}, "features"), ({"features": []}, "features"),
                                           ({"classes": ()}, "classes")])
def test_iris_refuses_an_empty_selection(kwargs, param):
    # features=() was a (150, 0) X, classes=() no flowers at all
    with pytest.raises(ValueError, match=f"'{param}'"):
        iris(**kwargs)


def test_iris_selects_as_before():
    X, y = iris()
    Xs, ys = iris(classes=("setosa", "versicolor"), features=(2, 3))
    np.testing.assert_array_equal(Xs, X[:100][:, [2, 3]])
    assert X.shape == (150, 4) and ys.tolist() == y[:100].tolist()


@pytest.mark.parametrize("name", ["retina_shapes", "retina_letters", "retina_left_right"])
def test_a_retina_set_too_large_is_refused_not_allocated(name):
    # retina_shapes(10**10) asked numpy for 74.5 GiB (a MemoryError): the images are held to MAX_VALUES
    # numbers, as linearly_separable's are (41,943 images of 20 x 20).
    import annhist.datasets as datasets

    make = getattr(datasets, name)
    with pytest.raises(ValueError, match=rf"The 'n_samples' parameter of {name} must be <= 41943. Got 10000000000"):
        make(10 ** 10)
    assert make(4)[0].shape == (4, 20, 20)


def test_a_square_has_the_side_its_docstring_says_even_for_odd_sizes():
    # The mutation audit found that sizes 5, 7, 9 draw sides 4, 6, 8 while the docstring said "side size":
    # the docstring now says so (a square centred on a grid corner has an even side); no number changed.
    from annhist.datasets.retina import draw_shape

    for size in range(2, 17):
        img = draw_shape("square", size)
        side = size - size % 2
        assert img.sum() == side * side and img[10 - side // 2:10 + side // 2, 10 - side // 2:10 + side // 2].all()
