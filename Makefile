# 监管 Jianguan — the two commands a newcomer needs: `make run` and `make test`.
# Everything else (virtualenv, packages, translations, database) is set up on the way.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
SIZE   ?=
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/jianguan

.PHONY: run test test-sqlite test-postgres setup setup-dev browser-deps bench lint clean

$(VENV)/.installed: requirements.txt pyproject.toml
	@PYTHON="$(PYTHON)" sh scripts/bootstrap.sh runtime
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	@PYTHON="$(PYTHON)" sh scripts/bootstrap.sh dev
	@touch $@

setup: $(VENV)/.installed
	@$(PY) -m jianguan.cli i18n compile >/dev/null
	@$(PY) -m jianguan.cli migrate --noinput -v 0

setup-dev: $(VENV)/.installed-dev
	@$(PY) -m jianguan.cli i18n compile >/dev/null

## make run: set up, load the 沁县 demo (idempotent) and serve http://$(HOST):$(PORT)
run: setup
	@$(PY) -m jianguan.cli demo
	@echo ""
	@echo "监管 Jianguan 已启动： http://$(HOST):$(PORT)/   （接口文档： http://$(HOST):$(PORT)/api/v1/docs ，Ctrl+C 停止）"
	@$(VENV)/bin/gunicorn jianguan.wsgi:application --bind $(HOST):$(PORT) --workers 3 --access-logfile - --log-level warning

## make test: the whole suite on SQLite, then on PostgreSQL when one is reachable (required when CI=true)
test: setup-dev browser-deps test-sqlite test-postgres

browser-deps:
	@sh scripts/browser-deps.sh

test-sqlite: setup-dev
	@echo "== 测试：SQLite =="
	@JIANGUAN_DATABASE_URL= $(PY) -m pytest -q $(PYTEST_ARGS)

test-postgres: setup-dev
	@if $(PY) scripts/pg_ready.py "$(PG_TEST_URL)"; then \
		echo "== 测试：PostgreSQL ($(PG_TEST_URL)) =="; \
		JIANGUAN_DATABASE_URL="$(PG_TEST_URL)" $(PY) -m pytest -q $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL 不可达（$(PG_TEST_URL)），CI 要求在 PostgreSQL 上也通过测试" >&2; exit 1; \
	else \
		echo "== 跳过 PostgreSQL 测试：$(PG_TEST_URL) 不可达（设置 PG_TEST_URL 或启动 PostgreSQL） =="; \
	fi

## make bench [SIZE=N]: every benchmark, one JSON line each
bench: setup-dev
	@for b in bench/bench_*.py; do [ -f "$$b" ] || continue; $(PY) "$$b" $(if $(SIZE),--size $(SIZE),); done

clean:
	rm -rf $(VENV) var/static .pytest_cache
