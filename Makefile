# Two entry points do all the set-up: `make audit` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: audit test install clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Audit the bundled sample suppliers with the bundled rules. Exit 1 means findings at or above
# --fail-on (default high) were raised, which the sample is built to have; that is not a failure here.
audit: $(STAMP)
	$(BIN)/auditor audit sample_suppliers/sample_suppliers.xlsx -o json:reports/sample-audit.json; \
	  code=$$?; if [ $$code -gt 1 ]; then exit $$code; fi

test: $(STAMP)
	$(BIN)/pytest -q

# Generate (once, cached in benchmarks/data/) the synthetic supplier files, time the audit against the
# floor (polars reading the same file) and rewrite docs/benchmarks.md. Takes several minutes.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) .pytest_cache
