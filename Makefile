# Two entry points on a fresh machine: `make audit` and `make test` (README quick start).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: audit test lint venv native clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# The parsers, the network analysis and the checks compiled with mypyc (tools/compile.py;
# issue 9), again whenever a source changes. Without a C compiler they run as Python sources
# (slower); netaudit/_native.py says which run.
NATIVE := netaudit/_native.json
$(NATIVE): $(STAMP) tools/compile.py $(shell find netaudit/vendors netaudit/network netaudit/policy netaudit/model netaudit/_native.py -name '*.py')
	$(BIN)/python tools/compile.py

native: $(NATIVE)

audit: $(STAMP) $(NATIVE)
	@# exit 1 means "violations found" (the sample city has planted ones): the job succeeded.
	$(BIN)/netaudit audit inventories/xian; rc=$$?; [ $$rc -eq 1 ] && rc=0; exit $$rc

lint: $(STAMP)
	$(BIN)/ruff check netaudit tests benchmarks tools
	$(BIN)/ruff format --check netaudit tests benchmarks tools
	$(BIN)/mypy

test: lint $(NATIVE)
	$(BIN)/pytest; rc=$$?; [ $$rc -eq 5 ] && rc=0; exit $$rc

clean:
	rm -rf $(VENV) reports/out netaudit.db build netaudit/_native.json
	find netaudit -name '*.so' -delete
