"""`annhist data fetch usps` end to end against a local HTTP server, and the formats it reads.

The archives are built here: synthetic digits for the download paths (no ../shared needed),
and ../shared/data/usps.npz (skipped when absent) for what matters most: in the exact public
formats the real set reads back identical, with the digests recorded in annhist.datasets.fetch.
"""

import bz2
import functools
import gzip
import hashlib
import http.server
import shutil
import socket
import threading
from pathlib import Path

import numpy as np
import pytest

from annhist.cli import main
from annhist.datasets import fetch, libsvm, usps
from annhist.datasets.fetch import FetchError, Source, digits_sha256, fetch_usps
from annhist.datasets.usps import read_usps_text

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "usps.npz"
needs_shared = pytest.mark.skipif(not SHARED.is_file(), reason="the real USPS set is not at ../shared/data/usps.npz")


# ----------------------------------------------------------------------------- archives
def _short(v: float) -> str:
    """A grey value as R writes zip.test: shortest form, '-1', '0.29', '1'."""
    text = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def esl_text(X, y, style):
    """The ESL text formats: zip.train '6.0000 -1.0000 ... -0.6310', zip.test '9 -1 ... -0.948'."""
    X = np.asarray(X, dtype=np.float64).reshape(len(y), 256)
    if style == "train":
        return "".join(f"{lab:.4f} " + " ".join(f"{v:.4f}" for v in row) + "\n" for lab, row in zip(y, X))
    return "".join(f"{lab:d} " + " ".join(_short(v) for v in row) + "\n" for lab, row in zip(y, X))


def libsvm_text(L, y):
    """LIBSVM's format: label 1-10, then index:value, zeros left out (sparse)."""
    L = np.asarray(L, dtype=np.float64).reshape(len(y), 256)
    return "".join(f"{int(lab) + 1} " + " ".join(f"{j + 1}:{v:.6f}" for j, v in enumerate(row) if v != 0) + "\n"
                   for lab, row in zip(y, L))


def synthetic(n, seed):
    """n digits of random ink on paper: grey values in thousandths spanning [-1, 1], most pixels -1."""
    rng = np.random.default_rng(seed)
    X = np.where(rng.random((n, 256)) < 0.7, -1.0, np.round(rng.uniform(-1, 1, (n, 256)), 3))
    X[0, 100] = 1.0                                                         # full ink somewhere, as in USPS
    return X.reshape(n, 16, 16).astype(np.float32), rng.integers(0, 10, n).astype(np.uint8)


@pytest.fixture(scope="module")
def digits():
    (X, y), (Xt, yt) = synthetic(40, 1), synthetic(15, 2)
    return (X, y), (Xt, yt), (digits_sha256(X, y), digits_sha256(Xt, yt))


@pytest.fixture
def served(tmp_path):
    """(folder, base URL): a local HTTP server on 127.0.0.1 serving the folder."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}/data/"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def down_url():
    """A URL on 127.0.0.1 where nothing listens (a port just released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/data/"


def put_esl(root, train, test):
    (root / "data").mkdir(exist_ok=True)
    for name, (X, y), style in (("zip.train.gz", train, "train"), ("zip.test.gz", test, "test")):
        (root / "data" / name).write_bytes(gzip.compress(esl_text(X, y, style).encode()))


def put_libsvm(root, train, test, scale=lambda X: X):
    (root / "data").mkdir(exist_ok=True)
    hashes = []
    for name, (X, y) in (("usps.bz2", train), ("usps.t.bz2", test)):
        data = bz2.compress(libsvm_text(scale(np.asarray(X, np.float64)), y).encode())
        (root / "data" / name).write_bytes(data)
        hashes.append((name, "sha256:" + hashlib.sha256(data).hexdigest()))
    return tuple(hashes)


def quiet(_line):
    pass


# ----------------------------------------------------------------------------- the download paths
def test_fetch_from_the_esl_page_installs_files_the_loader_reads(served, digits, tmp_path):
    root, url = served
    train, test, expected = digits
    put_esl(root, train, test)
    dest = tmp_path / "data"
    written = fetch_usps(dest, sources=[Source("ESL", url, "esl", fetch.ESL_FILES)], expected=expected, say=quiet)
    assert [p.name for p in written] == ["zip.train.gz", "zip.test.gz"]
    assert (dest / "zip.train.gz").read_bytes() == (root / "data" / "zip.train.gz").read_bytes()
    data = usps(folder=dest, fallback=False)
    assert data.source == "usps" and data.name == "USPS"
    np.testing.assert_array_equal(data[0][0], train[0])
    np.testing.assert_array_equal(data[1][1], test[1])
    assert sorted(p.name for p in dest.iterdir()) == ["zip.test.gz", "zip.train.gz"]   # no temporary files


def test_a_source_that_is_down_falls_through_to_the_libsvm_mirror(served, down_url, digits, tmp_path):
    root, url = served
    train, test, expected = digits
    files = put_libsvm(root, train, test, scale=lambda X: X + 1.0)          # stored in [0, 2]
    lines = []
    dest = tmp_path / "data"
    sources = [Source("ESL", down_url, "esl", fetch.ESL_FILES), Source("LIBSVM", url, "libsvm", files)]
    written = fetch_usps(dest, sources=sources, expected=expected, say=lines.append)
    assert [p.name for p in written] == ["zip.train", "zip.test"]        # converted to the ESL text format
    assert any("ESL failed: cannot reach 127.0.0.1" in s for s in lines)
    assert any("one range" in s for s in lines)
    (X, y), (Xt, yt) = usps(folder=dest, fallback=False)
    np.testing.assert_array_equal(X, train[0])
    np.testing.assert_array_equal(Xt, test[0])
    assert y.tolist() == train[1].tolist() and yt.tolist() == test[1].tolist()


def test_a_file_with_the_wrong_hash_is_refused_and_nothing_is_installed(served, digits, tmp_path):
    root, url = served
    train, test, expected = digits
    files = put_libsvm(root, train, test)
    wrong = ((files[0][0], "sha256:" + "0" * 64), files[1])
    dest = tmp_path / "data"
    with pytest.raises(FetchError, match=r"usps.bz2 does not have the pinned hash .* refused"):
        fetch_usps(dest, sources=[Source("LIBSVM", url, "libsvm", wrong)], expected=expected, say=quiet)
    assert not dest.exists()


def test_digits_that_differ_are_refused_and_a_previous_copy_stays(served, digits, tmp_path):
    root, url = served
    train, test, expected = digits
    dest = tmp_path / "data"
    put_esl(root, train, test)
    fetch_usps(dest, sources=[Source("ESL", url, "esl", fetch.ESL_FILES)], expected=expected, say=quiet)
    before = {p.name: p.read_bytes() for p in dest.iterdir()}
    X = train[0].copy()
    X[3, 4, 5] = 0.5 if X[3, 4, 5] != 0.5 else -0.5                    # one pixel of one digit changed
    put_esl(root, (X, train[1]), test)
    with pytest.raises(FetchError, match="40 training and 15 test digits are not the USPS digits.*refused"):
        fetch_usps(dest, sources=[Source("ESL", url, "esl", fetch.ESL_FILES)], expected=expected, say=quiet)
    assert {p.name: p.read_bytes() for p in dest.iterdir()} == before
    files = put_libsvm(root, (X, train[1]), test)                          # the mirror has the same fault
    with pytest.raises(FetchError, match="not the USPS digits under any known scaling"):
        fetch_usps(dest, sources=[Source("LIBSVM", url, "libsvm", files)], expected=expected, say=quiet)
    assert {p.name: p.read_bytes() for p in dest.iterdir()} == before


def test_cli_with_every_server_down_says_what_to_do_in_one_line(down_url, tmp_path, capsys):
    dest = tmp_path / "data"
    code = main(["data", "fetch", "usps", "--data-dir", str(dest), "--esl-url", down_url, "--libsvm-url", down_url])
    assert code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: annhist data fetch usps: could not get the USPS digits")
    assert "ESL: cannot reach 127.0.0.1" in err and "LIBSVM: cannot reach 127.0.0.1" in err
    assert "annhist data import usps zip.train.gz zip.test.gz" in err and str(dest) in err
    assert "Traceback" not in err
    assert not dest.exists()


def test_cli_http_404_is_a_clear_failure(served, tmp_path, capsys):
    _, url = served                                                         # serves nothing
    code = main(["data", "fetch", "usps", "--data-dir", str(tmp_path / "d"), "--esl-url", url,
                 "--libsvm-url", url])
    assert code == 1
    assert "zip.train.gz answered HTTP 404" in capsys.readouterr().err


def test_cli_does_nothing_when_the_digits_are_installed(digits, tmp_path, capsys, down_url):
    (X, y), (Xt, yt), _ = digits
    dest = tmp_path / "data"
    dest.mkdir()
    np.savez(dest / "usps.npz", X_train=X, y_train=y, X_test=Xt, y_test=yt)
    assert main(["data", "fetch", "usps", "--data-dir", str(dest), "--esl-url", down_url]) == 0
    assert "already installed" in capsys.readouterr().out
    assert main(["data", "fetch", "usps", "--data-dir", str(dest), "--force", "--esl-url", down_url,
                 "--libsvm-url", down_url]) == 1
    assert (dest / "usps.npz").is_file()                                    # a failed --force keeps the copy


def test_base_urls_come_from_arguments_then_environment_then_defaults(monkeypatch):
    monkeypatch.delenv("ANNHIST_USPS_ESL_URL", raising=False)
    monkeypatch.setenv("ANNHIST_USPS_LIBSVM_URL", "http://mirror.example/u/")
    esl, libsvm = fetch.default_sources()
    assert esl.url("zip.train.gz") == "https://hastie.su.domains/ElemStatLearn/datasets/zip.train.gz"
    assert libsvm.url("usps.bz2") == "http://mirror.example/u/usps.bz2"
    esl, _ = fetch.default_sources(esl_url="http://127.0.0.1:1/x")
    assert esl.url("zip.test.gz") == "http://127.0.0.1:1/x/zip.test.gz"
    assert libsvm.files[0][1].startswith("sha256:3771e9dd") and esl.files == fetch.ESL_FILES


# ----------------------------------------------------------------------------- formats and scalings
def test_libsvm_reader_reads_sparse_lines_and_refuses_bad_ones(tmp_path):
    p = tmp_path / "u.bz2"
    p.write_bytes(bz2.compress(b"10 1:-1 3:0.5 256:1\n1 2:-0.25\n\n"))
    L, y = libsvm.read_libsvm(p)
    assert y.tolist() == [9, 0] and L.shape == (2, 256)
    assert L[0, 0] == -1 and L[0, 1] == 0 and L[0, 2] == 0.5 and L[0, 255] == 1 and L[1, 1] == -0.25
    for bad, message in ((b"11 1:0\n", "label 11 not in 1-10"), (b"3 257:0\n", "not in 1-256"),
                         (b"3 1=0\n", "not 'label index:value")):
        p.write_bytes(bad)
        with pytest.raises(ValueError, match=message):
            libsvm.read_libsvm(p)


def test_a_rescaled_copy_is_converted_back_and_a_distorted_one_refused(digits):
    (X, y), (Xt, yt), expected = digits
    L, Lt = (np.asarray(A, np.float64).reshape(len(A), 256) * 0.5 + 0.2 for A in (X, Xt))   # some affine map
    Xa, Xta, how = libsvm.libsvm_to_pixels((L, y), (Lt, yt), expected)
    assert how == "one range"
    np.testing.assert_array_equal(Xa, X)
    np.testing.assert_array_equal(Xta, Xt)
    with pytest.raises(ValueError, match="under any known scaling"):
        libsvm.libsvm_to_pixels((L * L, y), (Lt, yt), expected)                  # not affine: refused


@pytest.fixture(scope="module")
def real():
    if not SHARED.is_file():
        pytest.skip("the real USPS set is not at ../shared/data/usps.npz")
    with np.load(SHARED, allow_pickle=False) as d:
        return (d["X_train"], d["y_train"]), (d["X_test"], d["y_test"])


@pytest.fixture(scope="module")
def real_esl(real, tmp_path_factory):
    """The real set written as zip.train.gz / zip.test.gz in the public formats (made once)."""
    folder = tmp_path_factory.mktemp("esl") / "data"
    folder.mkdir()
    for (X, y), style in zip(real, ("train", "test")):
        (folder / f"zip.{style}.gz").write_bytes(gzip.compress(esl_text(X, y, style).encode()))
    return folder


@needs_shared
def test_the_real_set_in_the_exact_esl_formats_reads_back_identical_with_the_recorded_digests(real, real_esl):
    for (X, y), style in zip(real, ("train", "test")):
        Xr, yr = read_usps_text(real_esl / f"zip.{style}.gz")
        np.testing.assert_array_equal(Xr, X)
        np.testing.assert_array_equal(yr, y)
    assert (digits_sha256(*real[0]), digits_sha256(*real[1])) == fetch.USPS_SHA256


@needs_shared
@pytest.mark.parametrize("how, scale", [
    ("as written", lambda X, Xtr: X + np.random.default_rng(0).uniform(-4e-4, 4e-4, X.shape)),   # more decimals
    ("one range", lambda X, Xtr: (X + 1.0) * 127.5),                                              # [0, 255]
    ("per pixel", lambda X, Xtr: -1 + 2 * (X - Xtr.min(0)) / (Xtr.max(0) - Xtr.min(0))),          # svm-scale
])
def test_libsvm_scalings_convert_back_to_the_esl_pixels(real, how, scale):
    (X, y), (Xt, yt) = real
    Xtr = X.reshape(-1, 256).astype(np.float64)
    L, Lt = (scale(A.reshape(-1, 256).astype(np.float64), Xtr) for A in (X, Xt))
    Xa, Xta, found = libsvm.libsvm_to_pixels((L, y), (Lt, yt))
    assert found == how
    np.testing.assert_array_equal(Xa, X)
    np.testing.assert_array_equal(Xta, Xt)


@needs_shared
def test_cli_fetches_the_real_set_from_a_local_copy_of_the_esl_page(real, real_esl, served, down_url, tmp_path,
                                                                     monkeypatch, capsys):
    root, url = served
    shutil.copytree(real_esl, root / "data")
    monkeypatch.setenv("ANNHIST_USPS_ESL_URL", url)                        # the environment variable route
    dest = tmp_path / "data"
    assert main(["data", "fetch", "usps", "--data-dir", str(dest), "--libsvm-url", down_url]) == 0
    out = capsys.readouterr().out
    assert "installed the USPS digits from ESL" in out and "SHA-256" in out
    data = usps(folder=dest, fallback=False)
    np.testing.assert_array_equal(data[0][0], real[0][0])
    np.testing.assert_array_equal(data[1][1], real[1][1])
