"""Explorables in Chromium, offline: move a control with the keyboard or a click, and the picture
and the printed numbers become the frame annhist computed for that setting.

Each test writes the HTML block an explorable emits into a page of its own (no book build
needed) and opens it with every non-local request aborted, as tests/test_book.py does.
"""

import base64
import itertools

import numpy as np
import pytest

from annhist.adaline.explore import lms_bowl_explorable
from annhist.cnn import lecun1989
from annhist.cnn.explore import digit_maps_explorable
from annhist.mcculloch_pitts.explore import heat_cold_explorable, mp_neuron_explorable
from annhist.mlp.explore import encoder_explorable
from annhist.mlp.explore_xor import xor_explorable
from annhist.perceptron.explore import perceptron_explorable


def _digits():
    X = np.random.default_rng(0).uniform(-1, 1, size=(4, 16, 16))
    return digit_maps_explorable(lecun1989(random_state=0), X, np.array([3, 5, 3, 7]))


BUILDERS = {
    "mp-neuron": mp_neuron_explorable,
    "heat-cold": heat_cold_explorable,
    "perceptron": perceptron_explorable,
    "lms-bowl": lambda: lms_bowl_explorable(epochs=20),
    "xor": lambda: xor_explorable(seeds=(0, 11), sweeps=(0, 50, 300)),
    "encoder": lambda: encoder_explorable(sweeps=(0, 100, 200)),
    "digit-maps": _digits,
}


# `browser` (headless Debian Chromium, offline flags) is the book tests' fixture, shared through conftest.py.


def _index(explorable, setting):
    """The frame number of a setting (a list of value indices), row-major as the page computes it."""
    k = 0
    for c, i in zip(explorable.controls, setting):
        k = k * len(c.values) + i
    return k


def _expect(page, explorable, frames, setting):
    f = frames[_index(explorable, setting)]
    name = explorable.name
    assert page.inner_text(f"#{name}-text") == f.text
    assert page.get_attribute(f"#{name}", "data-frame") == str(_index(explorable, setting))
    if f.png is not None:
        assert page.get_attribute(f"#{name}-img", "src") == "data:image/png;base64," + base64.b64encode(
            f.png).decode()
        assert page.locator(f"#{name}-img").evaluate("i => i.complete && i.naturalWidth > 0")
    if f.html:
        parsed = page.evaluate("h => { const d = document.createElement('div'); d.innerHTML = h; "
                               "return d.textContent; }", f.html)
        assert page.text_content(f"#{name}-html") == parsed


@pytest.mark.parametrize("which", list(BUILDERS))
def test_moving_a_control_shows_annhists_frame(browser, tmp_path, which):
    e = BUILDERS[which]()
    frames = e.frames()
    page_file = tmp_path / f"{which}.html"
    page_file.write_text(f"<!doctype html><html><head><meta charset='utf-8'><title>{which}</title></head>"
                         f"<body>{e.html()}</body></html>", encoding="utf-8")
    page = browser.new_page()
    outside, errors = [], []
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:"))
               else (outside.append(r.request.url), r.abort()))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda err: errors.append(str(err)))
    try:
        page.goto(page_file.as_uri())
        setting = list(e.start) if e.start is not None else [0] * len(e.controls)
        _expect(page, e, frames, setting)
        for c, ctl in enumerate(e.controls):
            if len(ctl.values) < 2:
                continue
            target = (setting[c] + 1) % len(ctl.values)
            if ctl.kind == "slider":                       # the keyboard, as a reader without a mouse
                page.focus(f"#{e.name}-c{c}")
                page.keyboard.press("ArrowRight" if target > setting[c] else "Home")
                assert page.inner_text(f"#{e.name}-c{c}-v") == ctl.labels[target]
            else:
                page.click(f'#{e.name} button[data-c="{c}"][data-i="{target}"]')
                assert page.get_attribute(f'#{e.name} button[data-c="{c}"][data-i="{target}"]',
                                          "aria-pressed") == "true"
            setting[c] = target
            _expect(page, e, frames, setting)
        assert outside == [] and errors == []
    finally:
        page.close()


def test_every_setting_is_reachable():
    """The page's row-major frame index covers every frame exactly once (checked without a browser)."""
    e = BUILDERS["heat-cold"]()
    ks = {_index(e, s) for s in itertools.product(*(range(len(c.values)) for c in e.controls))}
    assert ks == set(range(len(e.settings())))
