"""What a reader sees (issue 16): code that fits the column, numbered figures with captions and
alt text, legible figures, pages that fit 1280 px and 390 px, no serious accessibility
violation, and the whole book as one PDF with its math rendered.

The first tests read the chapters' sources and draw figures; the rest (marked ``book``) read
``book/_build`` (``make test`` builds the book and the PDF first) and open pages in Debian's
headless Chromium with axe-core from npm (``tests/package.json``; ``make browser`` installs it).
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest
from test_book import ROOT, SETTLED, SHOTS, _chromium, _open, _toc_files, page_loads_offline_with_math_and_images

from annhist.plotting.animation import animation_html
from annhist.plotting.timeline import dodge, plot_timeline

CHAPTERS = sorted((ROOT / "chapters").glob("*.md"))
AXE = ROOT / "tests" / "node_modules" / "axe-core" / "axe.min.js"
MAX_LINE = 80


def _code_cells(path: Path):
    for cell in jupytext.read(path).cells:
        if cell.cell_type == "code":
            yield cell


def _draws_a_figure(source: str) -> bool:
    """Whether a cell's last expression is a figure: ``plot_*(...)``, ``result.figures[...]()`` or
    ``fig``."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    if not body or not isinstance(body[-1], ast.Expr):
        return False
    expr = body[-1].value
    if isinstance(expr, ast.Name):
        return expr.id == "fig"
    if isinstance(expr, ast.Call):
        func = expr.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        figures = isinstance(func, ast.Subscript) and getattr(func.value, "attr", "") == "figures"
        return name.startswith("plot_") or figures
    return False


def test_the_figure_detector():
    assert _draws_a_figure("from x import plot_a\nplot_a(1)")
    assert _draws_a_figure('run = f()\nrun.figures["xor-best-lines"]()')
    assert _draws_a_figure("fig, ax = new_figure()\nax.plot([1])\nfig")
    assert not _draws_a_figure("fig = plot_a()\nprint(fig)")
    assert not _draws_a_figure("x = plot_a()")


# ----------------------------------------------------------------------------- sources
def test_code_cell_lines_fit_the_column():
    long = [f"{path.name}: {len(line)} characters: {line.strip()[:60]}"
            for path in CHAPTERS for cell in _code_cells(path)
            for line in cell.source.splitlines() if len(line) > MAX_LINE]
    assert long == [], f"code-cell lines longer than {MAX_LINE} characters:\n" + "\n".join(long)


def test_every_figure_is_numbered_captioned_has_alt_text_and_is_referred_to():
    names, problems = set(), []
    for path in CHAPTERS:
        text = path.read_text()
        for cell in _code_cells(path):
            if not _draws_a_figure(cell.source):
                continue
            meta = cell.metadata.get("mystnb", {})
            fig, image = meta.get("figure", {}), meta.get("image", {})
            name = fig.get("name", "")
            where = f"{path.name}: {cell.source.strip().splitlines()[-1][:50]!r}"
            if not fig.get("caption", "").strip() or not re.fullmatch(r"fig-[a-z0-9-]+", name):
                problems.append(f"{where} has no caption or no fig-... name")
            if len(image.get("alt", "").strip()) < 10:
                problems.append(f"{where} has no alt text")
            if name in names:
                problems.append(f"{where}: the name {name} is used twice")
            names.add(name)
            if name and f"{{numref}}`{name}`" not in text:
                problems.append(f"{where}: the text never refers to {name} with {{numref}}")
    assert len(names) >= 40, f"only {len(names)} figures found: is the detector broken?"
    assert problems == [], "\n".join(problems)


def test_dodge_keeps_labels_apart_and_in_order():
    # 1970 stays; 1973 is 3 >= 2.2 below it and stays; 1974 is only 1 below 1973 -> 1975.2.
    assert dodge([1973, 1970, 1974, 1980], gap=2.2) == [1973, 1970, 1975.2, 1980]
    assert dodge([2012, 2014, 2015, 2017], gap=2.2) == pytest.approx([2012, 2014.2, 2016.4, 2018.6])
    with pytest.raises(ValueError, match="'gap' parameter of dodge must be > 0. Got 0"):
        dodge([1, 2], gap=0)


def test_the_timeline_is_drawn_for_the_column_with_legible_unoverlapping_text():
    fig = plot_timeline()
    assert fig.get_figwidth() <= 7.5                 # the content column: ~750 px at 100 dpi
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    texts = [t for t in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_fontsize"))
             if t.get_visible() and t.get_text().strip()]
    assert len(texts) >= 20
    small = [(t.get_text(), t.get_fontsize()) for t in texts if t.get_fontsize() < 9.5]
    assert small == [], small                        # 9.5 pt at 100 dpi = 13 px on the page
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    overlaps = [(a, b) for i, (a, ba) in enumerate(boxes) for b, bb in boxes[i + 1:] if ba.overlaps(bb)]
    assert overlaps == [], overlaps


def test_animations_have_alt_text_and_a_labelled_slider():
    from matplotlib.animation import FuncAnimation

    from annhist.plotting.style import new_figure

    fig, ax = new_figure()
    (line,) = ax.plot([0, 1], [0, 1])
    anim = FuncAnimation(fig, lambda i: (line,), frames=2)
    html = animation_html(anim, "demo", alt='A line "drawn" twice')
    assert re.search(r'<img id="_anim_imgdemo" alt="A line &quot;drawn&quot; twice"', html)
    assert 'class="anim-slider" aria-label="Frame of the animation"' in html
    assert re.search(r'<img id="_anim_imgdemo" alt="An animation', animation_html(anim, "demo"))
    with pytest.raises(ValueError, match="'alt' parameter of animation_html must be a non-empty string"):
        animation_html(anim, "demo", alt=" ")


# ----------------------------------------------------------------------------- the built book
@pytest.mark.book
def test_every_figure_output_in_the_executed_chapters_is_captioned(built):
    """The converse of the source check: any PNG a chapter outputs comes from a captioned cell,
    and every animation's frame image carries alt text."""
    problems = []
    for nb_path in sorted((built / "_sources" / "chapters").glob("*.ipynb")):
        for cell in json.loads(nb_path.read_text())["cells"]:
            if cell["cell_type"] != "code":
                continue
            outputs = cell.get("outputs", [])
            where = f"{nb_path.stem}: {''.join(cell['source']).strip().splitlines()[-1][:50]!r}"
            if any("image/png" in o.get("data", {}) for o in outputs):
                fig = cell["metadata"].get("mystnb", {}).get("figure", {})
                if not fig.get("caption") or not cell["metadata"]["mystnb"].get("image", {}).get("alt"):
                    problems.append(f"{where}: a figure without caption or alt text")
            for o in outputs:
                page = "".join(o.get("data", {}).get("text/html", ""))
                if "_anim_img" in page and not re.search(r'<img id="_anim_img\w+" alt="[^"]{10,}"', page):
                    problems.append(f"{where}: an animation without alt text")
    assert problems == [], "\n".join(problems)


@pytest.mark.book
def test_chapter_figures_are_numbered_in_the_html(built):
    """Figures are numbered through the book (Fig. 1, 2, ...: the chapters are not numbered), in
    reading order, and the text's {numref} links show the number."""
    seen = []
    for doc in _toc_files():
        page = (built / f"{doc}.html").read_text()
        seen += [int(n) for n in re.findall(r'<span class="caption-number">Fig\. (\d+) </span>', page)]
    assert len(seen) >= 40 and seen == list(range(1, len(seen) + 1)), seen
    page = (built / "chapters" / "06-xor.html").read_text()
    assert re.search(r'<a class="reference internal" href="#fig-xor-best-lines"><span class="std std-numref">'
                     r'Fig\. \d+</span></a>', page)
    for doc in _toc_files():
        html = (built / f"{doc}.html").read_text()
        article = html[html.find("<article"):html.find("</article>")]
        for img in re.findall(r"<img\b[^>]*>", article):
            assert re.search(r'\balt="[^"]{3,}"', img), f"{doc}: an image without alt text: {img[:120]}"


# Elements wider than the content column, or sticking out of it, that no scroll box contains.
_OVERFLOW = """
() => {
  const col = document.querySelector("article.bd-article") || document.querySelector("main");
  const c = col.getBoundingClientRect();
  const scrolls = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if ((o === "auto" || o === "scroll") && p.getBoundingClientRect().right <= c.right + 1) { return true; }
    }
    return false;
  };
  const bad = [];
  for (const el of col.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
    if (el.closest("mjx-assistive-mml")) continue;      // MathML for screen readers, clipped to 1 px
    if (r.right <= c.right + 1 && r.left >= c.left - 1) continue;
    if (scrolls(el)) continue;
    bad.push(`${el.tagName.toLowerCase()}.${el.className} (${Math.round(r.left)}..${Math.round(r.right)} px)`);
  }
  return {bad: bad.slice(0, 8), column: [Math.round(c.left), Math.round(c.right)],
          page: document.documentElement.scrollWidth, window: window.innerWidth};
}
"""


# axe-core's WCAG 2.0/2.1 A and AA rules. The colour scheme changes only colours (the theme swaps
# its CSS variables; the page's elements, names and roles stay), so the dark scheme is checked
# with the rules whose outcome depends on colour; the light scheme with all of them.
#
# The colour rules run on one element per *style chain*: an element with text of its own, named by
# its tag, classes, inline style and the parity of its place among its siblings, and the same of each
# of its ancestors up to <html>. The theme's CSS gives two elements with the same chain the same
# colour, background and font size -- what color-contrast compares -- so checking one of them
# checks both; form controls are all checked. On the API pages 6,000 elements are some 500 chains,
# and color-contrast took 3.9 s on all of them, 1.3 s on the chains (api/mlp; chapter 06: 2.5 s and
# 1.1 s), once per scheme. The chains' elements are marked (data-annhist-chain): the light scheme's
# one run of every rule points color-contrast at them (its selector, for that run); the dark
# scheme's run of the colour rules includes only them. A second run for the light scheme's colour
# rules cost 0.6-1.1 s a page, most of it link-in-text-block, which the run of every rule makes anyway.
# test_the_colour_check_by_style_chain_finds_what_the_whole_page_check_finds checks the shortcut
# against the rule on every element, on a page given elements that fail it. MathJax's MathML for
# screen readers (mjx-assistive-mml, clipped to 1 px) has text of its own but is hidden: axe-core
# finds both colour rules inapplicable to it (the same test checks that), so no chain is taken from
# it -- on the chapters with math it was some 390 of 800-850 chains (06-xor: the light and dark runs
# together 6.2 s with them, 5.5 s without, in a slow phase of the host; 02-anatomy: no difference).
_AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_AXE_COLOUR_RULES = ["color-contrast", "link-in-text-block"]
_STYLE_CHAINS = """
() => {
  const chain = el => {
    const parts = [];
    for (let e = el; e; e = e.parentElement) {
      const i = e.parentElement ? Array.prototype.indexOf.call(e.parentElement.children, e) : 0;
      parts.push(`${e.tagName}.${e.getAttribute("class") || ""}#${i % 2}@${e.getAttribute("style") || ""}`);
    }
    return parts.join("<");
  };
  const ownText = el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  for (const el of document.querySelectorAll("[data-annhist-chain]")) { el.removeAttribute("data-annhist-chain"); }
  const seen = new Map();
  for (const el of document.body.querySelectorAll("*")) {
    if (el.matches("input, select, textarea, button")) { seen.set(seen.size + "!", el); continue; }
    if (!ownText(el) || el.closest("mjx-assistive-mml")) continue;     // (see _HIDDEN_MATHML)
    const key = chain(el);
    if (!seen.has(key)) seen.set(key, el);
  }
  window.annhistChains = [...seen.values()];
  window.annhistChains.forEach(el => el.setAttribute("data-annhist-chain", ""));
  return window.annhistChains.length;
}
"""
_AXE_RUN = """
async ([rules, chains]) => {
  const only = rules ? {type: "rule", values: rules} : {type: "tag", values: %s};
  const options = {runOnly: only, resultTypes: ["violations"]};
  // Every rule on the whole page but color-contrast, which looks only at the chains' elements.
  if (!rules) { axe.configure({rules: [{id: "color-contrast", selector: "[data-annhist-chain]"}]}); }
  let r;
  try {
    r = await axe.run(chains ? {include: window.annhistChains} : document, options);
  } finally {
    if (!rules) { axe.reset(); }
  }
  return r.violations.filter(v => v.impact === "critical" || v.impact === "serious").map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ") + " :: " + (n.failureSummary || "").slice(0, 160))}));
}
""" % json.dumps(_AXE_TAGS)
_THEME = "() => [document.documentElement.dataset.theme, getComputedStyle(document.body).backgroundColor]"


@pytest.fixture(scope="module")
def axe_script() -> Path:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: run 'npm install --prefix tests' (make browser does)")
    return AXE


def _overflow(page, doc: str, width: int) -> list[str]:
    """Resize to ``width``, save a screenshot and return what sticks out of the window or column."""
    page.set_viewport_size({"width": width, "height": 900 if width > 500 else 844})
    page.evaluate(SETTLED)                      # the layout's transitions (sidebars, margins) ended
    found = page.evaluate(_OVERFLOW)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{doc.replace('/', '_')}-{width}.png"))
    problems = []
    if found["page"] > width:
        problems.append(f"{doc} at {width} px scrolls sideways: {found}")
    if found["bad"]:
        problems.append(f"{doc} at {width} px: wider than the column {found['column']}: {found['bad']}")
    if width == 1280:       # a code cell (at most 80 characters a line) fits its box: nothing to scroll
        wide = page.evaluate("() => [...document.querySelectorAll('.bd-article div.cell_input pre')].filter("
                             "p => p.scrollWidth > p.clientWidth + 1).map(p => p.textContent.slice(0, 60))")
        if wide:
            problems.append(f"{doc} at 1280 px: {len(wide)} code cell(s) scroll sideways: {wide[:3]}")
    if doc == "chapters/11-reproductions" and width == 1280:
        # The reproductions table is laid out to fit: nothing to scroll to, no verdict cut off.
        boxes = page.evaluate("() => [...document.querySelectorAll('.bd-article table')].map("
                              "t => [t.parentElement.scrollWidth, t.parentElement.clientWidth])")
        if not boxes or any(sw > cw + 1 for sw, cw in boxes):
            problems.append(f"reproductions tables clipped: {boxes}")
    return problems


def _accessibility(page, doc: str, scheme: str) -> list[str]:
    """axe-core's serious and critical violations in ``scheme`` (the theme must have switched)."""
    page.emulate_media(color_scheme=scheme)
    try:        # the theme follows the media query (a listener); on a long page that takes a moment
        page.wait_for_function("s => document.documentElement.dataset.theme === s", arg=scheme, timeout=10_000)
    except Exception:   # playwright's TimeoutError: reported below with what the page shows
        pass
    page.evaluate(SETTLED)                      # the colours' transitions (0.15-0.25 s) ended
    theme, background = page.evaluate(_THEME)
    if theme != scheme:
        return [f"{doc}: the page did not switch to the {scheme} scheme (theme {theme!r}, {background})"]
    if scheme == "light":           # every rule, every element (color-contrast: one per style chain)
        violations = page.evaluate(_AXE_RUN, [None, False])
    else:                           # the colour rules, one element per style chain
        violations = page.evaluate(_AXE_RUN, [_AXE_COLOUR_RULES, True])
    return [f"{doc} ({scheme}): " + json.dumps(violations, indent=1)] if violations else []


@pytest.mark.book
@pytest.mark.parametrize("doc", ["index"] + _toc_files())
def test_each_page_in_the_browser(browser, server, axe_script, doc):
    """One page load per page: it loads offline with its math and images and no console error
    (test_book.page_loads_offline_with_math_and_images), fits 1280 px and 390 px (nothing wider
    than the column, no sideways scrolling; screenshots saved), and axe-core finds no serious or
    critical violation in the light scheme (every rule) or the dark one (the colour rules);
    color-contrast runs on one element per style chain, and in the dark scheme link-in-text-block
    too (see above)."""
    page, outside, errors = _open(browser, server, f"{doc}.html", wait_until="load")
    try:
        problems = page_loads_offline_with_math_and_images(page, doc, outside, errors)
        seen = len(outside), len(errors)
        problems += _overflow(page, doc, 1280)
        if outside[seen[0]:] or errors[seen[1]:]:      # after the load, until axe-core's own requests
            problems.append(f"{doc} later asked the network for {outside[seen[0]:]} or logged {errors[seen[1]:]}")
        # (axe-core fetches the style sheets again for its CSS rules, and asks for /basic.css: it
        # resolves theme.css's @import "../basic.css" against the page, a 404 on the console.)
        page.add_script_tag(path=str(axe_script))
        page.evaluate(_STYLE_CHAINS)
        problems += _accessibility(page, doc, "light") + _accessibility(page, doc, "dark")
        page.emulate_media(color_scheme="light")
        problems += _overflow(page, doc, 390)
        assert problems == [], "\n".join(problems)
    finally:
        page.close()


# Text that fails color-contrast, put into a real page: grey on white in a <p> of its own, and in
# three <span>s of one <li>: the first and third share a style chain (their places among their
# siblings are both even), the second has its own. Four failing elements in three chains.
_FAILING = """
() => {
  const article = document.querySelector("article.bd-article");
  const box = document.createElement("div");
  box.id = "annhist-failing";
  box.innerHTML = '<p style="color:#c8c8c8">faint alone</p>' +
    '<ul class="annhist-test"><li><span class="faint">one</span> <span class="faint">two</span> ' +
    '<span class="faint">three</span></li></ul><style>.annhist-test .faint {color: #d0d0d0}</style>';
  article.prepend(box);
}
"""
_HIDDEN_MATHML = """
async () => {
  const mml = [...document.querySelectorAll("mjx-assistive-mml")];
  const r = await axe.run({include: mml}, {runOnly: {type: "rule", values: %s}});
  const nodes = k => r[k].flatMap(v => v.nodes).length;
  return {elements: document.querySelectorAll("mjx-assistive-mml *").length,
          checked: nodes("passes") + nodes("violations") + nodes("incomplete")};
}
""" % json.dumps(_AXE_COLOUR_RULES)
_CC_ALL = """
async (within) => {
  const r = await axe.run(within ? {include: [within]} : document,
                          {runOnly: {type: "rule", values: ["color-contrast"]}, resultTypes: ["violations"]});
  return r.violations.flatMap(v => v.nodes.map(n => n.target.join(" ")));
}
"""


@pytest.mark.book
def test_the_colour_check_by_style_chain_finds_what_the_whole_page_check_finds(browser, server, axe_script):
    """On a chapter page with failing text added, color-contrast on one element per style chain
    (what test_each_page_in_the_browser runs) reports a failing element of every chain in which
    color-contrast on every element finds one, and nothing else; and, on every element, it finds nothing
    else on the page as built (the chains of the page as built are checked in test_each_page_in_the_browser).
    The colour rules check none of MathJax's hidden MathML, from which no chain is taken; and the dark
    scheme's rule list names rules that exist at the levels checked (a renamed rule would check nothing)."""
    page, _, _ = _open(browser, server, "chapters/06-xor.html")
    try:
        page.add_script_tag(path=str(axe_script))
        known = page.evaluate("tags => axe.getRules(tags).map(r => r.ruleId)", _AXE_TAGS)
        assert set(_AXE_COLOUR_RULES) <= set(known), sorted(known)
        hidden = page.evaluate(_HIDDEN_MATHML)           # no chain is taken from it: the rules skip it
        assert hidden["elements"] > 100 and hidden["checked"] == 0, hidden
        page.evaluate(_FAILING)
        chains = page.evaluate(_STYLE_CHAINS)
        everywhere = page.evaluate(_CC_ALL, None)
        found = page.evaluate(_AXE_RUN, [["color-contrast"], True])
        assert len(everywhere) == 4, everywhere                   # the added text, and only it: the page passes
        assert [v["id"] for v in found] == ["color-contrast"]
        by_chain = [n.split(" :: ")[0] for n in found[0]["nodes"]]
        assert len(by_chain) == 3 and set(by_chain) <= set(everywhere), (by_chain, everywhere)   # one per chain
        # The light scheme's one run of every rule finds the same, and color-contrast on every
        # element is back to axe-core's own selector after it.
        light = page.evaluate(_AXE_RUN, [None, False])
        assert [[n.split(" :: ")[0] for n in v["nodes"]] for v in light if v["id"] == "color-contrast"] == [by_chain]
        assert page.evaluate(_CC_ALL, "#annhist-failing") == everywhere      # its four elements, not its chains
        assert chains < page.evaluate("() => document.body.querySelectorAll('*').length") / 4
    finally:
        page.close()


# ----------------------------------------------------------------------------- the PDF
def _poppler(tool: str) -> str:
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed: apt-get install poppler-utils")
    return exe


@pytest.mark.book
@pytest.mark.xdist_group("pdf")            # a minute of Chromium: beside the other tests, not before them
def test_the_whole_book_as_one_pdf(built):
    """``annhist book --pdf`` (a no-op when the PDF is up to date) makes one PDF of the book."""
    if _chromium() is None:
        pytest.skip("Debian's chromium is not installed (make test installs it: apt-get install chromium)")
    _poppler("pdfinfo")
    made = subprocess.run([sys.executable, "-m", "annhist", "book", "--pdf"], cwd=ROOT, capture_output=True,
                          text=True, timeout=1800)
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    pdf = built / "annhist.pdf"
    assert pdf.is_file(), made.stdout[-2000:]
    info = subprocess.run([_poppler("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    n_pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert n_pages >= 60, info

    def text(first: int, last: int) -> str:
        return subprocess.run([_poppler("pdftotext"), "-layout", "-f", str(first), "-l", str(last), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout

    assert "Neural networks, 1943-1998, as runnable history" in text(1, 1)
    toc = text(2, 3)
    assert "Contents" in toc
    titles = re.findall(r"^\s*\d+\.\s+(\S.*?)\s*$", toc, flags=re.M)
    for title in ("A timeline", "Anatomy", "convolutional networks", "What we reproduced", "Bibliography"):
        assert any(title in t for t in titles), f"{title} is not in the table of contents: {titles}"
    # The API reference's pages are listed under it, unnumbered: they follow on, not starting a page.
    assert "API reference" in toc and "annhist.perceptron" in toc and "Experiments, command line, book" in toc, toc
    assert not any("annhist." in t for t in titles), titles
    everything = text(1, n_pages)
    for raw in ("$$", "\\frac", "\\sum", "\\begin{"):
        assert raw not in everything, f"unrendered math in the PDF: {raw!r}"
    # Each chapter starts a new page: its title is the first line of a page.
    pages = everything.split("\f")
    firsts = [" ".join(p.split()) for p in pages[2:]]          # after the title page and the contents
    missing = [t for t in titles if not any(f.startswith(t[:20]) for f in firsts)]
    assert missing == [], f"chapters that do not start a page: {missing}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    anatomy = next(i for i, p in enumerate(pages, start=1) if "sigmoid" in p.lower() and "=" in p)
    subprocess.run([_poppler("pdftoppm"), "-png", "-r", "70", "-f", str(anatomy), "-l", str(anatomy), str(pdf),
                    str(SHOTS / "pdf-page")], check=True)
    assert list(SHOTS.glob("pdf-page-*.png")), "pdftoppm wrote no image"
