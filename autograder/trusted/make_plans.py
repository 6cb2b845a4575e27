"""Make the plans: every check of an assignment run with the reference as the answer (see plans.py).

`python -m autograder.trusted.make_plans [ASSIGNMENT...]` (run by `make install`; every assignment
when none is named) writes solutions/<assignment>/plans.safetensors.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import torch

from autograder.trusted import assignment as assignments
from autograder.trusted import plans, trial
from autograder.trusted.local_session import LocalSession
from autograder.trusted.registry import all_checks


class _Recording(LocalSession):
    """The reference answering, every request logged: what a passing answer is asked, in order."""

    def __init__(self, function: Any, log: list[plans.Request]) -> None:
        super().__init__(function)
        self.log = log

    def call(self, probe: str, params: dict[str, Any], tensors: dict[str, torch.Tensor]) -> Any:
        self.log.append((probe, params, {k: v.detach().clone() for k, v in tensors.items()}))
        return super().call(probe, params, tensors)


def generate(name: str) -> plans.Stored:
    """Every run passes (the reference answers), so each run's examples are a plan. A second run, with
    the plans, logs each check's requests as grading sends them."""
    reference = assignments.load(name).reference()
    trial.PLANS.clear()
    trial.REFERENCE_ANSWERS.clear()
    trial.LOADED.add(name)  # start from nothing: what is stored is what this run makes
    checks = all_checks(name)
    for check in checks:
        check.run(trial.Trial.of(check, LocalSession(getattr(reference, check.function))))
    requests: dict[str, list[plans.Request]] = {}
    for check in checks:
        log = requests.setdefault(check.id, [])
        check.run(trial.Trial.of(check, _Recording(getattr(reference, check.function), log)))  # type: ignore[arg-type]
    return plans.Stored(dict(trial.PLANS), dict(trial.REFERENCE_ANSWERS), requests)


def main(argv: list[str]) -> int:
    target = None
    if len(argv) >= 2 and argv[0] == "--to":  # another file, to compare in tests: --to FILE ASSIGNMENT
        target, argv = Path(argv[1]), argv[2:]
    for name in argv or assignments.names():
        described = assignments.load(name)
        plans.save(generate(name), described, target)
        written = plans.load(described, target)
        print(f"{name}: wrote {len(written.plans)} plans, {len(written.reference_answers)} reference answers and "
              f"{sum(map(len, written.requests.values()))} requests to "
              f"{target or plans.plans_file(described)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
