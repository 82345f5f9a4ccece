# make demo: set up .venv and run the Terraform example against the local AWS emulator.
# make test: the test suite (what CI runs through .ci/run).
VENV   := .venv
PYTHON := $(VENV)/bin/python

.PHONY: demo test

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet -e '.[dev]' --config-settings editable_mode=compat
	touch $@

demo: $(VENV)/.installed
	$(PYTHON) examples/terraform/demo.py

test: $(VENV)/.installed
	$(PYTHON) -m pytest
