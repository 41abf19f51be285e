# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint install migrate serve clean

run: install migrate
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py runserver $(HOST):$(PORT)

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

clean:
	rm -rf $(VENV) var/staticfiles
