"""Local Sphinx extension for the annhist book.

1. Offline MathJax 3: copies the MathJax files that the PyPI package sphinx-mathjax-offline
   carries (in a hyphenated folder, so it cannot be loaded as an extension by name) into
   ``_static/mathjax`` when the build finishes. ``mathjax_path`` is set in ``_config.yml``.
2. No live-code machinery: Jupyter Book always loads sphinx-thebe, which puts a CDN address
   for thebe into every page (and, here, declared it twice, a console error). The book has no
   launch buttons, so its event handlers are disconnected before the build reads any page.
3. MyST-NB's ``coalesce_streams`` (nb_merge_streams) merges a cell's stream outputs for the
   page but mutates the first output in place, so the executed notebook it saves repeats
   text (``[A + B, B]``). It is wrapped to work on a copy: the page shows the merged text,
   the saved notebook keeps the outputs as the kernel sent them. It also strips each piece of
   a stream before it appends a newline, so a page showed a blank line wherever the kernel
   happened to send a ``print``'s text and its newline in two messages (06-xor, in one of two
   builds): each stream's pieces are first joined as they came, as a notebook shows them.
4. Executed notebooks: every chapter can be downloaded as an executed ``.ipynb`` (the theme's
   download button otherwise serves the MyST ``.md`` source). The executed notebooks that
   MyST-NB writes to ``_build/jupyter_execute`` are copied next to the sources, and the page
   context's ``ipynb_source`` makes sphinx-book-theme offer them.
5. The bibliography's ``<div role="list">`` holds ``doc-biblioentry`` divs, which axe-core
   reports as a critical ARIA violation (a list whose children are not list items); the
   roles are dropped, leaving plain, valid HTML.
6. The whole book as one PDF (``make pdf`` prints the single-page build to
   ``_build/html/annhist.pdf``): every page's download menu offers it. sphinx-proof and
   sphinx-exercise register their HTML visitors for the ``html`` builder only; the
   ``singlehtml`` builder gets the same ones.
7. A chapter read from the execution cache (``annhist book`` executes the chapters before
   Sphinx reads them, :mod:`annhist.bookexec`) is rendered from the cached, executed cells,
   but MyST-NB then saves the notebook it was given, without outputs, as the downloadable
   ``.ipynb``. The client is wrapped to copy the executed cells into that notebook.
8. The sidebar's toggle for a page's sub-pages (the API reference's) is a ``<summary>`` that
   holds only a decorative chevron: no accessible name, which axe-core reports as a serious
   violation (summary-name). The theme's sidebar is wrapped to label each such toggle
   "Toggle navigation of <the page's title>".
"""

from __future__ import annotations

import copy
import shutil
from importlib import metadata
from pathlib import Path

from sphinx.util.fileutil import copy_asset


def _mathjax_dir() -> Path:
    dist = metadata.distribution("sphinx-mathjax-offline")
    path = Path(dist.locate_file("sphinx-mathjax-offline/static/mathjax"))
    if not (path / "tex-chtml.js").is_file():
        raise RuntimeError(f"sphinx-mathjax-offline's MathJax files are missing at {path}")
    return path


def _executed_dir(app) -> Path:
    return Path(app.outdir).parent / "jupyter_execute"


def _set_ipynb_source(app, pagename, templatename, context, doctree):
    if doctree is None or not pagename.startswith("chapters/"):
        return
    if (_executed_dir(app) / f"{pagename}.ipynb").is_file() or app.env.metadata.get(pagename, {}).get("kernelspec"):
        context["ipynb_source"] = f"{pagename}.ipynb"


def _copy_assets(app, exc):
    if exc is not None or app.builder.format != "html":
        return
    copy_asset(str(_mathjax_dir()), str(Path(app.outdir) / "_static" / "mathjax"))
    executed = _executed_dir(app)
    for nb in sorted(executed.rglob("*.ipynb")):
        target = Path(app.outdir) / "_sources" / nb.relative_to(executed)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(nb, target)


def _add_book_pdf(app, pagename, templatename, context, doctree):
    if app.builder.name != "html":
        return
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].append({
                "type": "link", "url": context["pathto"]("annhist.pdf", 1), "text": "whole book (.pdf)",
                "tooltip": "Download the whole book as one PDF (made by make pdf)", "icon": "fas fa-book",
                "label": "download-book-pdf-button"})


def _plain_citation_list(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and "citation-list" in body:
        context["body"] = body.replace('<div role="list" class="citation-list">', '<div class="citation-list">') \
            .replace(' role="doc-biblioentry"', "")


def _singlehtml_visitors(app):
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    single = handlers.setdefault("singlehtml", {})
    for node, visitors in handlers.get("html", {}).items():
        single.setdefault(node, visitors)


def _no_header_search(app, config):
    """No second search box: sphinx-book-theme keeps search in the sidebar and leaves pydata-sphinx-theme's
    header bar empty (its theme.conf: ``navbar_persistent =``), but pydata-sphinx-theme 0.17 puts a search field
    there whenever ``navbar_persistent`` is missing from ``html_theme_options``: a bar of its own on every page."""
    config.html_theme_options.setdefault("navbar_persistent", [])


def _drop_thebe(app):
    for event in ("env-before-read-docs", "doctree-resolved"):
        listeners = app.events.listeners.get(event, [])
        listeners[:] = [lst for lst in listeners if getattr(lst.handler, "__module__", "") != "sphinx_thebe"]


def _join_streams(outputs: list) -> list:
    """Each stream's pieces (stdout, stderr) joined as they came, at the place of its first piece."""
    joined, first = [], {}
    for output in outputs:
        if output.get("output_type") == "stream":
            if output.get("name") in first:
                first[output["name"]]["text"] += output["text"]
                continue
            first[output.get("name")] = output
        joined.append(output)
    return joined


def _patch_coalesce_streams() -> None:
    from myst_nb.core import render

    original = render.coalesce_streams
    if getattr(original, "__annhist_copy__", False):
        return

    def coalesce_copy(outputs):
        return original(_join_streams(copy.deepcopy(outputs)))

    coalesce_copy.__annhist_copy__ = True
    render.coalesce_streams = coalesce_copy


def _patch_cache_hit_notebook() -> None:
    from myst_nb.core.execute.cache import NotebookClientCache

    original = NotebookClientCache.start_client
    if getattr(original, "__annhist_executed__", False):
        return

    def start_client(self):
        given = self._notebook
        original(self)
        if self._notebook is not given:                  # a cache hit: the merged, executed copy
            given.cells = self._notebook.cells
            given.metadata.update(self._notebook.metadata)

    start_client.__annhist_executed__ = True
    NotebookClientCache.start_client = start_client


def _label_sidebar_toggles(app, pagename, templatename, context, doctree):
    original = context.get("generate_toctree_html")
    if original is None or getattr(original, "__annhist_labels__", False):
        return

    def generate_toctree_html(*args, **kwargs):
        # The arguments go on as they came: pydata-sphinx-theme caches the sidebar (functools.cache, whose
        # key is how the arguments are passed), which its check that the sidebar is not empty already made.
        soup = original(*args, **kwargs)
        if kwargs.get("kind", args[0] if args else None) == "sidebar":
            for summary in soup.select("li > details > summary"):
                link = summary.parent.find_previous_sibling("a")
                if not summary.get_text(strip=True) and not summary.get("aria-label") and link is not None:
                    summary["aria-label"] = f"Toggle navigation of {link.get_text(' ', strip=True)}"
        return soup

    generate_toctree_html.__annhist_labels__ = True
    context["generate_toctree_html"] = generate_toctree_html


def _import_dotted(path: str):
    """The object named by a dotted path (a module, then attributes), or None."""
    import importlib  # the book's Sphinx extension, not annhist: resolving names is its job

    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))  # noqa: TID251 -- a name from the API pages
        except ImportError:
            continue
        try:
            for attr in parts[i:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None
        return obj
    return None


def _resolve_reexport(app, env, node, contnode):
    """Resolve a reference to a name a package re-exports (``annhist.mlp.MLP.fit``) to where it is defined.

    The API pages document every object once, in the module that defines it; docstrings may name it
    by the shorter path users import it from, or by a short name imported into their module.
    """
    if node.get("refdomain") != "py":
        return None
    target, module = node["reftarget"], node.get("py:module") or ""
    for name in ([target] + ([f"{module}.{target}"] if module else [])):
        if not name.startswith("annhist"):
            continue
        obj = _import_dotted(name)
        owner = getattr(obj, "__module__", None)
        qual = getattr(obj, "__qualname__", None)
        if not owner or not qual or not owner.startswith("annhist"):
            continue
        canon = f"{owner}.{qual}"
        if canon == name:
            continue
        found = env.get_domain("py").resolve_xref(env, node["refdoc"], app.builder, node["reftype"], canon,
                                                   node, contnode)
        if found is not None:
            return found
    return None


def _skip_foreign_members(app, what, name, obj, skip, options):
    """Leave out members an estimator inherits from scikit-learn (their docstrings are scikit-learn's), and the
    fields of a NamedTuple, whose only docstring is Python's "Alias for field number N" (the class says what
    its fields are)."""
    owner = getattr(obj, "__module__", None) or ""
    if owner.startswith("sklearn") or (name.startswith("set_") and name.endswith("_request")):
        return True
    if (getattr(obj, "__doc__", None) or "").startswith("Alias for field number"):
        return True
    return None


def setup(app):
    _mathjax_dir()  # fail early, with a clear message, if the package is missing
    _patch_coalesce_streams()
    _patch_cache_hit_notebook()
    app.connect("config-inited", _no_header_search)
    app.connect("builder-inited", _drop_thebe)
    app.connect("builder-inited", _singlehtml_visitors)
    app.connect("html-page-context", _set_ipynb_source, priority=400)
    app.connect("html-page-context", _add_book_pdf, priority=510)
    app.connect("html-page-context", _plain_citation_list)
    app.connect("html-page-context", _label_sidebar_toggles, priority=600)   # after the theme's (500)
    app.connect("build-finished", _copy_assets)
    app.connect("missing-reference", _resolve_reexport)
    app.connect("autodoc-skip-member", _skip_foreign_members)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
