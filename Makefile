# The commands the README shows. `make demo` and `make test` work on a fresh clone.
VENV ?= .venv
PYTHON ?= python3
# The demo's port: `make demo PORT=8001` or `PORT=8001 make demo`.
PORT ?= 8000
PY := $(VENV)/bin/python

.PHONY: demo test lint format messages install

demo: install  ## set up, load the demo data and start web + worker + beat (Ctrl-C stops all)
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} PORT=$(PORT) ./scripts/run-demo.sh

test: install  ## run the whole test suite
	$(PY) -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

messages: install  ## refresh and compile the German catalogue
	$(PY) manage.py makemessages -l de --ignore=.venv --ignore=tests --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv
