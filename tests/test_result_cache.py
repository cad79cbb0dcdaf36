"""The book build's result cache (annhist.experiments.cache): a hit is the fresh run's dict,
anything that changes the numbers is a miss, a damaged entry is never used."""

from __future__ import annotations

import json
import os
from pathlib import Path
from unittest import mock

import pytest

from annhist import bookbuild, bookexec, bookwait, experiments
from annhist.bookwait import READY
from annhist.experiments import cache
from annhist.experiments.reproductions import Claim, reproduce

NAME = "hopfield-recall"                     # a fraction of a second, with an option


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "results"))
    return tmp_path / "results"


def _no_runs(monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise AssertionError("the experiment ran although its result was cached")
    monkeypatch.setattr(experiments, "run", boom)


def _fresh(**options) -> dict:
    """The experiment itself, outside the registry's run (which the tests replace)."""
    return experiments.get(NAME)(seed=3, **options).to_dict()


def test_a_hit_gives_the_same_dict_as_a_fresh_run(folder, monkeypatch):
    first = experiments.run_dict(NAME, seed=3, flips=10)          # a miss: runs and stores
    assert len(list(folder.glob(f"{NAME}-*.json"))) == 1
    _no_runs(monkeypatch)
    hit = experiments.run_dict(NAME, seed=3, flips=10)
    assert hit == first == _fresh(flips=10)
    assert json.dumps(hit, sort_keys=True) == json.dumps(_fresh(flips=10), sort_keys=True)


def test_run_writes_the_entry_that_run_dict_reads(folder, monkeypatch):
    result = experiments.run(NAME, seed=3)                         # what a chapter does
    _no_runs(monkeypatch)
    assert experiments.run_dict(NAME, seed=3) == result.to_dict()
    assert experiments.run_dict(NAME, seed=3, flips=15) == result.to_dict()   # 15 is the default: same key


@pytest.mark.parametrize("change", ["seed", "option", "sources"])
def test_a_change_of_seed_option_or_sources_is_a_miss(folder, monkeypatch, change):
    experiments.run_dict(NAME, seed=3, flips=10)
    calls = []
    real = experiments.run

    def counting(*args, **kwargs):
        calls.append((args, kwargs))
        return real(*args, **kwargs)
    monkeypatch.setattr(experiments, "run", counting)
    if change == "seed":
        got = experiments.run_dict(NAME, seed=4, flips=10)
        want = experiments.get(NAME)(seed=4, flips=10).to_dict()
    elif change == "option":
        got = experiments.run_dict(NAME, seed=3, flips=11)
        want = experiments.get(NAME)(seed=3, flips=11).to_dict()
    else:
        monkeypatch.setattr(cache, "package_hash", lambda: "0" * 64)   # annhist's code changed
        got = experiments.run_dict(NAME, seed=3, flips=10)
        want = experiments.get(NAME)(seed=3, flips=10).to_dict()
    assert len(calls) == 1, "a changed key must run the experiment"
    assert got == want


def test_the_sources_hash_sees_every_change(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "a.py").write_text("x = 1\n")
    (pkg / "sub" / "b.py").write_text("y = 2\n")
    before = cache.sources_hash(pkg)
    (pkg / "sub" / "b.py").write_text("y = 3\n")
    edited = cache.sources_hash(pkg)
    (pkg / "sub" / "b.py").rename(pkg / "sub" / "c.py")
    renamed = cache.sources_hash(pkg)
    assert len({before, edited, renamed}) == 3
    assert bookbuild.sources_hash is cache.sources_hash            # one hash for the build and the cache
    assert cache.package_hash() == cache.sources_hash(Path(cache.__file__).resolve().parents[1])


@pytest.mark.parametrize("damage", ["garbage", "truncated", "not-a-dict", "other-key", "other-experiment",
                                    "no-results", "binary"])
def test_a_damaged_entry_is_ignored_and_rewritten(folder, damage):
    good = experiments.run_dict(NAME, seed=3, flips=10)
    key = cache.cache_key(experiments.get(NAME), 3, {"flips": 10})
    path = cache.entry_path(folder, key)
    entry = json.loads(path.read_text())
    if damage == "garbage":
        path.write_text("{not json")
    elif damage == "truncated":
        path.write_text(path.read_text()[:40])
    elif damage == "not-a-dict":
        path.write_text("[1, 2, 3]")
    elif damage == "other-key":                    # e.g. an entry of other sources copied under this name
        entry["key"]["sources_sha256"] = "f" * 64
        entry["result"]["results"] = {"forged": True}
        path.write_text(json.dumps(entry))
    elif damage == "other-experiment":
        entry["result"]["experiment"] = "heat-cold"
        path.write_text(json.dumps(entry))
    elif damage == "no-results":
        del entry["result"]["results"]
        path.write_text(json.dumps(entry))
    else:
        path.write_bytes(b"\xff\xfe\x00garbage")
    assert cache.load(folder, key) is None
    assert experiments.run_dict(NAME, seed=3, flips=10) == good    # ran again ...
    assert cache.load(folder, key) == good                         # ... and the entry is whole again


def test_without_the_variable_nothing_is_read_or_written(tmp_path, monkeypatch):
    monkeypatch.delenv(cache.ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    assert cache.cache_dir() is None
    experiments.run(NAME, seed=3)
    assert experiments.run_dict(NAME, seed=3) == _fresh()
    assert list(tmp_path.iterdir()) == []


def test_bad_options_are_reported_as_by_run(folder):
    with pytest.raises(TypeError, match="takes no option"):
        experiments.run_dict(NAME, seed=3, nonsense=1)
    with pytest.raises(TypeError, match="seed"):
        experiments.run_dict(NAME, seed=True)
    with pytest.raises(ValueError, match="seed"):
        experiments.run_dict(NAME, seed=-1)


def test_the_reproductions_page_reads_the_cache(folder, monkeypatch):
    claim = Claim("hopfield1982", "q", True, NAME, "energy_never_rises", check="true", options={"flips": 10})
    experiments.run(NAME, seed=0, flips=10)                          # a chapter ran it
    _no_runs(monkeypatch)
    rows = reproduce((claim,), seed=0)
    assert rows[0].value is True and rows[0].verdict == "reproduced"
    assert rows[0].settings == {"seed": 0, "flips": 10}


class _Children:
    """``subprocess.Popen`` for the build's two children: the chapters' executor (``annhist.bookexec``),
    which prints its lines (READY among them), and Sphinx, which exits 0. Records each start."""

    def __init__(self, lines: tuple[str, ...] = (READY,), during=None):
        self.started: list[tuple[list[str], dict]] = []
        self.lines, self.during = lines, during

    def __call__(self, cmd, cwd, env, **kwargs):
        self.started.append((cmd, env))
        outer, child = self, mock.MagicMock()
        child.__enter__.return_value = child
        child.wait.return_value = 0

        def stdout():
            for line in outer.lines:
                yield line + "\n"
                if outer.during is not None:
                    outer.during(line)
        child.stdout = stdout()
        return child


def test_the_book_build_turns_the_cache_on_and_empties_it_when_everything_reexecutes(tmp_path, monkeypatch):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "_config.yml").write_text("title: t\n")
    results = tmp_path / "book" / "_build" / ".annhist-results"
    results.mkdir(parents=True)
    (results / "old.json").write_text("{}")
    children = _Children()
    monkeypatch.setattr(bookbuild.subprocess, "Popen", children)
    monkeypatch.delenv("CI", raising=False)
    assert bookbuild.build_book(root=tmp_path) == 0                 # no sources stamp: everything re-executes
    # both children -- the chapters' executor (annhist.bookexec) and Sphinx -- see the variable
    assert [env.get(cache.ENV_VAR) for _, env in children.started] == [str(results)] * 2
    assert not (results / "old.json").exists()
    results.mkdir(parents=True, exist_ok=True)
    (results / "kept.json").write_text("{}")
    assert bookbuild.build_book(root=tmp_path) == 0                 # same sources: the cache is kept
    assert (results / "kept.json").exists()
    assert cache.ENV_VAR not in os.environ                          # only the build's children see it


def test_the_book_build_skips_a_book_built_from_the_same_files(tmp_path, monkeypatch):
    (tmp_path / "book" / "_build" / "html").mkdir(parents=True)
    (tmp_path / "book" / "_config.yml").write_text("title: t\n")
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "01.md").write_text("# one\n")
    children = _Children()
    calls = children.started
    monkeypatch.setattr(bookbuild.subprocess, "Popen", children)
    monkeypatch.delenv("CI", raising=False)
    assert bookbuild.build_book(root=tmp_path) == 0 and len(calls) == 2
    (tmp_path / "book" / "_build" / "html" / "index.html").write_text("<html></html>")
    assert bookbuild.build_book(root=tmp_path) == 0 and len(calls) == 2      # up to date: nothing runs
    (tmp_path / "chapters" / "01.md").write_text("# one, changed\n")
    assert bookbuild.build_book(root=tmp_path) == 0 and len(calls) == 4      # a chapter changed: it builds
    assert bookbuild.build_book(root=tmp_path, force=True) == 0 and len(calls) == 6


def test_sphinx_starts_when_bookexec_says_ready_and_the_wait_file_goes_with_bookexec(tmp_path, monkeypatch):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "_config.yml").write_text("title: t\n")
    wait_file = tmp_path / "book" / "_build" / ".annhist-executing"
    seen = []

    def during(line):            # after each line of the executor: how many children have started?
        wait_file.write_text(f"{os.getpid()}\n11-reproductions\n")     # as bookwait.publish writes it
        seen.append(len(children.started))
    children = _Children(("annhist book: executed 07-backprop in 1.0 s", READY, "annhist book: executed "
                          "11-reproductions in 0.3 s"), during)
    monkeypatch.setattr(bookbuild.subprocess, "Popen", children)
    monkeypatch.delenv("CI", raising=False)
    assert bookbuild.build_book(root=tmp_path, force=True) == 0
    assert seen == [1, 2, 2]                                     # Sphinx started on READY, bookexec still running
    assert "annhist.bookexec" in children.started[0][0] and "jupyter-book" in children.started[1][0][0]
    assert all(env[bookwait.VAR] == str(wait_file) for _, env in children.started)
    assert not wait_file.exists()                                # gone when bookexec ended: Sphinx waits no more
    # an executor that ends without READY (it failed): Sphinx starts after it
    children = _Children(("Traceback ...",), during)
    monkeypatch.setattr(bookbuild.subprocess, "Popen", children)
    assert bookbuild.build_book(root=tmp_path, force=True) == 0 and seen[-1] == 1 and len(children.started) == 2


def test_sphinx_reads_the_pending_chapters_last_and_waits_for_each(tmp_path, monkeypatch):
    import threading
    import time

    wait_file = tmp_path / "executing"
    monkeypatch.setenv(bookwait.VAR, str(wait_file))
    names = ["api", "chapters/11-reproductions", "chapters/00-preface", "bibliography", "chapters/07-backprop"]
    bookwait.read_order(names)                                   # no file: nothing pending, the order kept
    assert names[0] == "api" and bookwait.pending() == []
    bookwait.publish(["07-backprop", "11-reproductions"])
    assert wait_file.read_text().split() == [str(os.getpid()), "07-backprop", "11-reproductions"]
    bookwait.read_order(names)
    assert names == ["api", "chapters/00-preface", "bibliography", "chapters/07-backprop", "chapters/11-reproductions"]
    bookwait.wait_for("chapters/00-preface")                     # not pending: no wait
    threading.Timer(0.3, bookwait.publish, (["11-reproductions"],)).start()
    start = time.perf_counter()
    bookwait.wait_for("chapters/07-backprop", poll_s=0.01)       # waits until it is no longer listed
    assert time.perf_counter() - start >= 0.25 and bookwait.pending() == ["11-reproductions"]
    wait_file.write_text("999999999\n11-reproductions\n")       # its process has ended: nothing waits
    assert bookwait.pending() == []
    bookwait.wait_for("chapters/11-reproductions")


def test_bookexec_says_ready_when_the_chapters_left_are_short_and_publishes_what_is_left(tmp_path, monkeypatch,
                                                                                        capsys):
    from concurrent.futures import ThreadPoolExecutor

    published = []
    monkeypatch.setattr(bookwait, "publish", lambda stems: published.append(list(stems)))
    monkeypatch.setattr(bookexec, "_execute", lambda path: (None, 0.0, None))
    monkeypatch.setattr(bookwait, "AHEAD_S", 5.0)
    queue = [(stem, bookexec._execute, (tmp_path / f"{stem}.md",), cost)
             for stem, cost in (("09b", 20.0), ("07", 9.0), ("00", 1.0))]
    done = {}
    with ThreadPoolExecutor(1) as pool:
        bookexec._run(pool, queue, None, done, 1, ready=True, then=("11-reproductions",))
    out = capsys.readouterr().out.splitlines()
    # READY once 1 s of chapters is left (<= 5 s for one worker): after 09b and 07 have finished
    assert out.index(READY) == 2 and out[:2] == ["annhist book: executed 09b in 0.0 s",
                                                 "annhist book: executed 07 in 0.0 s"]
    assert published[0] == ["09b", "07", "00", "11-reproductions"] and published[-1] == ["11-reproductions"]
    assert ["00", "11-reproductions"] in published and set(done) == {"09b", "07", "00"}
