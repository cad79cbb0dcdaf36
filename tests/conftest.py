"""Fixtures shared by the built-book tests: the built HTML, a local server, headless Chromium."""

from test_book import browser, built, server  # noqa: F401
