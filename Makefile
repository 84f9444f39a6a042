# kaoping — two commands on a fresh machine: `make run`, `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
SAMPLE ?= samples/notice_2022.txt
OUT    ?= outputs/notice_2022

.PHONY: help run test test-fast lint bench fuzz install install-test clean

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)

# rapidocr-onnxruntime (the `ocr` extra) requires opencv-python, the GUI build that needs libGL; both it and
# opencv-python-headless install the same cv2/ folder, so after every install the GUI build is removed and
# the headless one put back: OCR then needs no system library.
HEADLESS_CV := $(PIP) uninstall --quiet -y opencv-python && \
	$(PIP) install --quiet --force-reinstall --no-deps opencv-python-headless

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[ocr]'
	$(HEADLESS_CV)
	@touch $@

$(TSTAMP): pyproject.toml $(STAMP)
	$(PIP) install --quiet -e '.[test,ocr]'
	$(HEADLESS_CV)
	@touch $@

install: $(STAMP) ## create .venv and install kaoping into it

install-test: $(TSTAMP) ## install kaoping with what the tests need

run: $(STAMP) ## extract the sample notice into outputs/notice_2022/ and print a summary
	$(VENV)/bin/kaoping extract $(SAMPLE) -o $(OUT)

# two processes (pytest-xdist), one test file per process at a time (--dist loadfile): a file's session
# fixtures (the OCR'd scans, the LibreOffice prints) are then computed by one worker only
test: $(TSTAMP) ## install test dependencies and run the whole test suite (2 processes)
	$(VENV)/bin/ruff check schema extract normalize kaoping tests
	$(PY) -m pytest -n 2 --dist loadfile

test-fast: $(TSTAMP) ## the edit loop (~30 s): ruff, every test not marked slow, fewer property examples, 2 processes
	$(VENV)/bin/ruff check schema extract normalize kaoping tests
	$(PY) -m pytest -m "not slow" --hypothesis-profile=fast -n 2

lint: $(TSTAMP) ## ruff
	$(VENV)/bin/ruff check schema extract normalize kaoping tests

fuzz: $(TSTAMP) ## fuzz the text, .docx and PDF readers with a large budget (crashes kept in tests/fuzz_regressions/)
	KAOPING_FUZZ_EXAMPLES=$${KAOPING_FUZZ_EXAMPLES:-50} $(PY) -m pytest -q tests/test_fuzz.py

bench: $(TSTAMP) ## wall time and memory per format; CPU ratios to the floors (13-page PDF, 106-page PDF, text); importtime; ingest -j1 vs -j2; OCR s/page
	$(PY) tests/bench.py

clean: ## remove the venv and outputs
	rm -rf $(VENV) outputs/notice_* .pytest_cache .ruff_cache
