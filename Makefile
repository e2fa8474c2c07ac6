# Two commands for a new user: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.geinstalleerd
PEILDATUM_DEMO := 2026-10-31

.PHONY: demo test test-snel lint lab install clean bench app golden

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "Python mist 'venv'. Installeer het eerst, bijvoorbeeld: sudo apt-get install python3-venv"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/debiteuren demo demo

# Lint, then tests, doctests and every notebook top to bottom (nbval) on a copy of the demo register.
test: lint
	DEBITEUREN_PEILDATUM=$(PEILDATUM_DEMO) $(BIN)/python -m pytest --nbval-lax tests lib/debiteuren notebooks

# The edit-test loop: lint and the tests without LibreOffice, the browser, the benchmark and nbval.
test-snel: lint
	$(BIN)/python -m pytest -m "not slow and not browser and not bench" -x tests lib/debiteuren

# The golden texts of every letter (tests/golden/*.txt) rewritten from the current code: review the diff.
golden: $(STAMP)
	$(BIN)/python tests/golden_letters.py --bijwerken

lint: $(STAMP)
	$(BIN)/ruff check lib tests tools bench notebooks
	$(BIN)/ruff format --check lib tests tools bench

# Benchmark of the whole month (issue 8): medium and large register, writes bench/results.md.
# Takes about 20 minutes (the openpyxl baselines on 250,000 rows run once).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet pyinstrument
	$(BIN)/python bench/run.py --size medium --size large --profile --markdown bench/results.md

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

# The three notebooks as a web app on this computer only (Voilà; no code shown), at http://127.0.0.1:8866/:
# maandreview, dossier and vordering, with links between them. Nothing is loaded from the internet, and
# kernels of closed pages are stopped after 15 minutes (lib/debiteuren/app/voila/voila.json);
# the same `debiteuren app` an installed package runs (lib/debiteuren/cli/program.py).
# The register: DEBITEUREN_WERKMAP=pad/naar/register.xlsx make app (default: a copy of the demo register).
app: $(STAMP)
	$(BIN)/debiteuren app --geen-browser --poort 8866

clean:
	rm -rf $(VENV) demo .pytest_cache
