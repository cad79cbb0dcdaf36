"""Build the executed book: ``annhist book`` and ``make book``.

Jupyter Book's execution cache (jupyter-cache) only looks at a notebook's code cells, so a
change to annhist's own sources would leave stale outputs. Before each build we hash the
package's sources and, when the hash changed, clear the cache so every chapter re-executes.
In CI (``CI`` set) or with ``force=True`` the cache is always cleared.

While the chapters execute, ``ANNHIST_RESULT_CACHE`` names ``book/_build/.annhist-results``:
each ``annhist.experiments.run`` writes its result there as JSON, keyed on the experiment, its
seed and options and the same sources hash, and the "What we reproduced" page reads the
runs the chapters made instead of repeating them (:mod:`annhist.experiments.cache`). The
folder is emptied whenever every chapter re-executes.

The chapters execute side by side before Sphinx reads them (``annhist.bookexec``: one
kernel per core, ``ANNHIST_BOOK_JOBS`` to change it), into the same execution cache; Sphinx
then only renders them; it starts while the last chapters still execute, and waits for each
(:mod:`annhist.bookwait`). A chapter that fails to execute fails the build; its error report
(the chapter and the failing cell with its traceback) is printed.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from annhist import bookwait
from annhist.buildkeys import RESULT_CACHE_VAR, sources_hash

__all__ = ["find_root", "build_book", "build_pdf"]


def find_root(start: str | os.PathLike | None = None) -> Path:
    """The project folder that holds ``book/_config.yml``: ``start`` if given (else a ``FileNotFoundError`` naming
    it: a mistyped ``--root`` must not build another book), else annhist's own checkout, else the current
    folder or one above it."""
    if start is not None:
        root = Path(start).expanduser().resolve()
        if not (root / "book" / "_config.yml").is_file():
            raise FileNotFoundError(f"--root {str(start)!r} holds no book/_config.yml: pass the annhist project "
                                    f"folder (the one with book/ and chapters/).")
        return root
    candidates = []
    candidates.append(Path(__file__).resolve().parents[1])
    cwd = Path.cwd().resolve()
    candidates.extend([cwd, *cwd.parents])
    for c in candidates:
        if (c / "book" / "_config.yml").is_file():
            return c
    raise FileNotFoundError("Cannot find book/_config.yml: run 'annhist book' from the annhist project folder "
                            "(or pass --root).")


def _print_reports(build_dir: Path) -> int:
    report_dir = build_dir / "html" / "reports"
    reports = sorted(report_dir.rglob("*.err.log")) if report_dir.is_dir() else []
    for rep in reports:
        chapter = rep.relative_to(build_dir / "html" / "reports").as_posix().removesuffix(".err.log")
        print(f"\n=== chapter {chapter} failed to execute; the failing cell and its error:\n", file=sys.stderr)
        print(rep.read_text(errors="replace")[-6000:], file=sys.stderr)
    return len(reports)


def _inputs_digest(root: Path) -> str:
    """SHA-256 of what the book is made of: annhist's sources, the chapters and every file of
    ``book/`` outside ``_build``."""
    h = hashlib.sha256(sources_hash(Path(__file__).resolve().parent).encode())
    files = [*(root / "book").rglob("*"), *(root / "chapters").rglob("*")]      # book/chapters is a link
    skip = {"_build", "__pycache__", ".ipynb_checkpoints"}
    for path in sorted(p for p in files if p.is_file() and not skip.intersection(p.parts)):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _execute_then_render(root: Path, book: Path, build_dir: Path, jobs: str, cmd: list[str], env: dict) -> int:
    """Execute the chapters (``annhist.bookexec``) and run Sphinx (``cmd``); return Sphinx's exit status.

    Sphinx starts when bookexec prints :data:`~annhist.bookwait.READY`, before the last chapters have
    finished: Sphinx reads one page at a time, and the chapters execute on the cores its reading leaves
    idle; it waits for each chapter still executing (:mod:`annhist.bookwait`). A failure in bookexec is
    not final: Sphinx executes what is not in the cache and reports errors.
    """
    build_dir.mkdir(parents=True, exist_ok=True)
    wait_file = build_dir / ".annhist-executing"
    env = {**env, bookwait.VAR: str(wait_file)}

    def sphinx() -> subprocess.Popen:
        print("annhist book: " + " ".join(cmd), flush=True)
        return subprocess.Popen(cmd, cwd=root, env=env)

    started = None
    try:
        with subprocess.Popen([sys.executable, "-m", "annhist.bookexec", str(book), jobs], cwd=root, env=env,
                              stdout=subprocess.PIPE, text=True, bufsize=1) as exe:
            for line in exe.stdout:
                print(line, end="", flush=True)
                if line.rstrip("\n") == bookwait.READY and started is None:
                    started = sphinx()
    finally:
        wait_file.unlink(missing_ok=True)                # Sphinx waits no more (bookexec ended)
    return (started or sphinx()).wait()                  # without READY (bookexec failed): Sphinx now


def build_book(*, force: bool = False, root: str | os.PathLike | None = None) -> int:
    """Execute every chapter and write the HTML book; return the exit status."""
    root = find_root(root)
    book = root / "book"
    build_dir = book / "_build"
    cache = build_dir / ".jupyter_cache"
    stamp = build_dir / ".annhist-sources.sha256"
    results = build_dir / ".annhist-results"
    digest = sources_hash(Path(__file__).resolve().parent)
    force = force or bool(os.environ.get("CI"))
    html_stamp, inputs = build_dir / ".annhist-html.sha256", _inputs_digest(root)
    if not force and (build_dir / "html" / "index.html").is_file() and html_stamp.is_file() \
            and html_stamp.read_text().strip() == inputs:
        print("annhist book: up to date (annhist's sources and the book's files are those it was built from)")
        return 0
    rebuild_all = force or not stamp.is_file() or stamp.read_text().strip() != digest
    if rebuild_all:
        # Sphinx re-reads only changed sources, and jupyter-cache keys on code cells: both must
        # be told that the code the chapters import has changed.
        reason = "forced" if force else "annhist's sources changed"
        print(f"annhist book: {reason}; every chapter re-executes.")
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(results, ignore_errors=True)
    # A previous failure's reports would be shown again; start clean.
    shutil.rmtree(build_dir / "html" / "reports", ignore_errors=True)
    exe = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(exe) if exe.exists() else "jupyter-book", "build", str(book), "--builder", "html",
           "-W", "-n", "--keep-going"] + (["--all"] if rebuild_all else [])
    # ANNHIST_BOOK: explorables render their static, offline form (annhist.plotting.explorable).
    env = dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION="1", MPLBACKEND="Agg", ANNHIST_BOOK="1",
               **{RESULT_CACHE_VAR: str(results)})
    jobs = os.environ.get("ANNHIST_BOOK_JOBS", "").strip() or str(os.cpu_count() or 1)
    returncode = _execute_then_render(root, book, build_dir, jobs, cmd, env)
    failed = _print_reports(build_dir)
    if returncode != 0 or failed:
        print(f"annhist book: the build FAILED (exit status {returncode}, {failed} chapter(s) failed to "
              f"execute).", file=sys.stderr)
        return 1
    build_dir.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest + "\n")
    html_stamp.write_text(inputs + "\n")
    print(f"annhist book: built {build_dir / 'html' / 'index.html'}")
    return 0


# ----------------------------------------------------------------------------- the PDF
# Run in the page before printing: a title page and a table of contents (the chapters' titles,
# linked, each with its sections' pages) go in front, and every chapter starts on a new page
# (book/_static/annhist.css, @media print).
_FRONT_MATTER = """
async () => {
  // window.MathJax is first the page's configuration object; MathJax itself (a deferred script)
  // replaces it, with a startup promise, when it has loaded: wait for that (up to 2 minutes).
  for (let i = 0; i < 1200 && !(window.MathJax && MathJax.startup && MathJax.startup.promise); i++) {
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  if (window.MathJax && MathJax.startup) { await MathJax.startup.promise; }
  await document.fonts.ready;
  const article = document.querySelector("article.bd-article") || document.querySelector("main");
  // singlehtml nests each included page after a <span id="document-NAME">; a chapter's section
  // starts a page. A page among a chapter's sections (the API reference's) follows on below it.
  const pages = [...article.querySelectorAll('span[id^="document-"]')]
    .map(s => s.nextElementSibling).filter(s => s && s.tagName === "SECTION");
  const starts = pages.filter(s => !pages.some(o => o !== s && o.contains(s)));
  starts.forEach(s => s.classList.add("annhist-chapter"));
  const title = s => s.querySelector("h1, h2, h3, h4");
  // [title, the chapter's section]: the root's section holds every chapter, so it has none.
  const chapters = [[article.querySelector("h1"), null], ...starts.map(s => [title(s), s])].filter(([h]) => h);
  let n = 0;
  const link = h => {
    if (!h.id) { h.id = "annhist-chapter-" + n++; }
    return "<a href='#" + h.id + "'>" + h.textContent.replace(/#$/, "").trim() + "</a>";
  };
  const front = document.createElement("div");
  front.className = "annhist-front-matter";
  const titlePage = document.createElement("section");
  titlePage.className = "annhist-title-page";
  titlePage.innerHTML = "<p class='annhist-title'>annhist</p>" +
    "<p class='annhist-subtitle'>Neural networks, 1943-1998, as runnable history</p>" +
    "<p class='annhist-author'>The annhist developers</p>" +
    "<p class='annhist-note'>Every figure in this book was computed by the code it shows.</p>";
  const toc = document.createElement("nav");
  toc.className = "annhist-toc";
  toc.setAttribute("aria-label", "Contents");
  const list = chapters.map(([h, s]) => {
    const subs = s ? pages.filter(o => o !== s && s.contains(o)).map(title).filter(t => t) : [];
    const sub = subs.length ? "<ul>" + subs.map(t => "<li>" + link(t) + "</li>").join("") + "</ul>" : "";
    return "<li>" + link(h) + sub + "</li>";
  });
  toc.innerHTML = "<h2>Contents</h2><ol>" + list.join("") + "</ol>";
  front.append(titlePage, toc);
  article.prepend(front);
  const unrendered = document.querySelectorAll("div.math:not(:has(mjx-container)), span.math:not(:has(mjx-container))");
  return {chapters: chapters.length, math: document.querySelectorAll("mjx-container").length,
          unrendered: unrendered.length};
}
"""


def _singlehtml_page(out: Path) -> Path:
    """The single page (named after the root document, so it may sit in ``chapters/``), copied to
    the top of the output: its links to ``_static`` and ``_images`` are written for that place."""
    skip = ("_", "search", "genindex")
    target = out / "annhist-book.html"
    pages = [p for p in out.rglob("*.html") if not p.relative_to(out).as_posix().startswith(skip) and p != target]
    pages = [p for p in pages if "<meta http-equiv=\"refresh\"" not in p.read_text(errors="replace")[:2000]]
    if not pages:
        raise FileNotFoundError(f"no single-page HTML in {out}")
    shutil.copyfile(max(pages, key=lambda p: p.stat().st_size), target)
    return target


def _print(page_path: Path, root_dir: Path, pdf: Path, chromium: str) -> dict:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(root_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    url = f"{base}/{page_path.relative_to(root_dir).as_posix()}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            # Offline: anything not served from the build folder is refused.
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith((base, "data:", "blob:"))
                       else r.abort())
            page.goto(url, wait_until="networkidle", timeout=120_000)
            page.emulate_media(media="print")
            info = page.evaluate(_FRONT_MATTER)
            page.wait_for_timeout(500)
            page.pdf(path=str(pdf), format="A4", print_background=True, outline=True, tagged=True,
                     display_header_footer=True, header_template="<span></span>",
                     footer_template="<div style='font-size:8px;width:100%;text-align:center'>"
                                     "<span class='pageNumber'></span></div>",
                     margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"})
            browser.close()
    finally:
        httpd.shutdown()
    return info


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """The PDF build's local server, without a log line per request on stderr."""

    def log_message(self, *args):
        return None                                   # the requests are the build's own: nothing to report


def build_pdf(*, root: str | os.PathLike | None = None) -> int:
    """The whole book as one PDF: Sphinx's ``singlehtml`` output printed by headless Chromium.

    The chapters come from the execution cache of the HTML build (run ``build_book`` first).
    The PDF is written to ``book/_build/html/annhist.pdf``, where every page's download menu
    links to it. It is not made again while annhist's sources and the book's files are those it
    was made from. Returns the exit status.
    """
    root = find_root(root)
    build_dir = root / "book" / "_build"
    stamp, digest = build_dir / ".annhist-pdf.sha256", _inputs_digest(root)
    if (build_dir / "html" / "annhist.pdf").is_file() and stamp.is_file() and stamp.read_text().strip() == digest:
        print("annhist book: the PDF is up to date")
        return 0
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("annhist book --pdf: Chromium is needed (apt-get install chromium).", file=sys.stderr)
        return 1
    exe = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(exe) if exe.exists() else "jupyter-book", "build", str(root / "book"), "--builder", "singlehtml",
           "--keep-going"]
    env = dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION="1", MPLBACKEND="Agg")
    print("annhist book: " + " ".join(cmd), flush=True)
    if subprocess.run(cmd, cwd=root, env=env).returncode != 0:
        print("annhist book --pdf: the single-page build FAILED.", file=sys.stderr)
        return 1
    out = build_dir / "singlehtml"
    pdf = build_dir / "html" / "annhist.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    tmp = pdf.with_suffix(".pdf.tmp")
    info = _print(_singlehtml_page(out), out, tmp, chromium)
    if info["unrendered"] or not info["math"]:
        tmp.unlink(missing_ok=True)
        print(f"annhist book --pdf: MathJax did not render the math ({info}).", file=sys.stderr)
        return 1
    os.replace(tmp, pdf)
    stamp.write_text(digest + "\n")
    print(f"annhist book: printed {info['chapters']} chapters to {pdf}")
    return 0
