# The two commands of the course (see README.md):
#   make lab    set everything up and open the course in JupyterLab
#   make test   set everything up and run the whole test suite
# Both create the virtual environment .venv on first use and reinstall when pyproject.toml changes.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# nbgrader shells out to `alembic`, which must be found on PATH.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: lab demo test setup lessons bench clean help

help:
	@echo "make lab      set up and open the course in JupyterLab at the welcome lesson"
	@echo "make demo     set up and open the workshop dashboard (Voila, no code)"
	@echo "make test     set up and run the whole test suite"
	@echo "make lessons  regenerate lessons/ from solutions/ with nbgrader"
	@echo "make bench    run the speed benchmarks in bench/"
	@echo "make clean    remove the virtual environment and caches"

lab: setup
	$(BIN)/scaling-course lab

demo: setup
	$(BIN)/scaling-course demo

test: setup
	$(BIN)/python -m pytest

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,browser,dask]"
	touch $@

lessons: setup
	$(BIN)/scaling-course build-lessons

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .nbgrader gradebook.db submitted autograded feedback
