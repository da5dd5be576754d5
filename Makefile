# The two commands a developer needs: `make run` and `make test`. See README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test venv deps dev-deps lint migrations-check pytest worker beat serve clean bench css mutmut

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs are re-run only when the requirement files change.
$(VENV)/.deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.deps

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: browser accessibility tests will be skipped (axe-core)"; fi

# The site's Bootstrap: only the parts it uses, built from Bootstrap's Sass sources (see
# assets/scss/bootstrap.scss). The built file is committed, so `make run` needs no npm; run
# `make css` after changing the .scss or the pinned `bootstrap` / `sass` in package.json.
SASS_FLAGS := --style=compressed --no-source-map --load-path=node_modules --quiet-deps \
	--silence-deprecation=import,global-builtin,color-functions
static/css/bootstrap.min.css: assets/scss/bootstrap.scss node_modules/.installed
	@test -x node_modules/.bin/sass || { echo "make css needs npm (Node.js) to install sass"; exit 1; }
	node_modules/.bin/sass $(SASS_FLAGS) assets/scss/bootstrap.scss $@

## css: rebuild static/css/bootstrap.min.css from the Sass sources (needs npm)
css: static/css/bootstrap.min.css

deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

# Links in emails point at the server `make run` starts, unless SITE_URL says otherwise.
export SITE_URL ?= http://$(HOST):$(PORT)

## run: install, migrate, seed demo data and serve on http://$(HOST):$(PORT)
## (with REDIS_URL set, a Celery worker and beat run alongside the web server; without it,
## `manage.py run_scheduled_tasks` runs beat's schedule in-process: reminders still go out)
# A developer's machine: DEBUG on (it is off unless set), unless the environment says
# otherwise. A host whose environment says DEBUG=false (production) keeps it, so seed_demo
# refuses there and `make run` stops before creating the published demo login.
run: export DEBUG ?= true
run: deps
	@mkdir -p var
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	@if [ -n "$$REDIS_URL" ]; then \
		echo "REDIS_URL is set: starting a Celery worker and beat alongside the web server"; \
		trap 'kill 0' INT TERM EXIT; \
		$(BIN)/celery -A clinic worker --loglevel=INFO --concurrency=2 & \
		$(BIN)/celery -A clinic beat --loglevel=INFO --schedule=var/celerybeat-schedule & \
		$(BIN)/python manage.py runserver $(HOST):$(PORT); \
	else \
		echo "No REDIS_URL: tasks run in-process, emails are written to var/mail/ and"; \
		echo "manage.py run_scheduled_tasks runs the periodic tasks (reminders) alongside"; \
		trap 'kill 0' INT TERM EXIT; \
		$(BIN)/python manage.py run_scheduled_tasks & \
		$(BIN)/python manage.py runserver $(HOST):$(PORT); \
	fi

## test: lint, migration check and the whole suite (as development: DEBUG on)
test: export DEBUG ?= true
test: dev-deps node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## mutmut: mutation testing of the triage engine (assessments/triage.py); see [tool.mutmut]
mutmut: dev-deps
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results

## bench: the benchmarks that need only PostgreSQL on 127.0.0.1 (each recreates the database
## BENCH_DATABASE_URL, default clinic_bench4): slots in-process and through gunicorn, the back
## office, and booking; BENCH_HISTORY past appointments behind the diary. The others (articles,
## contact email, page weight) need more services: see bench/RESULTS.md for their commands.
BENCH_HISTORY ?= 120000
bench: dev-deps
	$(BIN)/python bench/slots.py --history $(BENCH_HISTORY) --http
	$(BIN)/python bench/admin_pages.py --history $(BENCH_HISTORY)
	$(BIN)/python bench/booking_post.py

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache mutants
