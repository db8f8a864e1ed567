# Collections platform — every command a developer needs. `make help` lists them.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export DEBUG ?= 1

.DEFAULT_GOAL := help

help: ## List the commands
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*?## "}{printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	@touch $@

install: $(VENV)/.installed ## Create the virtual environment and install everything

run: install ## Start PostgreSQL + Redis (embedded if no URLs are set), migrate, load demo data, serve web + worker + beat
	$(PY) scripts/run.py

test: install ## Run the whole test suite on PostgreSQL + Redis (starting them if needed)
	@eval "$$($(PY) scripts/services.py test)" && \
	  $(PY) -m pytest $(PYTEST_ARGS)

lint: install ## ruff + mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check . || true
	$(VENV)/bin/mypy .

fmt: install ## Format and auto-fix with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate: install ## Apply database migrations (uses DATABASE_URL or the embedded engine)
	@eval "$$($(PY) scripts/services.py run)" && $(PY) manage.py migrate

seed: install ## Load demo data: make seed N=100000 SEED=1
	@eval "$$($(PY) scripts/services.py run)" && $(PY) manage.py seed_demo --accounts $${N:-2000} --seed $${SEED:-1}

shell: install ## Django shell
	@eval "$$($(PY) scripts/services.py run)" && $(PY) manage.py shell

bench: install ## Run a benchmark: make bench NAME=import (see bench/README)
	@eval "$$($(PY) scripts/services.py test)" && $(PY) -m bench $(NAME)

stop: ## Stop the embedded PostgreSQL and Redis started by make run
	@if [ -f .var/pgdata/postmaster.pid ] && kill $$(head -1 .var/pgdata/postmaster.pid) 2>/dev/null; then echo "stopped PostgreSQL"; fi
	@if [ -f .var/redis.pid ] && kill $$(cat .var/redis.pid) 2>/dev/null; then echo "stopped Redis"; fi

.PHONY: help install run test lint fmt migrate seed shell bench stop
