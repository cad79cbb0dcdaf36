"""Local Sphinx extension: the same book, built in less time.

Nothing here changes a page; each item removes work whose result the build did not use or
already had (measured with ``annhist book --force``, chapters already executed, on 2 shared cores).

1. Garbage collection: Sphinx makes and unpickles millions of docutils nodes, and Python's cyclic
   garbage collector, at its default thresholds (700, 10, 10), walked the whole heap again and again
   while it did: a third of the build's time. During the build it runs far less often, and when the
   build has finished every object is frozen (``gc.freeze``): Sphinx runs in jupyter-book's process,
   which ends with the build, and at exit Python would otherwise search all of them for cycles (1.8 s).
2. sphinxcontrib-bibtex asks pybtex for its plaintext backend once per citation, and pybtex scans the
   entry points of every installed package each time: the backend is registered once, as a pybtex
   runtime plugin (the class the entry point names), which pybtex looks up first.
3. Each ``{numref}`` unpickles the whole doctree of the page that holds its target, only to read the
   target's number and caption: the doctree of the last target's page is kept for the next one.
4. autodoc reads and parses the source of every function it documents, looking for ``# type:``
   comments to turn into annotations; with ``autodoc_typehints`` "none" no annotation is shown, so
   none is looked for.
5. Pages are written by worker processes, as ``sphinx-build -j N`` does: the main process resolves the
   references of the next pages while N - 1 workers write them. There are as many workers as chapters
   that ``annhist book`` executes at once (``ANNHIST_BOOK_JOBS``, else the number of cores), the main
   process being mostly idle (with one worker, which Sphinx gives the pages in two batches, the writing
   was hardly faster than serial). Sphinx still reads serially: sphinx-multitoc-numbering does not
   declare whether it is safe for parallel reading (under ``-W`` Sphinx's warning about it fails the
   build) and sphinx-proof's domain cannot merge the data of parallel readers; tried with both
   patched, a parallel read was not faster (every reader imports annhist and scikit-learn again).
6. ``annhist book`` starts Sphinx before the last chapters have executed (:mod:`annhist.bookwait`):
   Sphinx reads the pages that no chapter holds up first, and before a chapter still executing it
   waits. Without ``annhist book`` (a plain ``jupyter-book build``) nothing waits.
7. autodoc asks the analyzer of each module it documents (``sphinx.pycode``) for the comments that
   document attributes and for the order of the members; the analyzer also found the line range of
   every definition, a second pass over the source with Python's tokenizer (about 2 s for annhist's
   modules), which only viewcode and ``literalinclude :pyobject:`` use (``find_tags``): it is made
   when one of them asks for it.
8. The search index stems every word of every page with the Porter stemmer; Sphinx remembers the
   stems within a page only, so a word used on 20 pages was stemmed 20 times (26,500 calls, 2 s of
   the main process under a profiler, while the writers wait for it). The stem of a word is kept
   for the whole build: the same index.
"""

from __future__ import annotations

import gc
import os

# Allocations (less deallocations) before a young collection, young collections before a middle
# one, middle ones before a full one.
_GC_THRESHOLDS = (50_000, 20, 100)

_NUMREF_DOCTREE: list = []      # [docname, its doctree]: the page of the last {numref}'s target


def _collect_no_more(app, exc) -> None:
    gc.freeze()


def _register_pybtex_plaintext() -> None:
    import pybtex.plugin

    backend = pybtex.plugin.find_plugin("pybtex.backends", "plaintext")
    pybtex.plugin.register_plugin("pybtex.backends", "plaintext", backend, force=True)


def _forget_numref_doctree(*args) -> None:
    _NUMREF_DOCTREE.clear()


def _patch_numref_doctree() -> None:
    from sphinx.domains.std import StandardDomain

    original = StandardDomain.resolve_xref
    if getattr(original, "__annhist_numref__", False):
        return

    def resolve_xref(self, env, fromdocname, builder, typ, target, node, contnode):
        if typ != "numref":
            return original(self, env, fromdocname, builder, typ, target, node, contnode)
        load = env.get_doctree

        def get_doctree(docname):           # the target node is only read, never changed
            if not _NUMREF_DOCTREE or _NUMREF_DOCTREE[0] != docname:
                _NUMREF_DOCTREE[:] = [docname, load(docname)]
            return _NUMREF_DOCTREE[1]

        env.get_doctree = get_doctree
        try:
            return original(self, env, fromdocname, builder, typ, target, node, contnode)
        finally:
            del env.get_doctree

    resolve_xref.__annhist_numref__ = True
    StandardDomain.resolve_xref = resolve_xref


def _find_definitions_on_demand() -> None:
    from sphinx.pycode import ModuleAnalyzer
    from sphinx.pycode.parser import Parser

    if getattr(Parser.parse, "__annhist_lazy__", False):
        return

    def parse(self) -> None:
        self.parse_comments()
        self.definitions = None                   # found by find_tags, when something asks for them

    def find_tags(self):
        self.analyze()
        if self.tags is None:
            parser = Parser(self.code)
            parser.parse_definition()
            self.tags = parser.definitions
        return self.tags

    parse.__annhist_lazy__ = True
    Parser.parse = parse
    ModuleAnalyzer.find_tags = find_tags


def _stem_each_word_once() -> None:
    from sphinx.search.en import SearchEnglish

    original = SearchEnglish.stem
    if getattr(original, "__annhist_once__", False):
        return
    stems: dict[str, str] = {}

    def stem(self, word: str) -> str:
        found = stems.get(word)
        if found is None:
            found = stems[word] = original(self, word)
        return found

    stem.__annhist_once__ = True
    SearchEnglish.stem = stem


def _drop_type_comments(app) -> None:
    if app.config.autodoc_typehints == "none":
        listeners = app.events.listeners.get("autodoc-before-process-signature", [])
        listeners[:] = [lst for lst in listeners
                        if getattr(lst.handler, "__module__", "") != "sphinx.ext.autodoc.type_comment"]


def _read_pending_chapters_last(app, env, docnames: list) -> None:
    from annhist.bookwait import read_order

    read_order(docnames)


def _wait_for_chapter(app, docname: str, source: list) -> None:
    from annhist.bookwait import wait_for

    wait_for(docname)


def _write_in_parallel(app, env) -> None:
    jobs = int(os.environ.get("ANNHIST_BOOK_JOBS", "").strip() or os.cpu_count() or 1)
    app.parallel = max(app.parallel, jobs + 1)


def setup(app):
    gc.set_threshold(*_GC_THRESHOLDS)
    _register_pybtex_plaintext()
    _patch_numref_doctree()
    _find_definitions_on_demand()
    _stem_each_word_once()
    app.connect("builder-inited", _drop_type_comments)
    app.connect("env-before-read-docs", _forget_numref_doctree)
    app.connect("env-before-read-docs", _read_pending_chapters_last)
    app.connect("source-read", _wait_for_chapter)
    app.connect("env-updated", _write_in_parallel)          # read serially, then write in parallel
    app.connect("build-finished", _forget_numref_doctree)
    app.connect("build-finished", _collect_no_more, priority=900)    # after every other handler
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
