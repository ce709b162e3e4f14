# GovMatrix: the everyday commands. `make demo` runs the product; `make test` checks it.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
# Citizens' comments keep arriving while the demo runs; DEMO_TRAFFIC=0 make demo stops them.
DEMO_TRAFFIC ?= 1
# The demo runs with DEBUG off, like a deployment; its secret key and the key that seals the
# platform credentials are made once and kept in var/. Weibo and Mastodon are the Weibo simulator
# and mastodon-mock that serve_demo starts on these loopback ports.
DEMO_ENV := SECRET_KEY_FILE=var/secret_key DEBUG=0 ALLOWED_HOSTS=127.0.0.1,localhost \
	DEMO_TRAFFIC=$(DEMO_TRAFFIC) \
	PLATFORM_CREDENTIALS_KEYS_FILE=var/platform_keys \
	WEIBO_API_BASE=http://127.0.0.1:8081 WEIBO_APP_KEY=govmatrix-demo \
	WEIBO_APP_SECRET=govmatrix-demo-app-secret WEIBO_SAFE_LINK=https://www.sfq.gov.cn/ \
	MASTODON_API_BASE=http://127.0.0.1:3000

.PHONY: setup demo browser test test-fast lint format bench screenshots messages clean

setup: $(VENV)/.installed govmatrix/web/static/vendor/.built

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "GovMatrix needs Python 3.11 ($(PYTHON) not found)"; exit 1; }
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

govmatrix/web/static/vendor/.built: package.json package-lock.json scripts/build-assets.mjs
	@command -v npm >/dev/null || { echo "GovMatrix needs Node.js and npm to build its front-end assets"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	@touch $@

var/secret_key:
	@mkdir -p var
	@$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

var/platform_keys:
	@mkdir -p var
	@$(PY) -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())" > $@
	@chmod 600 $@

demo: setup var/secret_key var/platform_keys
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "GovMatrix is at http://127.0.0.1:8000/, the Weibo simulator at :8081, the Mastodon mock at :3000 (Ctrl-C stops them all)"
	$(DEMO_ENV) $(PY) manage.py serve_demo --seed 127.0.0.1:8000

# Browser tests drive Debian's Chromium; Chinese pages need a CJK font to render.
browser:
	@command -v chromium >/dev/null && fc-list :lang=zh | grep -q . || { \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

test: setup browser
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not e2e and not slow"

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy govmatrix config

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: setup
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

screenshots: setup browser
	GOVMATRIX_SCREENSHOTS=docs/screenshots $(PY) -m pytest tests/e2e -q

messages: setup
	cd govmatrix && DEBUG=1 ../$(PY) ../manage.py makemessages -l en --no-obsolete
	cd govmatrix && DEBUG=1 ../$(PY) ../manage.py compilemessages -l en

clean:
	rm -rf var/test*.sqlite3 .pytest_cache .mypy_cache .ruff_cache
