# Two commands do all the set-up on a fresh machine:
#   make demo   builds the graph from seeds/ and prints the casualty claims
#   make test   runs the linter and the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/kg build seeds/
	$(BIN)/kg query casualties

lint: $(STAMP)
	$(BIN)/ruff check kg tests bench

test: lint
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) kg-store
