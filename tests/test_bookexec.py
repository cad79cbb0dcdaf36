"""The book build's reused kernels (``annhist.bookkernel``, used by ``annhist.bookexec``): a notebook executed in a kernel that
ran other notebooks before prints, draws and numbers exactly what it does in a fresh kernel.

Notebooks here try what could leak from one chapter into the next: variables, prompt numbers
and history, open figures, warnings already shown once at a code location, and global settings
(warning filters, matplotlib's rcParams), which make the build replace the kernel.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat comes with the 'book' extra")
pytest.importorskip("jupyter_client", reason="jupyter_client comes with the 'book' extra")

from annhist import bookexec, bookkernel  # noqa: E402
from annhist.buildkeys import RESULT_CACHE_VAR  # noqa: E402

pytestmark = pytest.mark.xdist_group("bookexec")      # one worker, one reused kernel


def _notebook(*sources: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def _outputs(nb) -> list:
    """Per code cell: its prompt number and outputs (streams merged, as the book shows them)."""
    cells = []
    for cell in nb.cells:
        outs: list = []
        for o in cell.outputs:
            o = {k: v for k, v in o.items() if k != "metadata"}
            if o["output_type"] == "stream" and outs and outs[-1].get("name") == o["name"]:
                outs[-1] = {**outs[-1], "text": outs[-1]["text"] + o["text"]}
            else:
                outs.append(o)
        cells.append((cell.execution_count, json.dumps(outs, sort_keys=True)))
    return cells


@pytest.fixture(scope="module")
def reused(tmp_path_factory):
    """Execute in this module's reused kernel (which imports numpy and pyplot first, not the
    build's whole list: the reset is what is tested, and each new kernel then starts in ~2 s)."""
    cwd = str(tmp_path_factory.mktemp("kernel"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(bookkernel, "WARM_MODULES", ("numpy", "matplotlib.pyplot"))
        yield lambda nb: bookkernel.execute_notebook(nb, cwd)
    kernel = bookkernel._KERNELS.pop(cwd, None)
    if kernel is not None:
        kernel.shutdown()


LEAKY = _notebook(
    "x = 41\nimport numpy as np\nnp.mean([])",                        # a RuntimeWarning at a numpy location
    "import matplotlib.pyplot as plt\nfig = plt.figure(figsize=(2, 1))\nplt.plot([0, 1])\nx + 1",
    "fig2 = plt.figure()",                                            # left open
)
PROBE = _notebook(
    "print(sorted(k for k in globals() if not k.startswith('_') and k not in ('In', 'Out', 'exit', 'quit',"
    " 'get_ipython', 'open')))",
    "import numpy as np\nnp.mean([])",                                # shown again: not 'already warned'
    "import matplotlib.pyplot as plt\nprint(plt.get_fignums(), len(In), len(Out))",
    "import matplotlib\nprint(matplotlib.rcParams['lines.linewidth'])",
    "plt.plot([1, 0])\n7",
)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """What the probe prints in a fresh kernel."""
    cwd = str(tmp_path_factory.mktemp("fresh"))
    return _outputs(bookkernel.execute_notebook(_notebook(*[c.source for c in PROBE.cells]), cwd, reuse=False).nb)


def test_a_reused_kernel_gives_what_a_fresh_kernel_gives(reused, fresh):
    assert fresh[0][1].count("[]") == 1 and "Mean of empty slice" in fresh[1][1]      # the probe probes
    first = reused(_notebook(*[c.source for c in LEAKY.cells]))
    assert first.exc_string is None
    for _ in range(2):
        again = reused(_notebook(*[c.source for c in PROBE.cells]))
        assert again.exc_string is None
        assert _outputs(again.nb) == fresh
    assert [n for n, _ in fresh] == [1, 2, 3, 4, 5]


def test_a_notebook_that_changes_a_global_setting_gets_a_new_kernel(reused, fresh):
    for change in ("import matplotlib\nmatplotlib.rcParams['lines.linewidth'] = 7",
                   "import warnings\nwarnings.filterwarnings('ignore', category=RuntimeWarning)"):
        assert reused(_notebook(change)).exc_string is None
        assert _outputs(reused(_notebook(*[c.source for c in PROBE.cells])).nb) == fresh, change


def test_a_failing_notebook_reports_its_cell_and_the_next_one_runs(reused):
    failed = reused(_notebook("y = 1", "1 / 0", "print('not reached')"))
    assert failed.exc_string is not None and "ZeroDivisionError" in failed.exc_string
    ok = reused(_notebook("print('y' in globals())"))
    assert ok.exc_string is None and _outputs(ok.nb)[0][1].count("False") == 1


def test_a_kernel_that_cannot_be_prepared_gives_way_to_a_fresh_one(tmp_path, capfd):
    """If the reused kernel cannot import its modules, the notebook runs in a fresh kernel."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(bookkernel, "WARM_MODULES", ("no_such_module_annhist",))
        result = bookkernel.execute_notebook(_notebook("print(6 * 7)"), str(tmp_path))
    assert result.exc_string is None and "42" in _outputs(result.nb)[0][1]
    assert str(tmp_path) not in bookkernel._KERNELS
    err = capfd.readouterr().err
    assert "a fresh kernel for this chapter" in err and "without encryption" not in err
    assert list(tmp_path.iterdir()) == []                 # its sockets were not where the notebook ran


def test_page_runs_run_in_the_workers_warm_kernel(tmp_path, monkeypatch, capfd):
    """The page's own runs (``PAGE_RUNS``) are made in the worker's kernel, which the build starts
    first (``_warm``) and whose imports are done; a run is stored in the result cache, and a failing
    run is reported, leaving the kernel usable. On POSIX the kernel talks over Unix sockets in a
    folder only its owner can enter, removed with the kernel, not in the working directory, and
    prints no warning about unencrypted TCP."""
    results, cwd = tmp_path / "results", tmp_path / "chapters"
    cwd.mkdir()
    monkeypatch.setenv(RESULT_CACHE_VAR, str(results))           # the kernel's environment, as in the build
    monkeypatch.setattr(bookkernel, "WARM_MODULES", ("numpy",))
    try:
        bookexec._warm(str(cwd))
        assert str(cwd) in bookkernel._KERNELS
        sockets = bookkernel._KERNELS[str(cwd)].sockets
        if os.name == "posix":
            assert bookkernel._KERNELS[str(cwd)].km.transport == "ipc"
            assert stat.S_IMODE(os.stat(sockets).st_mode) == 0o700
            assert len(list(Path(sockets).glob("kernel-*"))) == 5, sorted(os.listdir(sockets))
        label, secs, error = bookexec._prefetch("mp-compile", {}, str(cwd))
        assert (label, error) == (None, None) and secs > 0
        assert len(list(results.glob("*.json"))) == 1
        label, secs, error = bookexec._prefetch("no-such-run", {}, str(cwd))
        assert label is None and "no-such-run" in error
        assert bookkernel.run_in_kernel(str(cwd), "print(6 * 7)").strip() == "42"
        with pytest.raises(RuntimeError, match="ZeroDivisionError"):
            bookkernel.run_in_kernel(str(cwd), "1 / 0")
    finally:
        kernel = bookkernel._KERNELS.pop(str(cwd), None)
        if kernel is not None:
            kernel.shutdown()
    assert list(cwd.iterdir()) == []                       # no socket files where the chapters run
    if sockets is not None:
        assert not os.path.exists(sockets)
    assert "without encryption" not in capfd.readouterr().err


def test_side_by_side_jobs_share_the_cores_for_blas(monkeypatch):
    # Two kernels on two cores each running a BLAS thread per core spun idle threads (see
    # blas_threads_per_job); each job gets its share of the cores, unless the environment says.
    import os

    names = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    for name in names:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(bookexec.os, "cpu_count", lambda: 4)
    bookexec.blas_threads_per_job(2)
    assert [os.environ[n] for n in names] == ["2", "2", "2"]
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "3")
    bookexec.blas_threads_per_job(8)
    assert os.environ["OPENBLAS_NUM_THREADS"] == "3"          # the environment's own setting is kept
