# The README's two commands: `make run` (the whole shop on SQLite) and `make test` (the suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run split test lint bench clean apply-check image-check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# Development mode (DEBUG, the development secret key) is for `make run` only: nothing else turns it on.
run: export DJANGO_DEBUG ?= true
run: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  KubeShop is running at  http://$(HOST):$(PORT)/"
	@echo "  Shop in the browser:    sign up, fill a cart, pay with 4242 4242 4242 4242"
	@echo "  API (JSON)              http://$(HOST):$(PORT)/api/products"
	@echo "  API docs                http://$(HOST):$(PORT)/api/docs/"
	@echo "  Admin                   http://$(HOST):$(PORT)/admin/"
	@echo "  Create an admin user:   DJANGO_DEBUG=true $(BIN)/python manage.py createsuperuser"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

split: $(VENV)/.runtime
	$(BIN)/python -m tools.localshop $(if $(POSTGRES),--postgres $(POSTGRES))

# checkov in a venv of its own: its pins (packaging<24) conflict with pytest's (requirements-checkov.txt).
$(VENV)/checkov/bin/checkov: requirements-checkov.txt | $(BIN)/python
	$(PYTHON) -m venv $(VENV)/checkov
	$(VENV)/checkov/bin/pip install --quiet -r requirements-checkov.txt
	touch $@

test: $(VENV)/.dev $(VENV)/checkov/bin/checkov
	$(BIN)/pytest $(PYTEST_ARGS)

# Both overlays against a real kube-apiserver 1.20 (built once per machine by ../shared/k8s/build-apiserver):
# server-side dry-run, apply, and a re-apply after every generated config and secret value changed.
K8S_TOOLS ?= /work/shared/k8s
apply-check: $(VENV)/.dev
	KUBESHOP_APPLY_CHECK=$(K8S_TOOLS)/apply-check $(BIN)/pytest -q -m apply_check tests/test_deploy.py

# The Dockerfile built without Docker (buildah, on a cached debootstrap stand-in for python:3.11-slim) and run
# as the monolith's pods run it (podman: read-only, user 10001, no capabilities) against this machine's
# PostgreSQL and Redis: probes, migration, storefront, SIGTERM (deploy/image-check.sh, tests/test_image.py).
image-check: $(VENV)/.dev
	KUBESHOP_FORBID_SKIPS=1 $(BIN)/pytest -q -s -m image_check tests/test_image.py

# The read path, the catalog at scale, checkout (one process and split) and memory, written to BENCHMARKS.md.
# Needs PostgreSQL and Redis on this machine (BENCH_POSTGRES, BENCH_CACHE_URL) and wrk (installed from Debian
# when missing and this user may). BENCH_ARGS: e.g. --runs 5 --seconds 8 on a quiet machine.
BENCH_POSTGRES ?= postgres://postgres@127.0.0.1:5432/postgres
BENCH_CACHE_URL ?= redis://127.0.0.1:6379/0
bench: $(VENV)/.dev
	@command -v wrk >/dev/null || apt-get install -y wrk || sudo -n apt-get install -y wrk
	BENCH_CACHE_URL=$(BENCH_CACHE_URL) $(BIN)/python -m bench.run --postgres $(BENCH_POSTGRES) $(BENCH_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache .localshop
