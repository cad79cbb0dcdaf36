"""Explorables: figures the reader drives, offline in the static book and live in JupyterLab.

An explorable is a few labelled controls (sliders or button groups, each over a short list of
values) and a ``render`` function that turns one setting of the controls into a :class:`Frame`
(a picture, a little HTML such as a table, and a line or two of numbers). The algorithm runs
only in Python, inside ``render``:

* **static** (the book): ``render`` is called for every combination of control values at build
  time, and :func:`explorable_html` writes the frames and ~40 lines of plain JavaScript into
  one self-contained HTML block: native ``<input type=range>`` and ``<button>`` elements with
  visible labels (keyboard accessible), the numbers in an ``aria-live`` region, no CDN, no
  library;
* **widgets** (a live kernel with ``ipywidgets``, ``make lab``): the same controls become
  ipywidgets that call ``render`` on every change, so a student may also type in values of their
  own where a control allows it.

``mode="auto"`` picks *static* when the book build runs (``annhist book`` sets the environment
variable ``ANNHIST_BOOK``), when ``ipywidgets`` is missing or when there is no IPython kernel,
and *widgets* otherwise.
"""

from __future__ import annotations

import base64
import html
import itertools
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Control", "Frame", "Explorable", "explorable_html", "FrameCanvas", "check_mode", "resolve_mode",
           "BOOK_ENV"]

BOOK_ENV = "ANNHIST_BOOK"


@dataclass(frozen=True)
class Control:
    """One knob: ``values`` are passed to ``render`` by ``name``; ``labels`` are what the reader reads.

    ``kind`` is ``"slider"`` (ordered values) or ``"buttons"`` (a few named choices). ``live``
    optionally gives ``(min, max, step)`` for a free numeric slider in the widgets form.
    """

    name: str
    label: str
    values: tuple[Any, ...]
    labels: tuple[str, ...] = ()
    kind: str = "slider"
    live: tuple[float, float, float] | None = None

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", self.name):
            raise ValueError(f"The 'name' parameter of Control must be a Python identifier. Got {self.name!r}.")
        if len(self.values) == 0:
            raise ValueError(f"The 'values' parameter of Control {self.name!r} must not be empty.")
        if self.kind not in ("slider", "buttons"):
            raise ValueError(f"The 'kind' parameter of Control must be 'slider' or 'buttons'. Got {self.kind!r}.")
        if self.labels and len(self.labels) != len(self.values):
            raise ValueError(f"The 'labels' parameter of Control {self.name!r} must have one label per value "
                             f"({len(self.values)}). Got {len(self.labels)} instead.")
        if not self.labels:
            object.__setattr__(self, "labels", tuple(_fmt(v) for v in self.values))


@dataclass(frozen=True)
class Frame:
    """What one setting of the controls shows: a PNG, trusted HTML made by annhist, and plain text."""

    text: str
    png: bytes | None = None
    html: str = ""
    numbers: dict[str, Any] = field(default_factory=dict)


def _fmt(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


class FrameCanvas:
    """A figure drawn once, whose ``animated`` artists are redrawn per frame (blitting) into small PNGs.

    The axes, ticks and labels -- most of matplotlib's drawing time -- are rendered once at
    ``dpi`` and kept as a background; a frame restores it and draws only the artists that
    change (their axes limits must not change between frames). The PNG has an adaptive
    palette of ``colors`` colours and no metadata, so the bytes depend only on the picture.
    """

    def __init__(self, fig: Any, animated: Sequence[Any], *, dpi: int = 60, colors: int = 48) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.fig, self.animated, self.colors = fig, list(animated), colors
        FigureCanvasAgg(fig)                        # draw into memory, whatever pyplot's backend
        fig.set_dpi(dpi)
        for ax in fig.axes:
            ax.set_title(ax.get_title(), y=1.0)     # a fixed title position: no per-draw search
        for artist in self.animated:
            artist.set_animated(True)
        fig.canvas.draw()
        fig.set_layout_engine("none")
        self.background = fig.canvas.copy_from_bbox(fig.bbox)

    def png(self) -> bytes:
        """The figure with the animated artists as they are now, as PNG bytes."""
        import io

        from PIL import Image

        canvas = self.fig.canvas
        canvas.restore_region(self.background)
        for artist in self.animated:
            self.fig.draw_artist(artist)
        rgb = Image.frombuffer("RGBA", canvas.get_width_height(), bytes(canvas.buffer_rgba())).convert("RGB")
        buf = io.BytesIO()
        rgb.quantize(self.colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(buf, format="png")
        return buf.getvalue()


def check_mode(mode: Any, owner: str) -> None:
    """Refuse a ``mode`` other than ``"auto"``, ``"static"`` or ``"widgets"``, naming ``owner`` (the function
    the reader called): before an explorable trains or draws anything."""
    if not isinstance(mode, str) or mode not in ("auto", "static", "widgets"):
        raise ValueError(f"The 'mode' parameter of {owner} must be 'auto', 'static' or 'widgets'. "
                         f"Got {mode!r} instead.")


def resolve_mode(mode: str = "auto", *, owner: str = "resolve_mode") -> str:
    """``"static"`` or ``"widgets"`` for ``mode`` (``"auto"``, ``"static"`` or ``"widgets"``)."""
    check_mode(mode, owner)
    if mode != "auto":
        return mode
    if os.environ.get(BOOK_ENV):
        return "static"
    try:
        import ipywidgets  # noqa: F401
        from IPython import get_ipython
    except ImportError:
        return "static"
    shell = get_ipython()
    return "widgets" if shell is not None and hasattr(shell, "kernel") else "static"


_JS = """(function(){var r=document.getElementById(%(id)s),D=JSON.parse(document.getElementById(%(id)s+'-data')
.textContent),n=D.sizes.length,s=D.start.slice();function show(){var k=0;for(var i=0;i<n;i++){k=k*D.sizes[i]+s[i];}
var f=D.frames[k],im=document.getElementById(%(id)s+'-img');if(im){if(f.img<0){im.hidden=true;}else{
im.hidden=false;im.src='data:image/png;base64,'+D.images[f.img];im.alt=f.text;}}
document.getElementById(%(id)s+'-html').innerHTML=f.html;document.getElementById(%(id)s+'-text').textContent=f.text;
r.dataset.frame=k;for(var c=0;c<n;c++){var o=document.getElementById(%(id)s+'-c'+c+'-v');if(o){
o.textContent=D.labels[c][s[c]];}var sl=document.getElementById(%(id)s+'-c'+c);if(sl){sl.value=s[c];
sl.setAttribute('aria-valuetext',D.labels[c][s[c]]);}r.querySelectorAll('button[data-c="'+c+'"]').forEach(
function(b){b.setAttribute('aria-pressed',String(+b.dataset.i===s[c]));});}}
r.querySelectorAll('input[type=range]').forEach(function(sl){sl.addEventListener('input',function(){
s[+sl.dataset.c]=+sl.value;show();});});r.querySelectorAll('button[data-c]').forEach(function(b){
b.addEventListener('click',function(){s[+b.dataset.c]=+b.dataset.i;show();});});show();})();"""

# The block keeps its own light colours in the theme's dark mode too (its pictures are drawn on white).
_CSS = ("<style>.annhist-explorable{border:1px solid #ccc;border-radius:6px;padding:.6em;margin:.5em 0;"
        "background:#fff;color:#000}.annhist-explorable caption{color:#333}"
        ".annhist-explorable .ax-c{margin:.25em 0}.annhist-explorable label{margin-right:.5em}"
        ".annhist-explorable button{margin:0 .2em .2em 0;padding:.1em .5em;border:1px solid #555;"
        "border-radius:4px;background:#fff;color:#000}"
        ".annhist-explorable button[aria-pressed=true]{background:#0072B2;color:#fff}"
        ".annhist-explorable input[type=range]{width:16em;vertical-align:middle}"
        ".annhist-explorable pre{white-space:pre-wrap;margin:.3em 0}"
        ".annhist-explorable table{border-collapse:collapse;font-size:.9em}"
        ".annhist-explorable td,.annhist-explorable th{border:1px solid #bbb;padding:.1em .4em;text-align:center}"
        "</style>")


def _control_html(uid: str, c: int, ctl: Control, start: int) -> str:
    label = html.escape(ctl.label)
    if ctl.kind == "slider":
        return (f'<div class="ax-c"><label for="{uid}-c{c}">{label}: <output id="{uid}-c{c}-v">'
                f'{html.escape(ctl.labels[start])}</output></label><input type="range" id="{uid}-c{c}" data-c="{c}" '
                f'min="0" max="{len(ctl.values) - 1}" step="1" value="{start}" '
                f'aria-valuetext="{html.escape(ctl.labels[start])}"></div>')
    buttons = "".join(f'<button type="button" data-c="{c}" data-i="{i}" aria-pressed="{str(i == start).lower()}">'
                      f'{html.escape(text)}</button>' for i, text in enumerate(ctl.labels))
    return f'<div class="ax-c" role="group" aria-label="{label}"><span>{label}: </span>{buttons}</div>'


def explorable_html(name: str, title: str, controls: Sequence[Control], frames: Sequence[Frame], *,
                    start: Sequence[int] | None = None) -> str:
    """One self-contained HTML block showing ``frames`` under ``controls``.

    ``frames`` are in row-major order over the controls' values (the first control varies
    slowest, as ``itertools.product``). Identical pictures are stored once. ``name`` becomes
    the element id (letters, digits, ``_``, ``-``; unique on a page).
    """
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", name):
        raise ValueError(f"The 'name' parameter of explorable_html must be letters, digits, '_' or '-'. Got {name!r}.")
    sizes = [len(c.values) for c in controls]
    total = 1
    for s in sizes:
        total *= s
    if len(frames) != total:
        raise ValueError(f"The 'frames' parameter of explorable_html must hold one frame per setting ({total}). "
                         f"Got {len(frames)} instead.")
    start = list(start) if start is not None else [0] * len(controls)
    images: list[str] = []
    index: dict[bytes, int] = {}
    rows = []
    for f in frames:
        img = -1
        if f.png is not None:
            img = index.setdefault(f.png, len(images))
            if img == len(images):
                images.append(base64.b64encode(f.png).decode("ascii"))
        rows.append({"img": img, "html": f.html, "text": f.text})
    data = {"sizes": sizes, "start": start, "labels": [list(c.labels) for c in controls], "images": images,
            "frames": rows}
    payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    has_img = bool(images)
    parts = [_CSS, f'<div class="annhist-explorable" id="{name}" role="group" aria-labelledby="{name}-title">',
             f'<p id="{name}-title"><strong>{html.escape(title)}</strong></p>',
             *(_control_html(name, c, ctl, start[c]) for c, ctl in enumerate(controls)),
             f'<img id="{name}-img" alt="{html.escape(title)}" style="max-width:100%">' if has_img else "",
             f'<div id="{name}-html"></div>',
             f'<pre id="{name}-text" aria-live="polite"></pre>',
             f'<script type="application/json" id="{name}-data">{payload}</script>',
             "<script>" + (_JS % {"id": json.dumps(name)}).replace("\n", "") + "</script>", "</div>"]
    return "".join(p for p in parts if p)


class _StaticHTML:
    """A cell output that is one HTML block (and a short plain-text stand-in)."""

    def __init__(self, markup: str, text: str) -> None:
        self.markup, self.text = markup, text

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return self.text


@dataclass
class Explorable:
    """Controls plus a ``render(**setting) -> Frame`` function; shown static or live (see module docs)."""

    name: str
    title: str
    controls: Sequence[Control]
    render: Callable[..., Frame]
    start: Sequence[int] | None = None

    def settings(self) -> list[dict[str, Any]]:
        """Every setting of the controls, in the frames' order."""
        names = [c.name for c in self.controls]
        return [dict(zip(names, vals)) for vals in itertools.product(*(c.values for c in self.controls))]

    def frames(self) -> list[Frame]:
        """``render`` at every setting (what the static form stores)."""
        return [self.render(**s) for s in self.settings()]

    def html(self) -> str:
        return explorable_html(self.name, self.title, self.controls, self.frames(), start=self.start)

    def static(self) -> _StaticHTML:
        return _StaticHTML(self.html(), f"<explorable {self.name!r}: {self.title}>")

    def widgets(self) -> Any:
        """The live form: ipywidgets that call ``render`` on every change (needs ``ipywidgets``)."""
        import ipywidgets as w
        from IPython.display import HTML, Image, display

        start = self.start or [0] * len(self.controls)
        knobs = {}
        for c, ctl in zip(start, self.controls):
            if ctl.live is not None:
                lo, hi, step = ctl.live
                cls = w.IntSlider if all(isinstance(v, int) for v in (lo, hi, step)) else w.FloatSlider
                knobs[ctl.name] = cls(value=ctl.values[c], min=lo, max=hi, step=step, description=ctl.label,
                                      style={"description_width": "initial"}, continuous_update=False)
            elif ctl.kind == "buttons":
                knobs[ctl.name] = w.ToggleButtons(options=list(zip(ctl.labels, ctl.values)), value=ctl.values[c],
                                                  description=ctl.label, style={"description_width": "initial"})
            else:
                knobs[ctl.name] = w.SelectionSlider(options=list(zip(ctl.labels, ctl.values)), value=ctl.values[c],
                                                    description=ctl.label, continuous_update=False,
                                                    style={"description_width": "initial"})

        def show(**setting: Any) -> None:
            f = self.render(**setting)
            if f.png is not None:
                display(Image(data=f.png))
            if f.html:
                display(HTML(f.html))
            print(f.text)

        out = w.interactive_output(show, knobs)
        return w.VBox([w.HTML(f"<b>{html.escape(self.title)}</b>"), *knobs.values(), out])

    def show(self, mode: str = "auto") -> Any:
        """The form for where this runs: static HTML in the book, ipywidgets in a live kernel."""
        return self.widgets() if resolve_mode(mode, owner="Explorable.show") == "widgets" else self.static()
