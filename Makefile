# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint install migrate serve worker beat backup clean

# The web server and a Celery worker with beat beside it (reminders at 07:00); without
# REDIS_URL the worker uses a broker in var/ that needs no server. Ctrl-C stops both.
run: install migrate
	$(PY) manage.py seed_demo --if-empty
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	$(VENV)/bin/celery -A config worker --beat --concurrency=1 --loglevel=INFO \
		--schedule var/celerybeat-schedule & \
	$(PY) manage.py runserver $(HOST):$(PORT)

worker: install
	$(VENV)/bin/celery -A config worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A config beat --loglevel=INFO --schedule var/celerybeat-schedule

test: install lint
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run >/dev/null

install: $(INSTALLED)

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstalls only when a requirements file changed.
$(INSTALLED): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(INSTALLED)

migrate: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput

serve: install
	$(PY) manage.py runserver $(HOST):$(PORT)

# A portable backup of the whole database (SQLite or PostgreSQL) in var/backups/ (what
# it leaves out: core/backup.py); restore it with `manage.py migrate`,
# `manage.py flush --no-input`, `manage.py loaddata FILE`.
backup: install
	$(PY) manage.py backup

clean:
	rm -rf $(VENV) var/staticfiles
