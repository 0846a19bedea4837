# General Bots for Django. `make run` serves the platform on a fresh machine; `make test` runs
# the whole suite against PostgreSQL and Redis.

VENV ?= .venv
PY := $(VENV)/bin/python
export VENV
export PYTHONUNBUFFERED := 1

# Full mode reads DATABASE_URL, REDIS_URL, QDRANT_URL... from the environment; export
# DJANGO_SETTINGS_MODULE=generalbots.settings.production for a public deployment.
FULL_SETTINGS ?= $(or $(DJANGO_SETTINGS_MODULE),generalbots.settings.base)
GB_HOST ?= 127.0.0.1
GB_PORT ?= 8000

.PHONY: setup run test screenshots worker worker-only beat serve migrate clean bench-peers

setup:
	@bash scripts/setup-venv.sh

run: setup
	@$(PY) manage.py gb serve --host $(GB_HOST) --port $(GB_PORT)

test: setup
	@echo "Import contracts (.importlinter: the layers of DESIGN.md section 1):"
	$(VENV)/bin/lint-imports
	@bash scripts/ensure-services.sh
	$(VENV)/bin/pytest $(PYTEST_ARGS)
	@echo "The engine tests again with the fast SQL off (GB_ENGINE_FAST_SQL=0: the plain ORM):"
	GB_ENGINE_FAST_SQL=0 $(VENV)/bin/pytest -q tests/workflows/test_engine.py tests/workflows/test_engine_limits.py \
		tests/workflows/test_engine_poison.py tests/workflows/test_recorder.py tests/workflows/test_approvals.py \
		tests/workflows/test_events.py tests/workflows/test_examples.py tests/workflows/test_kill.py \
		tests/workflows/test_start_here.py

# The browser tests, writing their screenshots into docs/ (a plain test run leaves them in /tmp).
screenshots: setup
	@bash scripts/ensure-services.sh
	GB_REFRESH_SCREENSHOTS=1 $(VENV)/bin/pytest -q tests/designer/test_browser.py tests/designer/test_browser_canvas.py \
		tests/console/test_console_browser.py

migrate: setup
	DJANGO_SETTINGS_MODULE=$(FULL_SETTINGS) $(PY) manage.py migrate --noinput

# One host: worker with beat inside. More hosts: `make worker-only` on each, `make beat` on one.
worker: setup
	@test -n "$$REDIS_URL$$CELERY_BROKER_URL" || { echo "Set REDIS_URL first: Celery workers need a broker (README, full mode)."; exit 2; }
	DJANGO_SETTINGS_MODULE=$(FULL_SETTINGS) $(VENV)/bin/celery -A generalbots worker --beat --loglevel=INFO

worker-only: setup
	@test -n "$$REDIS_URL$$CELERY_BROKER_URL" || { echo "Set REDIS_URL first: Celery workers need a broker (README, full mode)."; exit 2; }
	DJANGO_SETTINGS_MODULE=$(FULL_SETTINGS) $(VENV)/bin/celery -A generalbots worker --loglevel=INFO

beat: setup
	@test -n "$$REDIS_URL$$CELERY_BROKER_URL" || { echo "Set REDIS_URL first: Celery workers need a broker (README, full mode)."; exit 2; }
	DJANGO_SETTINGS_MODULE=$(FULL_SETTINGS) $(VENV)/bin/celery -A generalbots beat --loglevel=INFO

serve: setup
	DJANGO_SETTINGS_MODULE=$(FULL_SETTINGS) $(VENV)/bin/daphne --bind $(GB_HOST) --port $(GB_PORT) generalbots.asgi:application

# The peers of bench/peers.py (DBOS, LangGraph + PostgresSaver) in their own environment, with the
# versions pinned in bench/peers-requirements.txt; `python bench/workflows.py` then measures them in
# the same run (docs/guides/performance.md).
PEERS_VENV ?= .venv-peers
bench-peers:
	@test -x $(PEERS_VENV)/bin/python || $(or $(PEERS_PYTHON),python3) -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/pip install -q -r bench/peers-requirements.txt
	@echo "Peers installed in $(PEERS_VENV); run: $(PY) bench/workflows.py --only steps,parallel --peers"

# Removes the environment and caches; var/ (the embedded database) stays.
clean:
	rm -rf $(VENV) $(PEERS_VENV) .pytest_cache
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
