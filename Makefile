# mockwish: `make serve` and `make test` work on a fresh Debian machine with Python 3.11, make and root.
#
# Where it listens: the MOCKWISH_* environment variables, read by mockwish itself (mockwish/config.py), and
# nothing else: MOCKWISH_HOST (default 127.0.0.1, this machine only), MOCKWISH_PORT (8000) and
# MOCKWISH_WISHPOST_PORT (8001), e.g. `MOCKWISH_HOST=0.0.0.0 MOCKWISH_PORT=9000 make serve`.
#
# Dependencies come from the lock files, hash-checked by plain pip: requirements.lock (what serving needs)
# and requirements-test.lock (that plus the test extras, at the same versions). `make lock` regenerates them
# from pyproject.toml (`make lock LOCK_FLAGS=--upgrade` moves every pin to the newest release).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip install --quiet
# a stamp per lock, named by what it installed, so a changed lock or pyproject.toml installs again
SERVE_STAMP := $(VENV)/.installed-serve-$(shell cat requirements.lock pyproject.toml | md5sum | cut -c1-12)
TEST_STAMP  := $(VENV)/.installed-test-$(shell cat requirements-test.lock pyproject.toml | md5sum | cut -c1-12)
LOCK_FLAGS ?=
UV_COMPILE = $(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command 'make lock' --quiet $(LOCK_FLAGS)

.PHONY: install install-test bytecode system-tools serve test lint bench soak owner-choice openapi lock clean

# Debian's python3 lacks ensurepip until python3-venv is installed: install it when venv fails (as root).
$(PY):
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { rm -rf $(VENV); \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null \
	  && $(PYTHON) -m venv $(VENV); }

$(SERVE_STAMP): requirements.lock pyproject.toml | $(PY)
	$(PIP) --require-hashes -r requirements.lock
	$(PIP) --no-deps -e .
	@rm -f $(VENV)/.installed-serve-*
	@touch $@

$(TEST_STAMP): requirements-test.lock pyproject.toml | $(PY)
	$(PIP) --require-hashes -r requirements-test.lock
	$(PIP) --no-deps -e .
	@rm -f $(VENV)/.installed-test-*
	@touch $@

install: $(SERVE_STAMP)

install-test: $(TEST_STAMP)

# mockwish's own modules compiled once here (only those changed since): a start then reads the bytecode instead of
# compiling 136 modules, 0.2 s of every start where PYTHONDONTWRITEBYTECODE=1 keeps imports from writing it (the
# Docker image does the same; the installed dependencies got theirs from pip)
bytecode: | $(PY)
	$(PY) -m compileall -q mockwish

serve: install bytecode
	$(PY) -m mockwish serve

# what the suite runs besides Python: curl and jq for the README's control examples (tests/test_readme_examples.py)
system-tools:
	@missing=""; for tool in curl jq; do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

test: install-test system-tools bytecode
	$(PY) -m pytest -q -n 2

lint: install-test
	$(VENV)/bin/ruff check mockwish tests bench
	$(VENV)/bin/hadolint Dockerfile
	$(VENV)/bin/mypy mockwish

bench: install bytecode
	$(PY) bench/run.py

# 64 clients for 2 minutes against a real server: writes, resets, OAuth; zero lost acknowledged writes, zero 5xx
soak: install
	$(PY) bench/concurrency.py --record

# the store's owner on the event loop against a dedicated thread (why every route is async def)
owner-choice: install
	$(PY) bench/owner_choice.py --record

openapi: install
	$(PY) -m mockwish openapi --out openapi.json

# the locking tool (uv) goes into the venv for this target only; the lock files install with plain pip
lock: | $(PY)
	$(PIP) 'uv>=0.5'
	$(UV_COMPILE) -o requirements.lock
	$(UV_COMPILE) --extra test -c requirements.lock -o requirements-test.lock

clean:
	rm -rf $(VENV) data bench/out .pytest_cache .ruff_cache .mypy_cache
