# micrograd_lite: the two commands are `make lab` and `make test`.
# Each sets up what it needs on first use, in .venv: `make lab` only the course,
# `make test` also the test and book tools, PyTorch and chromium.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.md))
# One stamp per group of extras (see pyproject.toml), so a learner gets only the course.
COURSE := $(VENV)/.course-installed
TESTS  := $(VENV)/.test-installed
BOOK   := $(VENV)/.book-installed
BENCH  := $(VENV)/.bench-installed
INSTRUCTOR := $(VENV)/.instructor-installed
# PyTorch, for the tests that compare our grads with its grads. This exact version
# installs a CPU build; an unpinned torch pulls a CUDA build of several GB.
# `make test TORCH=` leaves it out, and those tests are skipped.
TORCH  ?= torch==2.13.0
# Quiet the debugger's frozen-modules warning in every kernel, and render
# plots inline, never to a window, wherever make runs them.
export PYDEVD_DISABLE_FILE_VALIDATION := 1
export MPLBACKEND := module://matplotlib_inline.backend_inline

.PHONY: help setup lab notebook test unit drift nbval browser chromium lint sync book bench student nbgrader grades clean

help:
	@echo "make lab    set up the course and open it in JupyterLab"
	@echo "make notebook  the same, in Jupyter Notebook 7"
	@echo "make test   set up and run every test (unit, pair drift, nbval, browser)"
	@echo "make lint   check the code with ruff"
	@echo "make sync   regenerate and execute notebooks/*.ipynb from their .md sources"
	@echo "make book   build the course pages into _build/html"
	@echo "make bench  run the benchmarks"
	@echo "make student   write the student edition (no solutions) to _build/student and its zip"
	@echo "make nbgrader  write an nbgrader course folder to _build/nbgrader"
	@echo "make grades    autograde the submissions in _build/nbgrader and write grades.csv"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { \
		echo "The course needs Python 3.10 or newer (it is tested on 3.10 to 3.13);"; \
		echo "$(PYTHON) is $$($(PYTHON) -V 2>&1). Pick another: make lab PYTHON=python3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The learner's install: the package and the course extra, and the notebook kernel.
$(COURSE): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[course]'
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (micrograd_lite)" >/dev/null
	touch $@

$(TESTS): pyproject.toml $(COURSE)
	$(PY) -m pip install --quiet -e '.[course,test,instructor]' $(TORCH)
	touch $@

$(BOOK): pyproject.toml $(COURSE)
	$(PY) -m pip install --quiet -e '.[course,book]'
	touch $@

$(INSTRUCTOR): pyproject.toml $(COURSE)
	$(PY) -m pip install --quiet -e '.[course,instructor]'
	touch $@

$(BENCH): pyproject.toml $(COURSE)
	$(PY) -m pip install --quiet -e '.[course,bench]'
	touch $@

setup: $(COURSE)

lab: $(COURSE)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --LabApp.default_url=/lab/tree/notebooks/01_derivatives.ipynb \
		$$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# The same course in the classic-looking Jupyter Notebook 7 interface.
notebook: $(COURSE)
	$(BIN)/jupyter notebook --ServerApp.ip=127.0.0.1 --JupyterNotebookApp.default_url=/notebooks/notebooks/01_derivatives.ipynb \
		$$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# chromium first, so a machine that lacks it stops before the long runs.
test: chromium unit drift nbval browser

# UNIT_MARKS picks the tests by marker, e.g. UNIT_MARKS="not browser and not wheel"
UNIT_MARKS ?= not browser
unit: $(TESTS)
	$(PY) -m pytest tests -m "$(UNIT_MARKS)" -q --durations=15

drift: $(TESTS)
	$(PY) tools/check_pairs.py $(NOTEBOOKS)

# NBVAL_ARGS adds pytest options, e.g. --ignore=notebooks/07_breaking_up_tanh.ipynb
nbval: $(TESTS)
	$(PY) -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
		--nbval-cell-timeout 60 -p no:cacheprovider -q $(NBVAL_ARGS) notebooks/

# The browser tests also build the course pages, so they need the book extra.
browser: $(TESTS) $(BOOK) chromium
	$(PY) -m pytest tests -m browser -q -p no:cacheprovider --durations=15

chromium:
	@bash tools/ensure-chromium.sh

lint: $(TESTS)
	$(BIN)/ruff check .

# The .md is the source. This writes each .ipynb from it and executes it;
# `make sync NOTEBOOKS=notebooks/04_neuron.md` does one lesson.
sync: $(TESTS)
	$(PY) tools/sync_notebooks.py $(NOTEBOOKS)

book: $(BOOK)
	BIN=$(BIN) bash tools/book_build.sh _build/html

bench: $(BENCH)
	$(PY) benchmarks/bench_engine.py
	$(PY) benchmarks/bench_live.py
	$(PY) benchmarks/bench_render.py

student: $(COURSE)
	$(PY) tools/student_edition.py _build/student

nbgrader: $(INSTRUCTOR)
	$(PY) tools/nbgrader_course.py _build/nbgrader

grades: $(INSTRUCTOR)
	$(PY) tools/grades.py _build/nbgrader

clean:
	rm -rf _build .pytest_cache .hypothesis .ruff_cache
