# Stadium: `make run` starts a playable demo, `make test` runs every check.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export PYTHON := $(PY)
export DJANGO_SETTINGS_MODULE := config.settings
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

.PHONY: run test lint install services frontend bench-engine profile-answer bench-fanout bench-answer-cpu bench-join-cpu bench-flush bench-replicas bench-db-pool bench-report loadtest clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

services: install
	scripts/services.sh

# Build the React front end when npm is there (skipped with a note otherwise).
frontend:
	scripts/frontend.sh

run: install services frontend
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_setup
	scripts/run.sh $(HOST) $(PORT) $(WORKERS)

# mypy: strict, with django-stubs, on the packages listed in pyproject.toml
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy --config-file pyproject.toml
	$(VENV)/bin/lint-imports

# tests/engine runs on its own without Django (no plugin, no settings module):
# the engine's independence from Django is exercised, not assumed. With
# PYTEST_ARGS (e.g. PYTEST_ARGS=tests/quiz) one pytest run of just those.
ENGINE_TESTS := tests/engine
NO_DJANGO := -p no:django -W "ignore:Unknown config option:pytest.PytestConfigWarning"
test: install services
	$(MAKE) lint
	scripts/frontend.sh --for-tests
	# Debian's nginx when missing (as root), for the proxy tests (tests/proxy/),
	# which start nginx processes of their own
	scripts/nginx.sh
ifeq ($(strip $(PYTEST_ARGS)),)
	env -u DJANGO_SETTINGS_MODULE $(VENV)/bin/pytest $(NO_DJANGO) $(ENGINE_TESTS)
	$(VENV)/bin/pytest --ignore=$(ENGINE_TESTS)
else
	$(VENV)/bin/pytest $(PYTEST_ARGS)
endif

# Internal micro-benchmarks (bench/); the load test (loadtest/) speaks only
# HTTP and WebSocket.
bench-engine: install services
	$(PY) -m bench.bench_engine $(ARGS)

# Where an answer's Redis time goes: timing variants of the answer scripts
profile-answer: install services
	$(PY) -m bench.profile_answer $(ARGS)

bench-fanout: install services
	$(PY) -m bench.bench_fanout $(ARGS)

# The server's CPU per answer, socket to ack (one uvicorn process)
bench-answer-cpu: install services
	$(PY) -m bench.bench_answer_cpu $(ARGS)

bench-join-cpu: install services
	$(PY) -m bench.bench_join_cpu $(ARGS)

# (the database's schema first: the bench writes real rows)
bench-flush: install services
	$(PY) manage.py migrate --noinput
	$(PY) -m bench.bench_flush $(ARGS)

# what acknowledging answers only once a replica has them (WAIT) costs, on a
# private 3 + 3 node Redis Cluster
bench-replicas: install services
	$(PY) -m bench.bench_replicas $(ARGS)

bench-db-pool: install services
	$(PY) -m bench.bench_db_pool $(ARGS)

# the game report of a generated, saved 100,000-player 10-question game
bench-report: install services
	$(PY) manage.py migrate --noinput
	$(PY) -m bench.bench_report $(ARGS)

PLAYERS ?= 200
QUESTIONS ?= 5
loadtest: install services
	$(PY) -m loadtest.run --players $(PLAYERS) --questions $(QUESTIONS) $(ARGS)

clean:
	rm -rf $(VENV) staticfiles frontend/dist frontend/node_modules test-artifacts
