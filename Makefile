# The two set-up commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench sandbox dist clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,sandbox]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/quickstart.py

lint: $(STAMP)
	$(BIN)/ruff check siigo tests examples benchmarks
	$(BIN)/ruff format --check siigo tests examples benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy siigo tests examples

# The suite runs in parallel (pytest-xdist): PYTEST_WORKERS processes, each test sent to the first
# free one; a module marked with an xdist_group keeps its tests on one worker.  Two per CPU by
# default: many tests wait (rate-limit windows, token lifetimes, timeouts, subprocesses) more than
# they compute, and the other workers use the CPU meanwhile.  Bytecode is written even where the
# environment sets PYTHONDONTWRITEBYTECODE (into the ignored __pycache__ folders): otherwise every
# worker compiles the package and rewrites the tests' asserts again on every run.
PYTEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print(2 * (os.cpu_count() or 1))')
pytest: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadgroup

# mypy runs beside the suite: it is one process, and the suite's workers often wait.
test: lint
	@$(MAKE) --no-print-directory -j2 typecheck pytest

bench: $(STAMP)
	for f in benchmarks/bench_*.py benchmarks/chaos.py; do $(BIN)/python $$f || exit 1; done

dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist .

sandbox: $(STAMP)
	$(BIN)/python -m siigo sandbox --port 8765

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build dist
