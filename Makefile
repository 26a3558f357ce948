# Sentinel operator's manual, executable. `make run` and `make test` are the two commands.
SHELL := /bin/bash
VENV := .venv
PY := $(CURDIR)/$(VENV)/bin/python
export TF_USE_LEGACY_KERAS := 1
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
PYTEST_ARGS ?=

.PHONY: run test test-all venv demo-data summary tensorboard lint bench clean

## run: venv + demo data if missing, then the whole pipeline via the tfx CLI, then a summary
run: venv
	$(PY) -m pipeline.cli run

## test: lint, then the default suite (unit, component, Kubeflow compile, full local runs);
## tests marked slow are excluded
test: venv
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

## test-all: everything, including slow end-to-end scenarios
test-all: venv
	$(PY) -m pytest $(PYTEST_ARGS)

venv: $(VENV)/.installed

$(VENV)/.installed: setup.py constraints.txt
	@test -x $(PY) || "$$(scripts/find-python310)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip==24.2"
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

demo-data: venv
	$(PY) -m pipeline.cli demo-data

summary: venv
	$(PY) -m pipeline.cli summary

## tensorboard: training curves of every Trainer run
tensorboard: venv
	$(VENV)/bin/tensorboard --logdir outputs/pipelines/sentinel-demo/Trainer/model_run --bind_all

lint: venv
	$(VENV)/bin/ruff check .

## bench: every benchmark of docs/BENCHMARKS.md (slow: ~30 min on 2 cores)
bench: venv
	rm -rf outputs/bench
	$(PY) bench/demo_run.py --work outputs/bench
	$(PY) bench/trainer_throughput.py --pipeline-root outputs/bench/out/pipelines/sentinel-demo
	$(PY) bench/inference.py --model-dir outputs/bench/out/serving/sentinel
	$(PY) bench/ingest_scale.py --images 1000 --workers 1
	$(PY) bench/ingest_scale.py --images 10000 --workers 1
	$(PY) bench/ingest_scale.py --images 10000 --workers 2

clean:
	rm -rf outputs
