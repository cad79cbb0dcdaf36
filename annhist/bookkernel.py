"""The book build's reused kernels: one per worker of :mod:`annhist.bookexec`, fresh for every chapter.

A chapter executed here sees what a fresh kernel shows it (``tests/test_bookexec.py`` compares the
outputs); only the kernel's start and the chapters' imports are saved.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator

__all__ = ["TIMEOUT", "WARM_MODULES", "execute_notebook", "kernel", "run_in_kernel"]

TIMEOUT = 300                         # seconds per cell, as book/_config.yml (execute: timeout)

# A kernel costs about 1.5 s to start and the chapters' imports (numpy, scipy, scikit-learn, matplotlib,
# annhist) 2-4 s more: a third of the build when each of 14 chapters pays them. So each worker keeps
# one kernel, which imports those once, and puts it back as a fresh kernel would be before every
# chapter: an empty namespace and a new history session (prompts from 1: ``InteractiveShell.reset(
# new_session=True)``), no open figure, no "already shown" warning records. What stays is what imports
# leave: modules and their caches, which a chapter cannot see -- unless a chapter changed a global
# setting (the warning filters or matplotlib's rcParams differ from what they were after the imports):
# then the kernel is replaced. The tests execute notebooks this way and in fresh kernels and compare the outputs
# (tests/test_bookexec.py); ``ANNHIST_REEXECUTE_CHAPTERS=1`` compares every chapter.
WARM_MODULES = ("numpy", "scipy", "sklearn", "matplotlib.pyplot", "IPython.display", "annhist.experiments")
_WARM = """
import importlib as _importlib, sys as _sys, types as _types, warnings as _warnings
for _name in %r:
    _importlib.import_module(_name)
import matplotlib as _mpl
with _warnings.catch_warnings():
    _warnings.simplefilter("ignore")               # reading deprecated keys may warn
    _rc = _mpl.rcParams.copy()
_sys.modules["_annhist_fresh"] = _types.SimpleNamespace(filters=list(_warnings.filters), rc=_rc)
"""
_RESET = """
def _annhist_fresh():
    import gc, sys, warnings
    import matplotlib, matplotlib.pyplot as plt
    fresh = sys.modules["_annhist_fresh"]
    plt.close("all")
    filters = list(warnings.filters)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same = filters == fresh.filters and matplotlib.rcParams.copy() == fresh.rc
    for module in list(sys.modules.values()):
        registry = getattr(module, "__warningregistry__", None)
        if isinstance(registry, dict):
            registry.clear()
    get_ipython().reset(new_session=True)
    gc.collect()
    print("annhist-kernel:", "fresh" if same else "changed")
_annhist_fresh()
"""


def _kernel_manager():
    """A kernel manager whose kernel talks over Unix sockets in a folder of its own (POSIX), or over
    TCP on 127.0.0.1 (elsewhere); and that folder, or None.

    Over TCP, ipykernel 7 warns on the console that the kernel's traffic is not encrypted (any user
    of the machine could read it on the port), a warning in the output of ``make book`` for each
    worker. Unix sockets in a new folder that only its owner can enter (``mkdtemp``: mode 0700) are
    neither open to other users nor warned about. The folder is named explicitly: left to itself,
    jupyter_client puts the sockets in the working directory (``kernel-ipc-1`` ...), which both
    workers share."""
    from jupyter_client.manager import KernelManager

    if os.name != "posix":
        return KernelManager(kernel_name="python3"), None
    sockets = tempfile.mkdtemp(prefix="annhist-kernel-")
    return KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "kernel")), sockets


def _remove(sockets: str | None) -> None:
    if sockets is not None:
        shutil.rmtree(sockets, ignore_errors=True)


@contextlib.contextmanager
def _fresh_kernel_manager() -> Iterator:
    """A kernel manager for one notebook (nbclient starts its kernel), stopped and removed after it."""
    km, sockets = _kernel_manager()
    try:
        yield km
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
        _remove(sockets)


class _Kernel:
    """One kernel, reused for chapter after chapter (see above); started on first use."""

    def __init__(self, cwd: str):
        self.km, self.sockets = _kernel_manager()
        try:
            self.km.start_kernel(cwd=cwd)
        except BaseException:
            _remove(self.sockets)
            raise
        self.kc = self.km.blocking_client()
        self.kc.start_channels()
        try:
            self.kc.wait_for_ready(timeout=60)
            self._run(_WARM % (tuple(WARM_MODULES),))
            self.reset()                               # the imports' names go too
        except BaseException:
            self.shutdown()
            raise

    def _run(self, code: str, timeout: float = 120) -> str:
        printed: list[str] = []

        def hook(msg):
            if msg["msg_type"] == "stream":
                printed.append(msg["content"]["text"])

        reply = self.kc.execute_interactive(code, store_history=False, timeout=timeout, output_hook=hook)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"running code in the kernel failed: {reply['content'].get('ename')}: "
                               f"{reply['content'].get('evalue')}")
        return "".join(printed)

    def reset(self) -> bool:
        """Make the kernel as a fresh one; False if a chapter changed a global setting (replace it)."""
        return "annhist-kernel: fresh" in self._run(_RESET)

    def alive(self) -> bool:
        return self.km.is_alive()

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
            self.km.shutdown_kernel(now=True)
        finally:
            _remove(self.sockets)


_KERNELS: dict[str, _Kernel] = {}


def kernel(cwd: str) -> _Kernel:
    """This worker's kernel for ``cwd``, as fresh for the next chapter (a new one if it died or a
    chapter changed a global setting)."""
    found = _KERNELS.get(cwd)
    if found is not None and not (found.alive() and found.reset()):
        _KERNELS.pop(cwd).shutdown()
        found = None
    if found is None:
        from multiprocessing import util

        found = _KERNELS[cwd] = _Kernel(cwd)
        util.Finalize(found, found.shutdown, exitpriority=10)     # run when the worker process exits
    return found


def execute_notebook(nb, cwd: str, *, reuse: bool = True):
    """Execute ``nb`` in ``cwd`` as myst-nb would (time limit, errors stop it): in this process's
    reused kernel (``reuse=True``) or in a fresh one. Returns jupyter-cache's ``ExecutionResult``."""
    from jupyter_cache.executors.utils import single_nb_execution

    options = {}
    if reuse:
        try:
            options["km"] = kernel(cwd).km
        except (RuntimeError, TimeoutError) as exc:     # no reusable kernel: a fresh one, as myst-nb would
            print(f"annhist book: a fresh kernel for this chapter ({exc})", file=sys.stderr, flush=True)
            _KERNELS.pop(cwd, None)
            reuse = False
    with contextlib.ExitStack() as stack:
        if not reuse:               # a fresh kernel, on the same transport as the reused ones
            options["km"] = stack.enter_context(_fresh_kernel_manager())
        result = single_nb_execution(nb, cwd=cwd, timeout=TIMEOUT, allow_errors=False, meta_override=True,
                                     **options)
    if reuse and result.exc_string is not None:         # a failed chapter may leave anything behind
        _KERNELS.pop(cwd).shutdown()
    return result


def run_in_kernel(cwd: str, code: str, timeout: float = TIMEOUT) -> str:
    """Run ``code`` in this process's reused kernel for ``cwd``, as fresh as for a chapter; return
    what it printed. A failure raises ``RuntimeError`` (or ``TimeoutError``)."""
    return kernel(cwd)._run(code, timeout=timeout)
