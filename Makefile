# Two entry points do all the set-up: `make audit` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: audit test install clean reports bench docs

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

# Regenerate the committed example outputs of the sample audit (reports/) and the JSON report's
# schema. tests/test_reports.py runs the same SAMPLE_AUDIT line and fails when they are stale.
SAMPLE_AUDIT := audit sample_suppliers/sample_suppliers.xlsx --isolated --exit-zero --audit-date 2026-11-27
REPORT_OUTPUTS := -o json:reports/sample-audit.json -o markdown:reports/sample-audit.md -o sarif:reports/sample-audit.sarif -o html:reports/sample-audit.html -o xlsx:reports/sample-audit.xlsx
reports: $(STAMP)
	$(BIN)/python -m auditor.report_schema > auditor/schemas/report.schema.json
	$(BIN)/auditor $(SAMPLE_AUDIT) $(REPORT_OUTPUTS)

# Regenerate the generated documentation (rules, scoring worked examples, data contract).
docs: $(STAMP)
	$(BIN)/python -m auditor.docgen all

test: $(STAMP)
	$(BIN)/pytest -q

# Generate (once, cached in benchmarks/data/) the synthetic supplier files, time the audit against the
# floor (polars reading the same file) and rewrite docs/benchmarks.md. Takes several minutes.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) .pytest_cache
