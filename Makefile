# Two entry points for a fresh machine (Python 3.11+ and the package registry are all they need):
#   make report   set up .venv, load the sample workbooks, render the sample report
#   make test     set up .venv, lint, run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SAMPLE_DEPT ?= 科学技术局
SAMPLE_YEAR ?= 2024

APT_PACKAGES := chromium fonts-noto-cjk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup system-deps report test lint samples clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name evalnb --display-name "Python (evalnb)" > /dev/null
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/evalnb ingest data/sample/*.xlsx
	$(BIN)/evalnb report --dept $(SAMPLE_DEPT) --year $(SAMPLE_YEAR)

# The browser test needs Debian's Chromium and a CJK font; installed once, skipped when present.
system-deps:
	@command -v chromium > /dev/null && fc-list | grep -q "Noto Sans CJK" || { \
	  echo "installing $(APT_PACKAGES) (apt)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES) > /dev/null; }

lint: $(STAMP)
	$(BIN)/ruff check evalnb tests benchmarks data

# The store tests also run on a real PostgreSQL server on loopback (.ci/start-postgres starts it).
test: $(STAMP) system-deps lint
	EVALNB_TEST_PG="$$(.ci/start-postgres)" $(BIN)/python -m pytest

samples: $(STAMP)
	$(BIN)/python data/sample/build_samples.py

clean:
	rm -rf outputs/* .pytest_cache
