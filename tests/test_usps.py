"""The USPS loader (public text format and .npz), its fallback, and `annhist data import usps`."""

import gzip
import os
from pathlib import Path

import numpy as np
import pytest
from conftest import CORRUPT_NPY_HEADERS, write_npz_with_header

from annhist.cli import main
from annhist.datasets import DataFallbackWarning, import_usps, usps
from annhist.datasets.usps import data_dir, read_usps_npz, read_usps_text

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "usps.npz"


def write_text(path, labels, seed=0, gz=True, mutate=None):
    """A small file in the public zip.train format: the label as '6.0000', then 256 grey values."""
    rng = np.random.default_rng(seed)
    lines = []
    for lab in labels:
        values = np.round(rng.uniform(-1, 1, 256), 3)
        lines.append(" ".join([f"{lab:.4f}"] + [f"{v:g}" for v in values]))
    if mutate:
        lines = mutate(lines)
    text = "\n".join(lines) + "\n"
    if gz:
        with gzip.open(path, "wt") as fh:
            fh.write(text)
    else:
        Path(path).write_text(text)
    return path


@pytest.fixture
def datadir(tmp_path, monkeypatch):
    d = tmp_path / "data"
    monkeypatch.setenv("ANNHIST_DATA", str(d))
    return d


def test_read_text_gz_and_plain(tmp_path):
    p = write_text(tmp_path / "zip.train.gz", [6, 5, 4], seed=1)
    X, y = read_usps_text(p)
    assert X.shape == (3, 16, 16) and X.dtype == np.float32 and y.tolist() == [6, 5, 4]
    # the first value of a row is pixel (0, 0), the 17th is pixel (1, 0): row-major
    first = np.round(np.random.default_rng(1).uniform(-1, 1, 256), 3)
    assert np.isclose(X[0, 0, 0], first[0]) and np.isclose(X[0, 1, 0], first[16])
    q = write_text(tmp_path / "zip.test", [0, 9], seed=1, gz=False)
    Xq, yq = read_usps_text(q)
    np.testing.assert_array_equal(Xq, X[:2])
    assert yq.tolist() == [0, 9]


@pytest.mark.parametrize("mutate, message", [
    (lambda ls: ls[:1] + [ls[1].rsplit(" ", 1)[0]], "line 2: expected a label and 256 values, got 256"),
    (lambda ls: ls[:1] + [ls[1].replace(" ", " x", 1)], "line 2: a field is not a number"),
    (lambda ls: [ls[0].replace("6.0000", "12.0000", 1)] + ls[1:], r"labels must be digits 0-9. Got \[12.0\]"),
    (lambda ls: [ls[0] + "0"] if False else [" ".join(ls[0].split()[:-1] + ["1.5"])] + ls[1:],
     r"grey values must lie in \[-1, 1\]"),
    (lambda ls: [" ".join(ls[0].split()[:-1] + ["nan"])] + ls[1:], "NaN"),
])
def test_read_text_refuses_malformed_rows(tmp_path, mutate, message):
    p = write_text(tmp_path / "zip.train.gz", [6, 5], mutate=mutate)
    with pytest.raises(ValueError, match=message):
        read_usps_text(p)


def test_read_text_refuses_corrupt_gzip(tmp_path):
    p = write_text(tmp_path / "zip.train.gz", [1, 2, 3])
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="not a readable USPS text file"):
        read_usps_text(p)


def test_npz_reader_checks_contents(tmp_path):
    X = np.zeros((4, 16, 16), np.float32)
    np.savez(tmp_path / "ok.npz", X_train=X, y_train=np.arange(4), X_test=X[:2].reshape(2, 256), y_test=[1, 2])
    (Xtr, ytr), (Xte, yte) = read_usps_npz(tmp_path / "ok.npz")
    assert Xte.shape == (2, 16, 16) and ytr.tolist() == [0, 1, 2, 3]
    np.savez(tmp_path / "few.npz", X_train=X, y_train=np.arange(4))
    with pytest.raises(ValueError, match=r"lacks the array\(s\) \['X_test', 'y_test'\]"):
        read_usps_npz(tmp_path / "few.npz")
    np.savez(tmp_path / "shape.npz", X_train=X[:, :8], y_train=np.arange(4), X_test=X, y_test=np.arange(4))
    with pytest.raises(ValueError, match=r"shape \(N, 16, 16\) or \(N, 256\). Got \(4, 8, 16\)"):
        read_usps_npz(tmp_path / "shape.npz")
    (tmp_path / "junk.npz").write_bytes(b"junk")
    with pytest.raises(ValueError, match="not a readable .npz file"):
        read_usps_npz(tmp_path / "junk.npz")


@pytest.mark.parametrize("header", CORRUPT_NPY_HEADERS)
def test_npz_reader_refuses_corrupt_array_headers(tmp_path, header):
    path = write_npz_with_header(tmp_path / "bad.npz", ["X_train", "y_train", "X_test", "y_test"], header)
    with pytest.raises(ValueError, match="not a (readable|valid USPS) .npz file"):
        read_usps_npz(path)


def test_usps_reads_text_files_from_the_data_folder(datadir):
    datadir.mkdir()
    write_text(datadir / "zip.train.gz", [1, 2, 3], seed=2)
    write_text(datadir / "zip.test.gz", [4, 5], seed=3)
    data = usps()
    (X, y), (Xt, yt) = data
    assert data.source == "usps" and not data.is_fallback
    assert X.shape == (3, 16, 16) and yt.tolist() == [4, 5]


def test_fallback_warns_and_says_so(datadir):
    with pytest.warns(DataFallbackWarning, match="8x8 digits enlarged to 16x16"):
        data = usps()
    (X, y), (Xt, yt) = data
    assert data.source == "sklearn-digits" and data.is_fallback and data.path is None
    assert X.shape == (1409, 16, 16) and Xt.shape == (388, 16, 16)
    assert X.min() == -1.0 and X.max() == 1.0                     # 0 -> -1 (paper), 16 -> +1 (ink)
    with pytest.raises(FileNotFoundError, match="were not found"):
        usps(fallback=False)


def test_data_dir_default_is_a_per_user_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("ANNHIST_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert data_dir() == tmp_path / "cache" / "annhist"


def test_import_copies_checked_files_atomically(datadir, tmp_path):
    src = tmp_path / "dl"
    src.mkdir()
    tr = write_text(src / "zip.train.gz", [1, 2, 3])
    te = write_text(src / "zip.test.gz", [7], seed=4)
    written = import_usps([te, tr], expected=None)                 # three and one digits: not the USPS set
    assert [p.name for p in written] == ["zip.train.gz", "zip.test.gz"]
    assert (datadir / "zip.train.gz").read_bytes() == tr.read_bytes()
    assert usps().source == "usps"
    # a bad test file: nothing is written, the previous copy stays
    bad = write_text(src / "zip.test.gz", [7], mutate=lambda ls: [ls[0][:50]])
    before = sorted(os.listdir(datadir))
    with pytest.raises(ValueError, match="expected a label and 256 values"):
        import_usps([tr, bad], expected=None)
    assert sorted(os.listdir(datadir)) == before
    assert (datadir / "zip.train.gz").read_bytes() == tr.read_bytes()


def test_import_refuses_ambiguous_or_wrong_counts(datadir, tmp_path):
    a = write_text(tmp_path / "a.gz", [1])
    b = write_text(tmp_path / "b.gz", [2])
    with pytest.raises(ValueError, match="Cannot tell the training file from the test file"):
        import_usps([a, b])
    with pytest.raises(ValueError, match=r"one .npz file or two text files \(train and test\). Got 3"):
        import_usps([a, b, a])
    assert not datadir.exists()


def test_import_refuses_digits_that_are_not_the_usps_set(datadir, tmp_path):
    # Any 256-value lines were imported as "the USPS digits", and the experiments then called them that.
    tr = write_text(tmp_path / "zip.train.gz", [1, 2])
    te = write_text(tmp_path / "zip.test.gz", [3])
    with pytest.raises(ValueError, match=r"2 training and 1 test digits are not the USPS digits \(7,291 and 2,007"):
        import_usps([tr, te])
    code = main(["data", "import", "usps", str(tr), str(te)])
    assert code == 2 and not datadir.exists()


def _as_if_usps(monkeypatch, tr, te):
    """Let the synthetic files pass as the USPS set: their digests become the expected ones."""
    from annhist.datasets import libsvm

    digests = tuple(libsvm.digits_sha256(*read_usps_text(p)) for p in (tr, te))
    monkeypatch.setattr(libsvm, "USPS_SHA256", digests)


def test_cli_data_import_and_info(datadir, tmp_path, capsys, monkeypatch):
    tr = write_text(tmp_path / "zip.train.gz", [1, 2])
    te = write_text(tmp_path / "zip.test.gz", [3])
    _as_if_usps(monkeypatch, tr, te)
    assert main(["data", "import", "usps", str(tr), str(te)]) == 0
    assert "imported" in capsys.readouterr().out
    assert main(["data", "info"]) == 0
    assert "zip.train.gz" in capsys.readouterr().out
    assert main(["data", "import", "usps", str(tmp_path / "missing.gz")]) == 2
    assert "No such file" in capsys.readouterr().err
    assert main(["data", "import", "mnist", str(tr)]) == 2
    assert main(["data"]) == 2


@pytest.mark.skipif(not SHARED.is_file(), reason="the real USPS set is not at ../shared/data/usps.npz")
def test_the_real_usps_file(tmp_path):
    (X, y), (Xt, yt) = usps(folder=SHARED.parent)
    assert X.shape == (7291, 16, 16) and Xt.shape == (2007, 16, 16)
    assert np.bincount(y).tolist() == [1194, 1005, 731, 658, 652, 556, 664, 645, 542, 644]
    assert np.bincount(yt).tolist() == [359, 264, 198, 166, 200, 160, 170, 147, 166, 177]
