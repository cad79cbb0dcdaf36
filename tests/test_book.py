"""The built book (``make book``): every chapter present, offline, math rendered, downloadable.

These tests read ``book/_build/html``; ``make test`` builds the book first. The browser
tests open pages in Debian's headless Chromium through Playwright, with every request that
leaves localhost aborted and recorded, and save screenshots to ``book/_build/screenshots``.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import re
import shutil
import sys
import threading
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from annhist.bookexec import toc_files

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "book" / "_build" / "html"
SHOTS = ROOT / "book" / "_build" / "screenshots"
pytestmark = [pytest.mark.book, pytest.mark.xdist_group("book")]   # one browser, one server, one worker


def _toc_files() -> list[str]:
    """Every page of the table of contents, sections (the API reference's pages) included."""
    return toc_files(ROOT / "book")


@pytest.fixture(scope="module")
def built() -> Path:
    if not (HTML / "index.html").is_file():
        pytest.fail("The book is not built: run 'make book' (make test does it first).")
    return HTML


def test_every_chapter_is_in_the_toc():
    listed = set(_toc_files())
    for path in sorted((ROOT / "chapters").glob("*.md")):
        assert f"chapters/{path.stem}" in listed, f"{path.name} is not in book/_toc.yml"


def test_the_toc_is_read_with_its_sections(tmp_path):
    toc = {"format": "jb-book", "root": "intro", "parts": [
        {"caption": "A", "chapters": [{"file": "one"}, {"file": "ref", "sections": [
            {"file": "ref/a"}, {"file": "ref/b", "sections": [{"file": "ref/b/deep"}]}]}]},
        {"caption": "B", "chapters": [{"file": "two"}]}]}
    (tmp_path / "_toc.yml").write_text(yaml.safe_dump(toc))
    assert toc_files(tmp_path) == ["intro", "one", "ref", "ref/a", "ref/b", "ref/b/deep", "two"]
    files = _toc_files()
    assert "api" in files and files.index("api") < files.index("api/perceptron") < files.index("bibliography")


def test_the_api_index_links_each_api_page():
    """book/api.md lists its sub-pages by hand (grouped): none left out, none that is not in the toc."""
    pages = [f for f in _toc_files() if f.startswith("api/")]
    linked = re.findall(r"\{doc\}`[^`]*<(api/[\w/-]+)>`", (ROOT / "book" / "api.md").read_text())
    assert len(pages) >= 10 and sorted(linked) == sorted(pages), (pages, linked)


def test_a_print_sent_in_two_pieces_shows_no_blank_line():
    """The book's wrapper of MyST-NB's stream merge (book/_ext/annhist_book.py): the kernel may send
    a print's text and its newline apart; the page shows the lines as a notebook does."""
    import importlib.util

    import nbformat

    spec = importlib.util.spec_from_file_location("annhist_book", ROOT / "book" / "_ext" / "annhist_book.py")
    ext = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ext)
    ext._patch_coalesce_streams()
    from myst_nb.core import render

    def stream(text, name="stdout"):
        return nbformat.v4.new_output("stream", name=name, text=text)

    whole = [stream("a 1\nb 2\n")]
    pieces = [stream("a 1"), stream("\nb"), stream(" 2\n"), stream("warned\n", "stderr")]
    assert render.coalesce_streams(whole)[0]["text"] == "a 1\nb 2\n"
    merged = render.coalesce_streams(pieces)
    assert [(o["name"], o["text"]) for o in merged] == [("stdout", "a 1\nb 2\n"), ("stderr", "warned\n")]
    assert pieces[0]["text"] == "a 1"                 # the saved notebook keeps what the kernel sent


def test_every_toc_page_is_built_and_chapters_download_as_executed_ipynb(built):
    for doc in _toc_files():
        page = built / f"{doc}.html"
        assert page.is_file(), doc
        if doc.startswith("chapters/"):
            nb_path = built / "_sources" / f"{doc}.ipynb"
            assert nb_path.is_file(), f"no executed notebook for {doc}"
            nb = json.loads(nb_path.read_text())
            code = [c for c in nb["cells"] if c["cell_type"] == "code"]
            assert all(c.get("execution_count") for c in code), f"{doc}.ipynb has unexecuted cells"
            assert f'_sources/{doc.split("/")[-1]}.ipynb' in page.read_text() or \
                f"_sources/{doc}.ipynb" in page.read_text(), f"{doc} offers no .ipynb download"


def test_no_page_loads_anything_from_the_network(built):
    remote = re.compile(r"""<(script|link|img|iframe)[^>]+(src|href)=["'](https?:)?//""", re.I)
    for page in built.rglob("*.html"):
        text = page.read_text(errors="replace")
        found = remote.search(text)
        assert found is None, f"{page.relative_to(built)} loads {found.group(0)}"
    for css in (built / "_static").rglob("*.css"):
        assert not re.search(r"url\(['\"]?https?://", css.read_text(errors="replace")), css.name
    for page in built.rglob("*.html"):
        assert "thebe-launch-button" not in page.read_text(errors="replace")


def test_mathjax_is_local(built):
    assert (built / "_static" / "mathjax" / "tex-chtml.js").is_file()
    anatomy = (built / "chapters" / "02-anatomy.html").read_text()
    assert 'src="../_static/mathjax/tex-chtml.js' in anatomy


def test_search_index_has_the_chapters(built):
    index = (built / "searchindex.js").read_text()
    assert "anatomy" in index.lower() and "timeline" in index.lower()


# ----------------------------------------------------------------------------- clean pages
_STDERR = re.compile(r"""class=["'][^"']*\b(stderr|traceback)\b""")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
# A path of the build machine: /root/..., /tmp/..., /work/..., /home/<user>/..., /Users/<user>/...
_MACHINE_PATH = re.compile(r"(?<![\w.~/-])/(root|tmp|work|home/[\w.-]+|Users/[\w.-]+)(/|\b)")


def _page_problems(page_html: str) -> list[str]:
    """What a reader should never see on a page: stderr or traceback blocks, Python warnings, paths."""
    found = [f"a {m.group(1)} output block" for m in _STDERR.finditer(page_html)][:1]
    text = html.unescape(_TAG.sub(" ", _SCRIPT.sub(" ", page_html)))
    for needle, what in (("Warning:", "a Python warning"), ("Traceback (most recent call last)", "a traceback")):
        at = text.find(needle)
        if at >= 0:
            found.append(f"{what}: {' '.join(text[max(0, at - 60):at + 80].split())!r}")
    paths = {str(ROOT), str(Path.home()), sys.prefix}
    m = _MACHINE_PATH.search(text) or next((re.search(re.escape(p), text) for p in paths if p in text), None)
    if m:
        found.append(f"a machine path: {' '.join(text[max(0, m.start() - 40):m.end() + 60].split())!r}")
    return found


def test_page_scanner_finds_what_it_should():
    clean = '<p>Data: the USPS digits.</p><div class="admonition note">Run <code>make book</code></div>'
    assert _page_problems(clean) == []
    assert _page_problems('<div class="cell_output docutils container"><div class="output stderr">x</div>') \
        == ["a stderr output block"]
    warn = "<pre>/home/ann/annhist/annhist/cnn/experiments.py:41: DataFallbackWarning: The USPS digits</pre>"
    assert [p.split(":")[0] for p in _page_problems(warn)] == ["a Python warning", "a machine path"]
    assert _page_problems("<pre>Traceback (most recent call last):\n  File x</pre>")[0].startswith("a traceback")
    assert _page_problems(f"<p>saved to {ROOT}/results</p>")[0].startswith("a machine path")
    assert _page_problems('<a href="https://example.org/home/x/">site</a> <p>see ~/.cache/annhist</p>') == []


def test_no_page_shows_stderr_warnings_tracebacks_or_machine_paths(built):
    problems = {}
    for page in sorted(built.rglob("*.html")):
        rel = page.relative_to(built).as_posix()
        if rel.startswith(("_static/", "_sources/")):
            continue
        found = _page_problems(page.read_text(errors="replace"))
        if found:
            problems[rel] = found
    assert problems == {}, "pages a reader should not see like this:\n" + "\n".join(
        f"  {page}: {'; '.join(found)}" for page, found in problems.items())


# ----------------------------------------------------------------------------- browser
def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def server(built):
    handler = functools.partial(_QuietHandler, directory=str(built))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the 'test' extra")
    exe = _chromium()
    if exe is None:
        pytest.skip("Debian's chromium is not installed (make test installs it: apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield b
        b.close()


# After the load event: MathJax (a deferred script that replaces the configuration object
# window.MathJax) has typeset the page, the fonts are in, and no CSS transition is still running.
SETTLED = """
async () => {
  for (let i = 0; i < 200 && window.MathJax && !(MathJax.startup && MathJax.startup.promise); i++) {
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  await document.fonts.ready;
  await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const finite = a => { const t = a.effect && a.effect.getComputedTiming(); return t && isFinite(t.endTime); };
  await Promise.all(document.getAnimations().filter(finite).map(a => a.finished.catch(() => null)));
}
"""


def _open(browser, server, path, wait_until="networkidle"):
    """Open a page with every non-local request aborted; return (page, outside, errors).

    ``wait_until="load"``: then wait for the page to settle (SETTLED) instead of for half a
    second without network traffic; the caller checks ``outside`` and ``errors`` again once it has
    used the page (what arrives after the load)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    errors: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(server) or url.startswith(("data:", "blob:", "about:")):
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    url = f"{server}/{path}"
    with urllib.request.urlopen(url) as r:         # (the local server; read before the page can navigate away)
        refresh = re.search(r'http-equiv="Refresh" content="\d+; *url=([^"]+)"', r.read().decode(), re.I)
    page.goto(url, wait_until=wait_until)
    if refresh:                     # index.html's meta refresh: wait for the page it leads to, loaded
        page.wait_for_url(urljoin(url, refresh.group(1)), wait_until="load")
    if wait_until == "load":
        page.evaluate(SETTLED)
    return page, outside, errors


def page_loads_offline_with_math_and_images(page, doc: str, outside: list[str], errors: list[str]) -> list[str]:
    """What every page must do in the browser (tests/test_book_pages.py opens each page once and
    checks this, then the layout and accessibility): nothing asked of the network, no console
    error, its math typeset by the local MathJax, every image loaded."""
    problems = []
    path = f"{doc}.html"
    has_math = "$" in (ROOT / f"{doc}.md").read_text() if (ROOT / f"{doc}.md").exists() else False
    if has_math or doc == "chapters/02-anatomy":
        page.wait_for_selector("mjx-container", state="attached", timeout=20000)
        if page.locator("mjx-container").count() == 0 or "$$" in page.inner_text("body"):
            problems.append(f"{path}: math not rendered")
    if outside:
        problems.append(f"{path} asked the network for {outside}")
    if errors:
        problems.append(f"{path} logged console errors: {errors}")
    broken = page.evaluate("() => [...document.querySelectorAll('img')].flatMap("
                           "(i, k) => i.complete && i.naturalWidth > 0 ? [] : [k])")   # one round trip
    if broken:
        problems.append(f"broken image(s) {broken} on {path}")
    return problems


def test_search_works_offline(browser, server):
    page, outside, errors = _open(browser, server, "search.html?q=sigmoid")
    try:
        page.wait_for_selector("ul.search li", timeout=20000)
        hits = page.locator("ul.search li").all_inner_texts()
        assert any("Anatomy" in h for h in hits), hits
        assert outside == [] and errors == []
    finally:
        page.close()
