# Two entry points on a fresh machine: `make audit` and `make test` (README quick start).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: audit test lint venv native inits clean

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
# (The compiled sources as netaudit/_native.py lists them: it needs only the standard library.)
COMPILED := $(shell $(PY) -c 'import runpy; print(*runpy.run_path("netaudit/_native.py")["compiled_sources"]())')
$(NATIVE): $(STAMP) tools/compile.py netaudit/_native.py $(COMPILED)
	$(BIN)/python tools/compile.py

native: $(NATIVE)

# The dataclass __init__ of the compiled modules written out (mypyc compiles those, not the
# decorator's; tools/dcinit.py). Run after changing a dataclass's fields there.
inits: $(STAMP)
	$(BIN)/python tools/dcinit.py

audit: $(STAMP) $(NATIVE)
	@# exit 1 means "violations found" (the sample city has planted ones): the job succeeded.
	$(BIN)/netaudit audit inventories/xian; rc=$$?; [ $$rc -eq 1 ] && rc=0; exit $$rc

lint: $(STAMP)
	$(BIN)/ruff check netaudit tests benchmarks tools
	$(BIN)/ruff format --check netaudit tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/python tools/dcinit.py --check

test: lint $(NATIVE)
	$(BIN)/pytest; rc=$$?; [ $$rc -eq 5 ] && rc=0; exit $$rc

clean:
	rm -rf $(VENV) reports/out netaudit.db build netaudit/_native.json
	find netaudit -name '*.so' -delete
