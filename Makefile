# Two commands matter: `make run` (demo on SQLite) and `make test` (whole suite, PostgreSQL then SQLite).
VENV := .venv
PY := $(VENV)/bin/python
# The virtual environment is made from the operating system's CPython where it has one: Debian's
# is built with profile-guided and link-time optimisation and links libpython statically, and
# spends 12-17% less CPU on a WeasyPrint render than a plain source build (README, printing speed).
PYTHON ?= $(or $(wildcard /usr/bin/python3.11),python3)
DEMO_ENV := DEBUG=true

.PHONY: install run serve demo-data test chromium oidc-provider lint benchmarks

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); python3 -m venv $(VENV); }
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

demo-data: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py setup_demo

# The task worker prints PDFs and builds zips beside the development server; Ctrl-C stops both.
run: demo-data
	$(DEMO_ENV) $(PY) manage.py run_tasks --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Production-like: PostgreSQL, gunicorn, a task worker, DEBUG off (scripts/serve.sh, DEPLOY.md).
serve: install
	SERVE_DEMO=$(SERVE_DEMO) bash scripts/serve.sh

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The real OpenID provider the sign-in tests start (tests/oidc_provider, Node's oidc-provider).
OIDC_PROVIDER := tests/oidc_provider/node_modules/.installed
$(OIDC_PROVIDER): tests/oidc_provider/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "The sign-in tests need Node.js 20+ and npm (Debian: apt-get install nodejs npm)"; exit 1; }
	cd tests/oidc_provider && npm ci --no-audit --no-fund
	touch $@

oidc-provider: $(OIDC_PROVIDER)

test: install chromium oidc-provider
	bash scripts/test.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

benchmarks: install
	$(PY) benchmarks/pdf.py
	$(PY) benchmarks/pdf_logo.py
	$(PY) benchmarks/pages.py
	bash scripts/with-postgres.sh $(PY) benchmarks/search.py
	$(PY) benchmarks/load_force.py
	$(PY) benchmarks/import.py
