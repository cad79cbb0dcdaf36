"""Saved models and results: exact round trips, clear refusals, no pickle, never a half-written file.

``annhist.io`` itself is tested in ``tests/test_io.py``; here every model that saves (the MLP and
the CNNs' ``Sequential``) and the experiment results written by ``annhist run --out`` go through
the same checks:

- a round trip is exact (every array bit for bit, dtypes, structure, history);
- a truncated file, a file with a missing or an extra array, a misshapen array, a pickle inside
  or a file of another kind raises ``ValueError`` naming the file, and loads nothing;
- a save that fails half-way leaves the previous file intact and no temporary file behind.

The package itself never unpickles, ``eval``s or ``exec``s anything (checked on its source).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from annhist import experiments
from annhist.io import save_arrays
from annhist.mlp import MLP

PACKAGE = Path(__file__).resolve().parents[1] / "annhist"
X_XOR = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y_XOR = np.array([[0.0], [1.0], [1.0], [0.0]])


def _nets() -> dict[str, MLP]:
    mask = np.array([[1, 0], [0, 1], [1, 1]])
    return {
        "xor": MLP([2, 2, 1], random_state=0).fit(X_XOR, Y_XOR, epochs=30, stop_within=0.4, verbose=False),
        "softmax": MLP([2, 4, 3], loss="cross_entropy", random_state=1).fit(X_XOR, [0, 1, 2, 1], epochs=10,
                                                                             verbose=False),
        "skip-mask-f32": MLP([3, 2, 2], activation="tanh", skip=True, masks={0: mask}, dtype=np.float32,
                             init="xavier", random_state=2),
    }


NETS = _nets()


def _same_net(a: MLP, b: MLP) -> None:
    assert a.sizes == b.sizes and a.activation == b.activation and a.output_activation == b.output_activation
    assert a.loss == b.loss and a.reduction == b.reduction and a.skip == b.skip and a.dtype == b.dtype
    assert a.history_ == b.history_ and a.n_epochs_ == b.n_epochs_ and a.converged_ == b.converged_
    for p, q in zip(a.params_, b.params_):
        assert p.dtype == q.dtype and p.shape == q.shape and p.tobytes() == q.tobytes()
    for m, n in zip(a.masks, b.masks):
        assert (m is None and n is None) or np.array_equal(m, n)


@pytest.mark.parametrize("name", sorted(NETS))
def test_mlp_round_trip_is_exact(tmp_path, name):
    net = NETS[name]
    path = net.save(tmp_path / "net")
    assert path == tmp_path / "net.npz" and sorted(p.name for p in tmp_path.iterdir()) == ["net.npz"]
    back = MLP.load(path)
    _same_net(net, back)
    X = np.random.default_rng(0).normal(size=(5, net.sizes[0]))
    assert back.predict(X).tobytes() == net.predict(X).tobytes()
    # and it trains on exactly as the original would
    if name == "xor":
        a = net.fit(X_XOR, Y_XOR, epochs=5, warm_start=True, verbose=False)
        b = back.fit(X_XOR, Y_XOR, epochs=5, warm_start=True, verbose=False)
        _same_net(a, b)


def _arrays(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def _write(path: Path, arrays: dict[str, np.ndarray]) -> Path:
    np.savez(path, **arrays)
    return path


@pytest.fixture
def saved(tmp_path) -> Path:
    return NETS["xor"].save(tmp_path / "good.npz")


def test_mlp_load_refuses_a_truncated_file(saved, tmp_path):
    data = saved.read_bytes()
    for cut in (0, 10, len(data) // 3, len(data) // 2, len(data) - 1):
        bad = tmp_path / f"cut{cut}.npz"
        bad.write_bytes(data[:cut])
        with pytest.raises(ValueError, match=re.escape(str(bad))):
            MLP.load(bad)


@pytest.mark.parametrize("change, needle", [
    (lambda a: a.pop("W1"), "holds arrays"),                                       # a missing weight matrix
    (lambda a: a.pop("history_loss"), "holds arrays"),
    (lambda a: a.update(extra=np.zeros(3)), "holds arrays"),                       # an extra array
    (lambda a: a.update(W0=np.zeros((3, 2))), "has shape"),                        # a misshapen one
    (lambda a: a.update(b1=a["b1"].astype(np.float32)), "dtype"),                  # the wrong dtype
    (lambda a: a.update(W0=np.full((2, 2), np.nan)), "NaN or infinite"),           # non-finite weights
    (lambda a: a.update(config=np.frombuffer(b'{"sizes": [2, 2', dtype=np.uint8)), "configuration"),
    (lambda a: a.update(config=np.frombuffer(b'{"sizes": "x"}', dtype=np.uint8)), "configuration"),
    (lambda a: a.update(__annhist_kind__=np.array("annhist.Sequential")), "is not an annhist.MLP file"),
    (lambda a: a.update(__annhist_version__=np.array(99)), "format version"),
], ids=["missing-W1", "missing-history", "extra", "shape", "dtype", "nan", "bad-json", "bad-config", "kind",
        "version"])
def test_mlp_load_refuses_a_wrong_file_and_names_it(saved, tmp_path, change, needle):
    arrays = _arrays(saved)
    change(arrays)
    bad = _write(tmp_path / "bad.npz", arrays)
    with pytest.raises(ValueError, match=needle) as info:
        MLP.load(bad)
    assert str(bad) in str(info.value)


def test_mlp_load_never_unpickles(saved, tmp_path):
    arrays = _arrays(saved)
    arrays["W0"] = np.array([{"payload": "would run code"}], dtype=object)        # stored as a pickle
    bad = _write(tmp_path / "pickled.npz", arrays)
    with pytest.raises(ValueError, match="pickled objects"):
        MLP.load(bad)
    raw = tmp_path / "raw.npz"
    raw.write_bytes(b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00\x8c\x02os\x94.")   # a bare pickle stream
    with pytest.raises(ValueError, match="not a zip archive"):   # not read at all, so never unpickled
        MLP.load(raw)


def test_mlp_load_of_another_models_file_is_refused(tmp_path):
    other = save_arrays(tmp_path / "other", {"W": np.zeros((2, 2))}, kind="annhist.Other")
    with pytest.raises(ValueError, match="is not an annhist.MLP file"):
        MLP.load(other)
    with pytest.raises(ValueError, match="No such file"):
        MLP.load(tmp_path / "missing.npz")


def test_a_failed_save_keeps_the_old_file_and_leaves_no_temporary(saved, monkeypatch):
    before = saved.read_bytes()
    real = np.savez

    def half_then_crash(fh, **arrays):
        real(fh, **{k: v for k, v in list(arrays.items())[:2]})                  # part of the archive ...
        raise OSError("disk full")                                                  # ... then the disk fills

    monkeypatch.setattr(np, "savez", half_then_crash)
    with pytest.raises(OSError, match="disk full"):
        NETS["softmax"].save(saved)
    monkeypatch.undo()
    assert saved.read_bytes() == before                                             # the old file, untouched
    assert sorted(p.name for p in saved.parent.iterdir()) == [saved.name]          # no temporary left over
    _same_net(MLP.load(saved), NETS["xor"])


def test_saving_refuses_non_finite_weights(tmp_path):
    net = MLP([2, 2, 1], random_state=0)
    net.params_[0][0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite"):
        net.save(tmp_path / "nan")
    assert not list(tmp_path.iterdir())


# ----------------------------------------------------------------------------- experiment results
def test_experiment_results_are_written_atomically(tmp_path, monkeypatch):
    result = experiments.run("timeline")
    paths = result.save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)
    assert json.loads((tmp_path / "timeline.json").read_text()) == result.to_dict()
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    import matplotlib.figure

    def crash(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", crash)
    with pytest.raises(OSError, match="disk full"):
        result.save(tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before           # old files intact, no temps


# ----------------------------------------------------------------------------- the package's own source
def test_the_package_never_unpickles_evals_or_execs():
    forbidden = re.compile(r"\bimport (pickle|dill|joblib|shelve|marshal)\b|\bpickle\.(load|loads|Unpickler)\b|"
                           r"allow_pickle\s*=\s*True|(?<![\w.])eval\(|(?<![\w.])exec\(|torch\.load\(")
    offenders = [f"{p.relative_to(PACKAGE.parent)}:{i}: {line.strip()}"
                 for p in sorted(PACKAGE.rglob("*.py")) for i, line in enumerate(p.read_text().splitlines(), 1)
                 if forbidden.search(line) and not line.lstrip().startswith("#")]
    assert not offenders, offenders


def test_every_np_load_in_the_package_refuses_pickles():
    calls = [(p, line) for p in sorted(PACKAGE.rglob("*.py")) for line in p.read_text().splitlines()
             if re.search(r"np\.load\(|numpy\.load\(", line)]
    assert calls, "expected annhist.io.load_arrays to call np.load"
    for path, line in calls:
        assert "allow_pickle=False" in line, f"{path.name}: {line.strip()}"


def test_every_model_file_goes_through_annhist_io():
    # Writers of .npz files: only annhist.io.save_arrays calls np.savez; models call save_arrays.
    writers = [p.name for p in sorted(PACKAGE.rglob("*.py")) if re.search(r"np\.savez", p.read_text())]
    assert writers == ["io.py"], writers


# ----------------------------------------------------------------------------- the CNNs (1989, 1998)
def _cnns():
    from annhist.cnn import lecun1989, lenet5

    X16 = np.resize(np.linspace(-1, 1, 97), (6, 16, 16))
    X32 = np.resize(np.linspace(-0.1, 1.175, 89), (6, 1, 32, 32))
    return {"lecun1989": lecun1989(random_state=0, epochs=1).fit(X16, np.arange(6)),
            "lenet5-rbf": lenet5(random_state=1, epochs=1).fit(X32, np.arange(6)),
            "lenet5-softmax-f32": lenet5(random_state=2, head="softmax", dtype="float32", epochs=1).fit(X32,
                                                                                                        np.arange(6))}


CNNS = _cnns()


@pytest.mark.parametrize("name", sorted(CNNS))
def test_cnn_round_trip_is_exact(tmp_path, name):
    from annhist.cnn import load_network

    net = CNNS[name]
    path = net.save(tmp_path / "cnn")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cnn.npz"]
    back = load_network(path)
    assert back.spec == net.spec and back.dtype == net.dtype and back.loss == net.loss
    mine, theirs = net.get_weights(), back.get_weights()
    assert list(mine) == list(theirs)
    for k in mine:
        assert mine[k].dtype == theirs[k].dtype and mine[k].tobytes() == theirs[k].tobytes(), k
    X = np.resize(np.linspace(-1, 1, 53), (3, *net.input_shape))
    assert back.decision_function(X).tobytes() == net.decision_function(X).tobytes()


@pytest.fixture
def saved_cnn(tmp_path) -> Path:
    return CNNS["lecun1989"].save(tmp_path / "good.npz")


@pytest.mark.parametrize("change, needle", [
    (lambda a: a.pop("0.W"), "does not match its architecture"),                # a missing array
    (lambda a: a.update({"9.W": np.zeros(3)}), "does not match its architecture"),   # an extra one
    (lambda a: a.update({"0.W": np.zeros((12, 1, 4, 4))}), "does not match its architecture"),   # misshapen
    (lambda a: a.update({"5.b": np.full(30, np.inf)}), "NaN or infinite"),
    (lambda a: a.pop("spec"), "lacks a valid 'spec'"),
    (lambda a: a.update(spec=np.frombuffer(b"lenet5;head=softmax", dtype=np.uint8)), "does not match"),
    (lambda a: a.update(spec=np.frombuffer(b"rm -rf /", dtype=np.uint8)), "'spec' parameter of build"),
    (lambda a: a.update(spec=np.frombuffer(b"lecun1989;init=evil", dtype=np.uint8)), "'init' parameter"),
    (lambda a: a.update(__annhist_kind__=np.array("annhist.MLP")), "is not an annhist.cnn.Sequential file"),
], ids=["missing", "extra", "shape", "inf", "no-spec", "other-net", "bad-spec", "bad-option", "kind"])
def test_cnn_load_refuses_a_wrong_file(saved_cnn, tmp_path, change, needle):
    from annhist.cnn import load_network

    arrays = _arrays(saved_cnn)
    change(arrays)
    bad = _write(tmp_path / "bad.npz", arrays)
    with pytest.raises(ValueError, match=needle):
        load_network(bad)


def test_cnn_load_refuses_truncated_and_pickled_files(saved_cnn, tmp_path):
    from annhist.cnn import load_network

    data = saved_cnn.read_bytes()
    for cut in (0, 100, len(data) // 2, len(data) - 1):
        bad = tmp_path / f"cut{cut}.npz"
        bad.write_bytes(data[:cut])
        with pytest.raises(ValueError, match=re.escape(str(bad))):
            load_network(bad)
    arrays = _arrays(saved_cnn)
    arrays["0.W"] = np.array([{"payload": 1}], dtype=object)
    with pytest.raises(ValueError, match="pickled objects"):
        load_network(_write(tmp_path / "pickled.npz", arrays))


def test_a_failed_cnn_save_keeps_the_old_file(saved_cnn, monkeypatch):
    before = saved_cnn.read_bytes()
    real = np.savez

    def half_then_crash(fh, **arrays):
        real(fh, **dict(list(arrays.items())[:3]))
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", half_then_crash)
    with pytest.raises(OSError, match="disk full"):
        CNNS["lenet5-rbf"].save(saved_cnn)
    monkeypatch.undo()
    assert saved_cnn.read_bytes() == before
    assert sorted(p.name for p in saved_cnn.parent.iterdir()) == [saved_cnn.name]
