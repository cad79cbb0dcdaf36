"""`annhist data` after a user audit: a corrupt copy, one import file, unwritable folders, empty URLs, messages.

No test needs the network: downloads are replaced by local files or refused before they start.
Each test fails on the code before the fix; valid input behaves as before.
"""

from __future__ import annotations

import gzip
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import run_main

from annhist.datasets import fetch, import_usps, usps
from annhist.datasets.fetch import FetchError, Source, fetch_usps


def write_text(path, labels, seed=0):
    """A small gzip file in the public zip.train format."""
    rng = np.random.default_rng(seed)
    rows = [" ".join([f"{lab:.4f}"] + [f"{v:g}" for v in np.round(rng.uniform(-1, 1, 256), 3)]) for lab in labels]
    path.write_bytes(gzip.compress(("\n".join(rows) + "\n").encode()))
    return path


@pytest.fixture
def no_download(monkeypatch):
    """Fail the test if anything is downloaded (this machine has no network anyway)."""
    calls = []
    monkeypatch.setattr(fetch, "_download", lambda *args: calls.append(args) or pytest.fail("downloaded"))
    return calls


# ----------------------------------------------------------------------------- item 4: a corrupt copy
def test_info_says_a_corrupt_copy_is_present_but_unreadable_and_what_to_do(tmp_path):
    # It printed "usps: .../usps.npz" as if all was well; 'annhist run lecun1989' then failed.
    (tmp_path / "usps.npz").write_bytes(b"junk")
    code, out, err = run_main(["data", "info", "--data-dir", str(tmp_path)])
    assert code == 0 and err == ""
    assert f"usps: {tmp_path / 'usps.npz'}\n" in out
    assert "present but unreadable: " in out and "not a readable .npz file" in out
    assert "annhist data fetch usps --force" in out and "annhist data import usps --force" in out


def test_info_of_a_readable_copy_prints_as_before(tmp_path):
    X = np.zeros((2, 16, 16), np.float32)
    np.savez(tmp_path / "usps.npz", X_train=X, y_train=[1, 2], X_test=X, y_test=[3, 4])
    code, out, _ = run_main(["data", "info", "--data-dir", str(tmp_path)])
    assert code == 0 and out == f"data folder: {tmp_path}\nusps: {tmp_path / 'usps.npz'}\n"


def test_fetch_replaces_a_corrupt_copy_instead_of_calling_it_installed(tmp_path, monkeypatch):
    # It said "the USPS digits are already installed" about the corrupt copy and did nothing.
    (tmp_path / "usps.npz").write_bytes(b"junk")
    calls = []
    monkeypatch.setattr(fetch, "fetch_usps", lambda folder, sources: calls.append(folder) or [])
    code, out, _ = run_main(["data", "fetch", "usps", "--data-dir", str(tmp_path)])
    assert code == 0 and calls == [str(tmp_path)]
    assert "unreadable, downloading it again" in out and "already installed" not in out


# ----------------------------------------------------------------------------- item 5: the refusal message
def test_a_malformed_download_is_refused_in_one_well_punctuated_clause(tmp_path, monkeypatch):
    # It read "expected a label and 256 values, got 1 fields., refused".
    bad = tmp_path / "zip.train.gz"
    bad.write_bytes(gzip.compress(b"7\n"))
    good = write_text(tmp_path / "zip.test.gz", [1])
    monkeypatch.setattr(fetch, "_download", lambda source, folder, timeout, say: [bad, good])
    src = Source("ESL", "http://127.0.0.1:1/", "esl", fetch.ESL_FILES)
    with pytest.raises(FetchError) as info:
        fetch_usps(tmp_path / "data", sources=[src], say=lambda line: None)
    msg = str(info.value)
    assert "line 1: expected a label and 256 values, got 1 field, refused" in msg
    assert "., refused" not in msg and "1 fields" not in msg


# ----------------------------------------------------------------------------- item 6: one text file
def test_import_of_one_text_file_says_both_files_are_needed(tmp_path):
    # It said "'zip.test.gz' is not a readable .npz file (not a zip archive)".
    test = write_text(tmp_path / "zip.test.gz", [1])
    with pytest.raises(ValueError, match="comes in two files: give both .*zip.train.gz and zip.test.gz"):
        import_usps([test], folder=tmp_path / "data")
    code, out, err = run_main(["data", "import", "usps", str(test), "--data-dir", str(tmp_path / "data")])
    assert code == 2 and out == "" and "give both the training and the test file" in err
    assert not (tmp_path / "data").exists()
    (tmp_path / "usps.npz").write_bytes(b"junk")                   # a corrupt .npz keeps its own message
    with pytest.raises(ValueError, match="not a readable .npz file"):
        import_usps([tmp_path / "usps.npz"], folder=tmp_path / "data")


def test_import_of_one_npz_file_works_as_before(tmp_path):
    X = np.zeros((2, 16, 16), np.float32)
    np.savez(tmp_path / "mine.npz", X_train=X, y_train=[1, 2], X_test=X, y_test=[3, 4])
    written = import_usps([tmp_path / "mine.npz"], folder=tmp_path / "data", expected=None)
    assert written == [tmp_path / "data" / "usps.npz"]
    assert usps(folder=tmp_path / "data", fallback=False)[1][1].tolist() == [3, 4]


# ----------------------------------------------------------------------------- item 7: an unwritable folder
def test_fetch_checks_the_data_folder_before_downloading(tmp_path, no_download):
    # It downloaded first and failed on writing (or, offline, blamed the network).
    afile = tmp_path / "afile"
    afile.write_text("")
    with pytest.raises(FetchError, match="cannot write the data folder .*afile/sub.*Not a directory"):
        fetch_usps(afile / "sub", say=lambda line: None)
    code, out, err = run_main(["data", "fetch", "usps", "--data-dir", str(afile / "sub")])
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("error: annhist data fetch usps: cannot write the data folder") and "Not a directory" in err
    assert no_download == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
def test_fetch_into_proc_is_refused_before_downloading(no_download):
    code, out, err = run_main(["data", "fetch", "usps", "--data-dir", "/proc/annhist-no-such-folder"])
    assert code == 2 and out == "" and "cannot write the data folder '/proc/annhist-no-such-folder'" in err


def test_the_writability_check_leaves_no_trace(tmp_path):
    assert fetch.folder_problem(tmp_path / "a" / "b") is None and not (tmp_path / "a").exists()
    assert fetch.folder_problem(tmp_path) is None and list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------- item 8: empty URLs
@pytest.mark.parametrize("flag", ["--esl-url", "--libsvm-url"])
@pytest.mark.parametrize("url", ["", "  "])
def test_an_empty_url_is_refused_naming_the_option(tmp_path, no_download, flag, url):
    # It silently used the default URL.
    code, out, err = run_main(["data", "fetch", "usps", "--data-dir", str(tmp_path / "d"), flag, url])
    assert code == 2 and out == "" and f"{flag} must be a non-empty URL. Got {url!r}" in err
    assert not (tmp_path / "d").exists()


def test_default_sources_refuses_an_empty_url_and_keeps_the_defaults_for_none():
    for name in ("esl_url", "libsvm_url"):
        with pytest.raises(ValueError, match=f"'{name}' parameter of default_sources must be a non-empty URL"):
            fetch.default_sources(**{name: ""})
    esl, libsvm = fetch.default_sources(None, "http://mirror/x/")
    assert esl.base_url in (fetch.ESL_URL, os.environ.get("ANNHIST_USPS_ESL_URL"))
    assert libsvm.base_url == "http://mirror/x/"


# ----------------------------------------------------------------------------- item 9: unknown options
@pytest.mark.parametrize("args, prog", [
    (["data", "info", "--json"], "annhist data info"),
    (["data", "fetch", "usps", "--json"], "annhist data fetch"),
    (["data", "import", "usps", "f.gz", "--json"], "annhist data import"),
])
def test_an_unknown_option_names_the_data_action_and_its_help(args, prog, no_download):
    # It said "annhist: unrecognized arguments: --json (see 'annhist --help')".
    code, out, err = run_main(args)
    assert code == 2 and out == ""
    assert err == f"error: {prog}: unrecognized arguments: --json (see '{prog} --help')\n"


def test_valid_data_commands_still_parse(tmp_path):
    code, out, _ = run_main(["data", "info", "--data-dir", str(tmp_path)])
    assert code == 0 and out.startswith(f"data folder: {tmp_path}\nusps: not found")
    assert Path(tmp_path).is_dir()
