# Quick start: `make demo` grades the bundled examples; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.SECONDEXPANSION:
.PHONY: install browser demo test lint clean bench audit

ASSIGNMENTS := $(notdir $(patsubst %/assignment.toml,%,$(wildcard solutions/*/assignment.toml)))
PLANS := $(foreach a,$(ASSIGNMENTS),solutions/$(a)/plans.safetensors)
ENGINE_CHECKING := autograder/trusted/strategies.py autograder/trusted/trial.py autograder/trusted/plans.py \
	autograder/trusted/compare.py autograder/trusted/registry.py autograder/trusted/assignment.py \
	autograder/untrusted/probes.py

install: $(STAMP) $(PLANS)

# torch is pinned to the CPU wheel this machine has on disk: nothing may pull another build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "torch==2.13.0"
	$(BIN)/python -m pip install --quiet -e ".[dev]" "torch==2.13.0"
	$(BIN)/python -c "import torch; assert torch.__version__.startswith('2.13.0'), torch.__version__"
	MPLCONFIGDIR=$(VENV)/share/autograder/matplotlib $(BIN)/python -c "import matplotlib.pyplot"
	touch $(STAMP)

# Each property's examples, generated once per version of an assignment's checks (see autograder/trusted/plans.py).
solutions/%/plans.safetensors: $(STAMP) $(ENGINE_CHECKING) solutions/%/assignment.toml solutions/%/reference.py \
		$$(wildcard solutions/%/checks/*.py) $$(wildcard assignments/%/*.py)
	$(BIN)/python -m autograder.trusted.make_plans $*

# The feedback files are checked in a real headless browser: Debian's chromium (and a Korean font,
# fonts-nanum), installed when missing and we are root (apt); otherwise the browser test skips and says why.
browser:
	@{ command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi nanum; } \
		|| { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
		&& DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends chromium fonts-nanum; } \
		|| echo "chromium not installed (not root or no apt): the browser test will skip"

demo: install
	rm -rf build/demo
	$(BIN)/autograder assignments
	$(BIN)/autograder grade tests/submissions/homework/demo --assignment homework --out build/demo/homework
	$(BIN)/autograder feedback build/demo/homework
	$(BIN)/autograder report build/demo/homework
	$(BIN)/autograder grade tests/submissions/layers/demo --assignment layers --out build/demo/layers
	$(BIN)/autograder feedback build/demo/layers
	$(BIN)/autograder report build/demo/layers

test: install browser
	$(BIN)/ruff check autograder solutions assignments tests
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

# The checks audited: mutants of the reference graded for real; fails below 90% caught (also run by `make test`).
audit: install
	for a in $(ASSIGNMENTS); do $(BIN)/autograder audit --assignment $$a --out build/audit/$$a --jobs 2 || exit 1; done

lint: install
	$(BIN)/ruff check autograder solutions assignments tests

clean:
	rm -rf build $(VENV)

# Benchmark (not a test): our batch grader against real nbgrader on the same N notebooks.
N ?= 200
JOBS ?= 2
bench: install
	$(BIN)/python tests/bench_grading.py --n $(N) --jobs $(JOBS)
