# annhist: `make book` sets everything up and builds the executed book; `make test` runs the tests.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.annhist-installed
# Made once the USPS digits have been fetched or the fetch has been tried (see below).
DATA_STAMP := $(VENV)/.annhist-usps-fetch-tried
PORT ?= 8000

# Python keeps the compiled bytecode of what it imports (__pycache__, which git ignores) even where
# the environment says not to (PYTHONDONTWRITEBYTECODE, set on some machines): the book's kernels,
# Sphinx, the test workers and the CLI tests each import numpy, scipy, scikit-learn and matplotlib,
# and compiling them again in every process cost 1.5 s or more each (`import annhist.mlp`: 2.8 s
# without bytecode, 1.2 s with it). KEEP_BYTECODE=0 leaves the environment as it is.
KEEP_BYTECODE ?= 1
ifeq ($(KEEP_BYTECODE),1)
unexport PYTHONDONTWRITEBYTECODE
endif

.PHONY: book book-force pdf test test-fast fuzz bench serve lab venv browser clean help

help:
	@echo "make book    - create .venv, install annhist and the book toolchain, fetch the USPS digits (once),"
	@echo "               execute every chapter, build book/_build/html"
	@echo "make pdf     - the whole book as one PDF, book/_build/html/annhist.pdf (headless Chromium, offline)"
	@echo "make test    - run the whole test suite on every core (builds the book first if needed, and the PDF)"
	@echo "make serve   - serve the built book on http://localhost:$(PORT)"
	@echo "make lab     - open the chapters as notebooks in JupyterLab"
	@echo "make bench   - every benchmark side by side + book build/chapter costs (installs torch==2.13.0 CPU)"
	@echo "make fuzz    - the full fuzzing suite (>= 10,000 generated cases)"

venv: $(STAMP)

# Installing is most of a fresh `make book` (pip: about 3 minutes of it). uv, the installer from
# PyPI (uv==$(UV_VERSION), put in $(TOOLS) unless one is on PATH), creates .venv (with pip in it,
# for `make bench` and `make lab`) and installs the same pins from constraints.txt in seconds.
# (pip installs uv into $(TOOLS), not the system: its warning about running as root is not for us.)
# If uv cannot be had or fails, python -m venv and pip do it as before; USE_UV=0 forces pip.
USE_UV ?= 1
UV_VERSION := 0.13.8
TOOLS := .venv-tools

$(STAMP): pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed (python3.11 or python3 on PATH)"; exit 1; }
	@if [ "$(USE_UV)" = 1 ] && $(MAKE) --no-print-directory install-uv; then :; else \
	  echo "make: installing with pip"; $(MAKE) --no-print-directory install-pip; fi
	@touch $@

.PHONY: install-uv install-pip
install-uv:
	@uv=$$(command -v uv || true); \
	if [ -z "$$uv" ]; then \
	  echo "$(PYTHON) -m pip install --target $(TOOLS) uv==$(UV_VERSION)"; \
	  PIP_ROOT_USER_ACTION=ignore $(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(TOOLS) \
	    "uv==$(UV_VERSION)" \
	    && uv=$(TOOLS)/bin/uv || exit 1; fi; \
	echo "$$uv venv --seed $(VENV) && $$uv pip install -c constraints.txt -e \".[book,test]\""; \
	"$$uv" venv --quiet --seed --clear --python "$(PYTHON)" $(VENV) \
	  && "$$uv" pip install --quiet --python $(BIN)/python -c constraints.txt -e ".[book,test]"

install-pip:
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[book,test]"

book: $(STAMP) $(DATA_STAMP)
	$(BIN)/annhist book

book-force: $(STAMP) $(DATA_STAMP)
	$(BIN)/annhist book --force

# The HTML book (if anything changed), then its single-page build printed by headless Chromium
# once MathJax has typeset every formula; every page's download menu links to the PDF.
pdf: $(STAMP) $(DATA_STAMP) browser
	$(BIN)/annhist book --pdf

# Once per install, before the first build: download the USPS digits when they are not in the
# data folder yet (a no-op when they are). Failing (e.g. offline) is not an error: the book
# then runs on a labelled stand-in and says in a note how to get the real digits.
$(DATA_STAMP): | $(STAMP)
	@$(BIN)/annhist data fetch usps || echo "make: the USPS digits were not fetched; the book uses the" \
	  "stand-in (later: '$(BIN)/annhist data fetch usps', then 'make book-force')"
	@touch $@

# The browser tests need Debian's chromium (and poppler-utils to read the PDF); install them when
# missing and we are root. axe-core (the accessibility check) comes from npm into tests/node_modules.
browser:
	@{ command -v chromium && command -v pdftoppm; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null) \
	      || echo "could not install chromium/poppler-utils: the browser and PDF tests will be skipped"; \
	  else echo "chromium or pdftoppm not found (apt-get install chromium poppler-utils): tests will be skipped"; fi; }
	@test -f tests/node_modules/axe-core/axe.min.js || npm ci --prefix tests --no-audit --no-fund --silent \
	  || echo "could not install axe-core (npm): the accessibility tests will be skipped"

# On every core (pytest-xdist); TEST_WORKERS=0 runs in one process. The HTML book is built first
# if needed; the PDF test makes the PDF (`annhist book --pdf`, a no-op when it is up to date)
# while the other tests run beside it.
TEST_WORKERS ?= auto
test: $(STAMP) $(DATA_STAMP) browser
	$(BIN)/annhist book
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not book"

fuzz: $(STAMP)
	ANNHIST_FUZZ_PROFILE=full $(BIN)/python -m pytest tests/fuzz -m fuzz -q

# BENCH_ARGS: e.g. `make bench BENCH_ARGS="-k mlp"` (speed rows matching "mlp" only, no book).
BENCH_ARGS ?= --book
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet "torch==2.13.0" || echo "could not install torch==2.13.0: its rows are skipped"
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

serve: book
	@echo "Serving the book on http://localhost:$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory book/_build/html

lab: $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[lab]"
	$(BIN)/jupyter lab chapters/

clean:
	rm -rf book/_build .pytest_cache $(TOOLS)
