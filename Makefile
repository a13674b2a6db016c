# mockwish: `make serve` and `make test` work on a fresh Debian machine with Python 3.11, make and root.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | md5sum | cut -c1-12)
HOST   ?= 0.0.0.0
PORT   ?= 8000

.PHONY: install serve test lint bench openapi clean

# Debian's python3 lacks ensurepip until python3-venv is installed: install it when venv fails (as root).
$(PY):
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { rm -rf $(VENV); \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null \
	  && $(PYTHON) -m venv $(VENV); }

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

serve: install
	$(PY) -m mockwish serve --host $(HOST) --port $(PORT)

test: install
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check mockwish tests bench
	$(VENV)/bin/hadolint Dockerfile

bench: install
	$(PY) bench/run.py

openapi: install
	$(PY) -m mockwish openapi --out openapi.json

clean:
	rm -rf $(VENV) data bench/out .pytest_cache
