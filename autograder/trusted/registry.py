"""The check registry: every check, its function, points and visibility, in one list.

Checks are declared in `autograder.trusted.checks.<function>` with `@check(...)`, next to the
spec sentence they enforce. The nbgrader bridge, batch grader and feedback renderer all read
this registry; nothing else knows which checks exist.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from autograder.trusted.trial import Trial

FUNCTIONS = ("build_X", "update", "sigmoid", "bce_loss", "train_logistic", "train_linear")
TRAINING = ("train_logistic", "train_linear")


@dataclass(frozen=True)
class Check:
    id: str  # "<function>.<name>", stable: results and gradebooks key on it
    function: str
    title: str  # first docstring line: what is checked, in English
    spec: str  # the sentence of the assignment this check enforces
    points: float
    public: bool  # public checks run in `autograder check`; hidden ones only in `grade`
    timeout: float  # wall-clock seconds for the whole check, enforced outside the sandbox
    run: Callable[[Trial], None]


_REGISTRY: dict[str, Check] = {}


def check(function: str, *, spec: str, points: float, public: bool, timeout: float = 10.0
          ) -> Callable[[Callable[[Trial], None]], Callable[[Trial], None]]:
    """Register a check for `function`; its docstring's first line is its title."""
    if function not in FUNCTIONS:
        raise ValueError(f"unknown function {function!r}")

    def register(run: Callable[[Trial], None]) -> Callable[[Trial], None]:
        check_id = f"{function}.{run.__name__}"
        if check_id in _REGISTRY:
            raise ValueError(f"check {check_id} registered twice")
        title = (run.__doc__ or run.__name__).strip().splitlines()[0]
        _REGISTRY[check_id] = Check(check_id, function, title, spec, points, public, timeout, run)
        return run

    return register


def all_checks(*, public_only: bool = False) -> list[Check]:
    """Every registered check, grouped by function in the assignment's order."""
    for function in FUNCTIONS:
        importlib.import_module(f"autograder.trusted.checks.{function}")
    ordered = sorted(_REGISTRY.values(), key=lambda c: FUNCTIONS.index(c.function))
    return [c for c in ordered if c.public or not public_only]
