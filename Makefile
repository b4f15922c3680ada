# The two commands: `make run` and `make test`. Everything else is a helper of theirs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LRS_VENV := .venv-lrs
LRS_STAMP := $(LRS_VENV)/.installed

.PHONY: run test faults lint contracts format setup lrs migrate demo bench load clean

# package.json / package-lock.json: front-end libraries from the npm registry (the SCORM run-time),
# installed into node_modules by `npm ci` and served as static files; never committed.
$(STAMP): requirements.txt requirements-dev.txt package.json package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(STAMP)
	mkdir -p var

## make lrs: the learning record store the xAPI tests start (Ralph), in .venv-lrs: its own
## virtual environment, since its dependencies clash with ours (requirements-lrs.txt).
$(LRS_STAMP): requirements-lrs.txt
	test -x $(LRS_VENV)/bin/python || $(PYTHON) -m venv $(LRS_VENV)
	$(LRS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LRS_VENV)/bin/python -m pip install --quiet -r requirements-lrs.txt
	$(LRS_VENV)/bin/ralph --version
	touch $@

lrs: $(LRS_STAMP)

migrate: setup
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo_curriculum
	$(BIN)/python manage.py create_demo_accounts
	$(BIN)/python manage.py load_demo_activity > var/demo-activity.log

## make run: install, migrate, load the demo content and accounts, then start web + worker + beat.
run: demo
	@echo "Starting web (http://127.0.0.1:$${LMS_PORT:-8000}), Celery worker and Celery beat; Ctrl-C stops all three."
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start

## make test: ruff, the import contract, the type checker, then the whole pytest suite (the
## xAPI tests start the learning record store of .venv-lrs).
test: lint contracts lrs
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=lms.settings.test >/dev/null
	$(BIN)/pytest -n $${PYTEST_WORKERS:-2} $(PYTEST_ARGS)

## make contracts: imports point down the layers (import-linter), and the typed surface
## (services, selectors, tasks, extension points) passes mypy. Both configured in pyproject.toml.
contracts: setup
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

## make faults: kill the worker, restart Redis and PostgreSQL, deliver a task twice, 20 concurrent
## completions, a migration on a populated database; on a PostgreSQL cluster and a redis-server
## of its own (tests/faults/), serially. Prints a table of what it did and found.
faults: setup
	$(BIN)/python -m tests.faults $(FAULTS_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf var/cache var/celery var/test

## make bench: benchmarks (not tests) on PostgreSQL and Redis; results in bench/results/.
bench: setup
	sh bench/ensure-tools
	$(BIN)/python bench/certificates.py
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/pages.py

## make load: steps of 100, 200, 400 and 800 learners (60 s each) against the Procfile's processes
## scaled out (2 web, 2 workers, 1 beat; production settings on PostgreSQL and Redis); the knee,
## the page cache's hits, CPU by process; bench/results/<date>-load.json.
load: setup
	$(BIN)/python bench/load.py
