# Two entry points on a fresh machine: `make audit` and `make test` (README quick start).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: audit test lint venv clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

audit: $(STAMP)
	@# exit 1 means "violations found" (the sample city has planted ones): the job succeeded.
	$(BIN)/netaudit audit inventories/xian; rc=$$?; [ $$rc -eq 1 ] && rc=0; exit $$rc

lint: $(STAMP)
	$(BIN)/ruff check netaudit tests benchmarks
	$(BIN)/ruff format --check netaudit tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/pytest; rc=$$?; [ $$rc -eq 5 ] && rc=0; exit $$rc

clean:
	rm -rf $(VENV) reports/out netaudit.db
