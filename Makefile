# Two commands for a fresh machine: `make run` and `make test`. Both set up
# everything first (venv, Python deps, policy engines), idempotently.
VENV ?= .venv
KPC := $(VENV)/bin/kpc
PY := $(VENV)/bin/python
REQUEST ?= deny privileged containers except in kube-system

.PHONY: setup python toolchain index run test lint typecheck generate check-generated bench eval clean

setup: python toolchain

python:
	@scripts/setup-python.sh

toolchain:
	@scripts/setup-toolchain.sh

# The exemplar index (Chroma + embeddings) in the user's state dir; incremental, ~1 s when current.
index: setup
	@$(KPC) index build

run: setup index
	$(KPC) ask "$(REQUEST)" --provider offline --out out/demo --overwrite

test: setup
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check copilot tools tests
	$(VENV)/bin/mypy

generate: setup
	$(PY) -m tools.corpus.build
	$(PY) -m copilot.cli.docs

check-generated: setup
	$(PY) -m tools.corpus.build --check
	$(PY) -m copilot.cli.docs --check

# The scripted agent-loop scenarios, then the eval suites with the offline drafter (no network).
eval: setup
	mkdir -p out
	$(KPC) eval evals/mock --provider mock --jobs 2 --report out/eval-mock.json
	$(KPC) eval evals/suites --provider offline --jobs 2 --report out/eval.json --markdown out/eval.md

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
