# The two commands: `make run` and `make test`. Everything else is set-up they share.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test setup migrate demodata lint format clean pango-check

run: setup
	$(PY) manage.py demodata
	@echo ""
	@echo "  Mikrolån kører på http://127.0.0.1:$(PORT)/  (Ctrl-C stopper web, worker og beat)"
	@echo "  E-mails skrives som filer i data/mails/"
	@echo ""
	PORT=$(PORT) $(VENV)/bin/honcho -f Procfile.dev start

test: $(VENV)/.installed pango-check node_modules/.installed .env locale-compiled
	$(PY) -m pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed pango-check node_modules/.installed .env locale-compiled data
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input -v0

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

.env: | $(VENV)/.installed
	$(PY) scripts/lav_env.py .env

# The loan agreement (gældsbrev) is a PDF made by WeasyPrint, which needs Pango and HarfBuzz from
# the system: importing it is the test. Without them, say the one command that adds them and stop.
PANGO_PAKKER := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
pango-check: $(VENV)/.installed
	@$(PY) -c "import weasyprint" >/dev/null 2>&1 || { \
	  echo ""; \
	  echo "  WeasyPrint (gældsbrevet som PDF) mangler Pango fra systemet. Installér det med:"; \
	  echo ""; \
	  echo "    sudo apt-get install -y $(PANGO_PAKKER)"; \
	  echo ""; \
	  exit 1; }

.PHONY: locale-compiled
locale-compiled: $(VENV)/.installed
	$(PY) manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules

data:
	mkdir -p data/celery/queue data/celery/processed data/celery/control data/mails data/dokumenter

clean:
	rm -rf $(VENV) node_modules staticfiles data/celery
