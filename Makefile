# Two entry points do all the set-up: `make audit` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: audit test install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Audit the bundled sample suppliers with the bundled rules. Exit 1 means findings at or above
# --fail-on (default high) were raised, which the sample is built to have; that is not a failure here.
# The fixed --audit-date keeps the committed example workbook byte-identical between runs.
audit: $(STAMP)
	$(BIN)/auditor audit sample_suppliers/sample_suppliers.xlsx --audit-date 2026-11-27 -o json:reports/sample-audit.json -o xlsx:reports/sample-audit.xlsx; \
	  code=$$?; if [ $$code -gt 1 ]; then exit $$code; fi

test: $(STAMP)
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) .pytest_cache
