# budgetbook — `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
RAW    ?= data/raw
CLEAN  ?= data/clean
JOBS   ?= 2

.PHONY: help install run lab extract test lint bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(BIN)/budgetbook: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,ocr]'
	touch $@

install: $(BIN)/budgetbook  ## create .venv and install budgetbook with its dependencies

run: install  ## install, then run the whole workbook on data/raw: frames, reports, Excel
	$(BIN)/budgetbook run $(RAW) --clean $(CLEAN) --jobs $(JOBS)

lab: install  ## open the notebooks in JupyterLab (run `make run` first for the frames)
	$(BIN)/jupyter lab --notebook-dir=notebooks

extract: install  ## install, then only extract data/raw into data/clean
	$(BIN)/budgetbook extract $(RAW) --out $(CLEAN) --jobs $(JOBS)

test: install  ## install, then lint and run the test suite
	$(BIN)/ruff check lib tests benchmarks
	$(BIN)/python -m pytest

bench: install  ## benchmarks: the PDF reader on ../shared/corpus/pdf, the workbook on the seeds, OCR per page
	$(BIN)/python benchmarks/read_corpus.py
	$(BIN)/python benchmarks/workbook.py
	$(BIN)/python benchmarks/ocr.py

clean:  ## remove generated frames and reports
	rm -rf $(CLEAN) reports
