# Two entry points for a fresh machine (Python 3.11+ and the package registry are all they need):
#   make report   set up .venv (runtime only), load the sample workbooks, render the sample report
#   make test     set up .venv with the dev extras, lint, run the test suite
# `make help` lists every target.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
SAMPLE_DEPT ?= 科学技术局
SAMPLE_YEAR ?= 2024

APT_PACKAGES := chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libreoffice-writer-nogui libreoffice-calc-nogui \
  poppler-utils
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help setup setup-dev git-filters system-deps report test test-fast lint samples lock wheelhouse venv-size clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

setup: $(RUNTIME) git-filters  ## the runtime venv (.venv) from requirements.lock, evalnb installed editable, kernel `evalnb`, git filter

# A changed lock rebuilds the venv from nothing, so it holds exactly what the lock says.
$(RUNTIME): requirements.lock pyproject.toml
	@if [ ! -x $(BIN)/python ] || echo "$?" | grep -q requirements.lock; then \
	  echo "creating $(VENV) from requirements.lock"; rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); fi
	@# Bytecode is compiled at install (pip's default): a kernel starts without compiling pandas and matplotlib
	@# from source, even where PYTHONDONTWRITEBYTECODE is set (Docker images, CI) — a third of a cold report.
	$(PIP) install --quiet --require-hashes --no-deps -r requirements.lock
	$(PIP) install --quiet --no-deps -e .
	$(BIN)/python -m compileall -q evalnb
	$(BIN)/python -m ipykernel install --sys-prefix --name evalnb --display-name "Python (evalnb)" > /dev/null
	@# An editable install skips setuptools' data-files: link the nbconvert template and the Jupyter
	@# server config (committed section notebooks open clean in JupyterLab) into the venv as a wheel would.
	mkdir -p $(VENV)/share/jupyter/nbconvert/templates $(VENV)/etc/jupyter/jupyter_server_config.d
	ln -sfn $(CURDIR)/evalnb/templates/evalnb $(VENV)/share/jupyter/nbconvert/templates/evalnb
	ln -sf $(CURDIR)/evalnb/etc/jupyter_server_config.d/evalnb.json $(VENV)/etc/jupyter/jupyter_server_config.d/evalnb.json
	touch $@

# Notebook outputs stay on disk and never reach git: nbstripout, run by this venv's Python, is the clean filter of
# *.ipynb (.gitattributes); it also drops JupyterLab's view state and the Python version of language_info, and keeps
# cell ids. `required` makes a commit fail rather than take outputs in when the filter cannot run. Outside a git
# checkout (an unpacked release) there is nothing to configure.
NBSTRIPOUT_KEYS := metadata.language_info.version cell.metadata.jupyter cell.metadata.trusted \
  metadata.papermill cell.metadata.papermill
git-filters:  ## keep notebook outputs out of git: nbstripout as the clean filter of *.ipynb (git config)
	@if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then \
	  git config filter.nbstripout.clean '"$(abspath $(BIN))/python" -m nbstripout --keep-id' && \
	  git config filter.nbstripout.smudge cat && \
	  git config filter.nbstripout.required true && \
	  git config filter.nbstripout.extrakeys '$(strip $(NBSTRIPOUT_KEYS))' && \
	  echo "git: notebook outputs stay on disk and out of commits (nbstripout filter)"; fi

setup-dev: $(DEV) git-filters  ## the runtime venv plus the test tools and the postgres/dask extras (requirements-dev.lock)

$(DEV): $(RUNTIME) requirements-dev.lock
	$(PIP) install --quiet --require-hashes --no-deps -r requirements-dev.lock
	touch $@

report: setup  ## load data/sample/*.xlsx and render the sample report
	$(BIN)/evalnb ingest --init data/sample/*.xlsx
	$(BIN)/evalnb report --dept $(SAMPLE_DEPT) --year $(SAMPLE_YEAR)

# The browser test needs Chromium, the PDF writer (WeasyPrint) Pango and the Noto Serif/Sans CJK fonts, the Word
# and Excel tests LibreOffice Writer and Calc; installed once, skipped when every package is there.
system-deps:  ## Debian's chromium, fonts-noto-cjk, Pango, LibreOffice Writer and Calc, poppler-utils (apt): browser, PDF, Word, Excel
	@dpkg -s $(APT_PACKAGES) > /dev/null 2>&1 || { \
	  echo "installing $(APT_PACKAGES) (apt)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES) > /dev/null; }

lint: $(DEV)  ## ruff, and import-linter: subpackages import only down the data flow (pyproject.toml)
	$(BIN)/ruff check evalnb tests benchmarks scripts
	$(BIN)/lint-imports --no-cache

# Every test on three workers: the long soak tests spread over them beside the rest; tests sharing the
# rendered samples stay on one worker, which renders them once (tests/conftest.py assigns tiers and groups).
# The store tests also run on this checkout's own PostgreSQL server (.ci/start-postgres starts it).
TEST_WORKERS ?= 3
test: $(DEV) git-filters system-deps lint  ## lint and run every test (about 15 minutes here)
	EVALNB_TEST_PG="$$(.ci/start-postgres)" $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

test-fast: $(DEV)  ## the unit tier only (no kernel, no process): a quick loop, about a minute
	$(BIN)/python -m pytest -m unit -n 2 -q

samples: $(RUNTIME)  ## rebuild the sample workbooks in data/sample/
	$(BIN)/python scripts/build_samples.py

lock:  ## re-resolve requirements.lock and requirements-dev.lock (needs uv: pip install uv)
	uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --quiet -o requirements.lock
	uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 --generate-hashes --quiet \
	  -c requirements.lock -o requirements-dev.lock

wheelhouse:  ## download every locked wheel into wheelhouse/ for an offline install (see README)
	$(PYTHON) -m pip download --require-hashes --no-deps -r requirements.lock -d wheelhouse
	$(PYTHON) -m pip download -d wheelhouse "setuptools>=77" wheel
	$(PYTHON) -m pip wheel --no-deps -w wheelhouse .

venv-size: $(RUNTIME)  ## the runtime venv's size on disk
	@du -sh $(VENV)

clean:  ## remove outputs (the store included) and caches
	rm -rf outputs/* .pytest_cache
