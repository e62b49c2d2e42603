# Two commands on a fresh machine: `make run` (build + a sample answer) and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: run test lint build-only bench bench-serve serve clean conformance-tools

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found (Python 3.11 is required)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	PIP_CONSTRAINT=$(CURDIR)/constraints.txt $(BIN)/pip install --quiet -e '.[test]'
# bytecode now, as pip does for a wheel: an editable install otherwise recompiles every module
# on each cold command when PYTHONDONTWRITEBYTECODE is set (a third of a cold query's CPU)
	$(BIN)/python -m compileall -q src
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/exokg build --out dist
	$(BIN)/exokg query run mirnas-elevated-in-cancer

# Serve the built graph on http://127.0.0.1:8000/ (builds first when dist/ has no store).
serve: $(STAMP)
	@test -d dist/store || $(BIN)/exokg build --out dist
	$(BIN)/exokg serve --dist dist --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy

test: $(STAMP) lint
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/build.py
	$(BIN)/python bench/queries.py

bench-serve: $(STAMP)
	$(BIN)/python bench/serve.py

clean:
	rm -rf dist .pytest_cache .mypy_cache .ruff_cache

# issue 16: the ecosystem's own checkers (sssom-py, kgx), each in its own venv: their pins clash with ours.
TOOLS = .venv-tools
BIOLINK_MODEL = biolink-model==4.4.6
conformance-tools: $(TOOLS)/sssom/.installed $(TOOLS)/kgx/.installed

$(TOOLS)/sssom/.installed: constraints.txt
	$(PYTHON) -m venv $(TOOLS)/sssom
	$(TOOLS)/sssom/bin/pip install --quiet -c constraints.txt sssom
	@touch $@

$(TOOLS)/kgx/.installed: constraints-kgx.txt
	$(PYTHON) -m venv $(TOOLS)/kgx
	$(TOOLS)/kgx/bin/pip install --quiet -c constraints-kgx.txt kgx
	$(TOOLS)/kgx/bin/pip install --quiet --no-deps '$(BIOLINK_MODEL)'
	@touch $@
