"""Safe .npz files: exact round trips, clear errors, no pickle, no half-written files."""

import io
import pickle
import zipfile

import numpy as np
import pytest
from conftest import CORRUPT_NPY_HEADERS, write_npz_with_header

from annhist.io import load_arrays, save_arrays


def test_round_trip_is_exact(tmp_path):
    arrays = {"W": np.random.default_rng(0).normal(size=(3, 4)), "b": np.arange(4, dtype=np.int64)}
    path = save_arrays(tmp_path / "net", arrays, kind="annhist.Test")
    assert path.name == "net.npz"
    back = load_arrays(path, kind="annhist.Test", required=("W", "b"))
    for k in arrays:
        np.testing.assert_array_equal(back[k], arrays[k])
        assert back[k].dtype == arrays[k].dtype
    assert [p.name for p in tmp_path.iterdir()] == ["net.npz"]  # no temporary file left


def test_wrong_kind_missing_extra_and_shape(tmp_path):
    path = save_arrays(tmp_path / "a.npz", {"W": np.zeros((2, 2))}, kind="annhist.A")
    with pytest.raises(ValueError, match="is not an annhist.B file"):
        load_arrays(path, kind="annhist.B")
    with pytest.raises(ValueError, match=r"lacks the array\(s\) \['b'\]"):
        load_arrays(path, kind="annhist.A", required=("W", "b"))
    with pytest.raises(ValueError, match=r"unexpected array\(s\) \['W'\]"):
        load_arrays(path, kind="annhist.A", required=())
    with pytest.raises(ValueError, match=r"shape \(2, 2\), expected \(3, 2\)"):
        load_arrays(path, kind="annhist.A", shapes={"W": (3, 2)})


def test_truncated_and_foreign_files(tmp_path):
    path = save_arrays(tmp_path / "a.npz", {"W": np.zeros((20, 20))}, kind="annhist.A")
    data = path.read_bytes()
    trunc = tmp_path / "trunc.npz"
    trunc.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="not a readable .npz file"):
        load_arrays(trunc, kind="annhist.A")
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, W=np.zeros(3))
    with pytest.raises(ValueError, match="no annhist kind tag"):
        load_arrays(foreign, kind="annhist.A")
    text = tmp_path / "text.npz"
    text.write_text("hello")
    with pytest.raises(ValueError, match="not a .npz file .it is not a zip archive") as info:
        load_arrays(text, kind="annhist.A")
    assert "pickle" not in str(info.value)          # numpy read it as a pickle and advised allow_pickle=True
    with pytest.raises(ValueError, match="No such file"):
        load_arrays(tmp_path / "missing.npz", kind="annhist.A")
    with pytest.raises(ValueError, match="is a folder, not a .npz file"):
        load_arrays(tmp_path, kind="annhist.A")


@pytest.mark.parametrize("header", CORRUPT_NPY_HEADERS)
def test_an_array_with_a_corrupt_header_is_a_value_error(tmp_path, header):
    path = write_npz_with_header(tmp_path / "bad.npz", ["W"], header)
    with pytest.raises(ValueError, match="not a readable .npz file"):
        load_arrays(path, kind="annhist.A")


def test_a_pickle_inside_is_never_loaded(tmp_path):
    path = tmp_path / "evil.npz"
    # An object array is stored as a pickle inside the .npz.
    np.savez(path, __annhist_kind__=np.array("annhist.A"), __annhist_version__=np.array(1),
             W=np.array([{"x": 1}], dtype=object))
    with pytest.raises(ValueError, match="pickled objects, which annhist never loads.$"):
        load_arrays(path, kind="annhist.A")
    # A raw pickle renamed to .npz is refused as well, unread.
    raw = tmp_path / "raw.npz"
    raw.write_bytes(pickle.dumps({"W": 1}))
    with pytest.raises(ValueError, match="not a zip archive"):
        load_arrays(raw, kind="annhist.A")


def test_non_finite_arrays_are_refused(tmp_path):
    buf = io.BytesIO()
    np.savez(buf, __annhist_kind__=np.array("annhist.A"), __annhist_version__=np.array(1), W=np.array([np.nan]))
    path = tmp_path / "nan.npz"
    path.write_bytes(buf.getvalue())
    with pytest.raises(ValueError, match="NaN or infinite"):
        load_arrays(path, kind="annhist.A")


def test_save_refuses_objects_and_missing_folder(tmp_path):
    with pytest.raises(TypeError, match="only numeric arrays"):
        save_arrays(tmp_path / "x", {"W": np.array(["a"])}, kind="annhist.A")
    with pytest.raises(ValueError, match="does not exist"):
        save_arrays(tmp_path / "no" / "x", {"W": np.zeros(2)}, kind="annhist.A")


@pytest.mark.parametrize("kind", ["\x00", "annhist.A\x00", "annhist\nA"])
def test_save_refuses_a_kind_tag_that_would_not_load_back(tmp_path, kind):
    # numpy drops a string's trailing NULs: '\x00' was saved and then refused on loading as ''
    with pytest.raises(ValueError, match="'kind' parameter of save_arrays must be printable"):
        save_arrays(tmp_path / "x", {"W": np.zeros(2)}, kind=kind)
    assert not list(tmp_path.iterdir())


def test_failed_save_keeps_the_old_file(tmp_path, monkeypatch):
    path = save_arrays(tmp_path / "a.npz", {"W": np.ones(3)}, kind="annhist.A")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", boom)
    with pytest.raises(OSError, match="disk full"):
        save_arrays(path, {"W": np.zeros(3)}, kind="annhist.A")
    monkeypatch.undo()
    np.testing.assert_array_equal(load_arrays(path, kind="annhist.A")["W"], np.ones(3))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.npz"]
    assert zipfile.is_zipfile(path)


@pytest.mark.parametrize("shape", [(10**12,), (2**32, 2**32), (300_000_000,)])
def test_an_array_declaring_more_data_than_the_file_holds_is_refused_unallocated(tmp_path, shape):
    # a 1 kB file whose header declares shape (10**12,) was a 7.28 TiB MemoryError in np.load; (2**32, 2**32)
    # overflows numpy's int64 count; every such file is corrupt: 16 bytes cannot hold the declared array
    header = f"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}".encode()
    path = write_npz_with_header(tmp_path / "huge.npz", ["W"], header)
    with pytest.raises(ValueError, match=r"not a readable .npz file .*'W.npy' declares shape .* but holds 16 bytes"):
        load_arrays(path, kind="annhist.A")


def test_a_zip_member_claiming_more_bytes_than_it_stores_is_refused(tmp_path):
    # the central directory's size of a stored member is what numpy allocates by: patch it to 4 GB
    path = write_npz_with_header(tmp_path / "lie.npz", ["W"], b"{'descr': '<f8', 'fortran_order': False, "
                                                               b"'shape': (1000000000000,), }")
    raw = bytearray(path.read_bytes())
    at = raw.index(b"PK\x01\x02")                                   # the central directory entry
    raw[at + 24:at + 28] = (2**32 - 2).to_bytes(4, "little")        # its uncompressed size
    path.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match=r"not a readable .npz file .*'W.npy' claims 4,294,967,294 bytes"):
        load_arrays(path, kind="annhist.A")
