"""The book build's speed-ups (``book/_ext/annhist_speed.py``) leave the output as it was."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx", reason="Sphinx comes with the 'book' extra")

from sphinx.search.en import SearchEnglish  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
import annhist_speed  # noqa: E402

WORDS = ["Perceptron", "perceptrons", "learning", "learned", "Learning", "weights", "weighted",
         "running", "runs", "connectionism", "connection", "the", "xor", "XOR", "backpropagation"]


def test_each_word_is_stemmed_once_with_the_stemmers_own_result():
    """The search index's stems, kept for the whole build, are the Porter stemmer's."""
    lang = SearchEnglish({})
    expected = [lang.stemmer.stemWord(w.lower()) for w in WORDS]
    annhist_speed._stem_each_word_once()
    annhist_speed._stem_each_word_once()                     # once only: not wrapped twice
    assert getattr(SearchEnglish.stem, "__annhist_once__", False)
    calls = []
    lang.stemmer.stemWord = lambda w, stem=lang.stemmer.stemWord: calls.append(w) or stem(w)
    fresh = [w + "ness" for w in WORDS]                    # words not seen before in this process
    expected += [SearchEnglish({}).stemmer.stemWord(w.lower()) for w in fresh]
    first = [lang.stem(w) for w in WORDS + fresh]
    n = len(calls)
    assert first == [lang.stem(w) for w in WORDS + fresh] == expected
    assert len(calls) == n <= len(set(WORDS + fresh))     # each word's stem computed at most once
