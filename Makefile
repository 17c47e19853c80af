# micrograd_lite: the two commands are `make lab` and `make test`.
# Both create the environment (.venv) on first use and install the `dot` program.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.md))
# Quiet the debugger's frozen-modules warning in every kernel, and render
# plots inline, never to a window, wherever make runs them.
export PYDEVD_DISABLE_FILE_VALIDATION := 1
export MPLBACKEND := module://matplotlib_inline.backend_inline

.PHONY: help setup system-deps test-deps lab test unit drift nbval browser sync book bench clean

help:
	@echo "make lab    set up and open the course in JupyterLab"
	@echo "make test   set up and run every test (unit, pair drift, nbval, browser)"
	@echo "make sync   regenerate and execute notebooks/*.ipynb from their .md sources"
	@echo "make book   build the course pages into _build/html"
	@echo "make bench  run the benchmarks"

setup: system-deps $(STAMP)

# The course needs `dot`; only the tests also need chromium.
system-deps:
	@NEED_CHROMIUM=0 bash tools/ensure-system-deps.sh

test-deps:
	@bash tools/ensure-system-deps.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[course,test,book,bench]'
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (micrograd_lite)" >/dev/null
	touch $@

lab: setup
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --LabApp.default_url=/lab/tree/notebooks/01_derivatives.ipynb \
		$$( [ "$$(id -u)" = 0 ] && echo --allow-root )

test: test-deps setup unit drift nbval browser

unit:
	$(PY) -m pytest tests -m "not browser" -q

drift:
	$(PY) tools/check_pairs.py $(NOTEBOOKS)

nbval:
	$(PY) -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
		--nbval-cell-timeout 60 -p no:cacheprovider -q notebooks/

browser:
	$(PY) -m pytest tests -m browser -q -p no:cacheprovider

# The .md is the source. This writes each .ipynb from it and executes it;
# `make sync NOTEBOOKS=notebooks/04_neuron.md` does one lesson.
sync: setup
	$(PY) tools/sync_notebooks.py $(NOTEBOOKS)

book: setup
	BIN=$(BIN) bash tools/book_build.sh _build/html

bench: setup
	$(PY) benchmarks/bench_engine.py
	$(PY) benchmarks/bench_live.py

clean:
	rm -rf _build .pytest_cache .hypothesis
