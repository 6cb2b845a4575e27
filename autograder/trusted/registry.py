"""The check registry: every check of an assignment, its function, points and visibility.

Checks are declared in `solutions/<assignment>/checks/<function>.py` with `@check(...)`, next to
the spec sentence they enforce; the assignment is the package the check is declared in. The
grader, the nbgrader bridge and the feedback read this registry; nothing else knows which
checks exist.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from autograder.trusted.assignment import AssignmentProblem, load
from autograder.trusted.verdict import Said, label

if TYPE_CHECKING:
    from autograder.trusted.trial import Trial


@dataclass(frozen=True)
class Check:
    id: str  # "<assignment>/<function>.<name>", stable: results and gradebooks key on it
    assignment: str
    function: str
    title: str  # first docstring line: what is checked, in English
    title_ko: str  # the same, in Korean: declared with the check (`@check(..., title_ko=...)`)
    spec: tuple[str, ...]  # the contract sentences it enforces, as the stub's docstring says them (contract.py)
    points: float
    public: bool  # public checks run in `autograder check`; hidden ones only in `grade`
    timeout: float  # wall-clock seconds for the whole check, enforced outside the sandbox
    run: Callable[[Trial], None]
    side_effect: bool = False  # counts only when the result on the same input is right (Trial.right_first)

    @property
    def said_title(self) -> Said:
        return Said(self.title, self.title_ko)

    def heading(self, lang: str) -> str:
        """The title in `lang`: "en", "ko", or "both" ("English / 한국어")."""
        return label(self.said_title, lang)


_REGISTRY: dict[str, Check] = {}


def _assignment_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) < 4 or parts[0] != "solutions" or parts[2] != "checks":
        raise AssignmentProblem(f"@check in {module}: checks live in solutions/<assignment>/checks/<function>.py")
    return parts[1]


HANGUL = re.compile("[\uac00-\ud7a3]")
SIDE_EFFECT = Said(" (counts only when the result is right)", " (결과가 맞을 때만 점수)")


def check(function: str, *, spec: str | tuple[str, ...], points: float, public: bool, title_ko: str = "",
          timeout: float = 10.0, side_effect: bool = False
          ) -> Callable[[Callable[[Trial], None]], Callable[[Trial], None]]:
    """Register a check for `function` of the assignment this module belongs to; its docstring's
    first line is its English title, `title_ko` its Korean title (required: students read both).

    `side_effect`: a check of what the function leaves behind (inputs unchanged, still a leaf, the
    same object returned). Doing nothing passes such a check, so it counts only when the function's
    result on the same input is right: the check compares that first (Trial.right_first), and both
    titles say so."""

    def register(run: Callable[[Trial], None]) -> Callable[[Trial], None]:
        assignment = _assignment_of(run.__module__)
        if function not in load(assignment).function_names:
            raise AssignmentProblem(f"{run.__module__}: {function!r} is not a function of {assignment} "
                                    f"({', '.join(load(assignment).function_names)})")
        check_id = f"{assignment}/{function}.{run.__name__}"
        if check_id in _REGISTRY:
            raise AssignmentProblem(f"check {check_id} registered twice")
        title = (run.__doc__ or run.__name__).strip().splitlines()[0]
        if not HANGUL.search(title_ko or ""):
            raise AssignmentProblem(f"check {check_id} has no Korean title: add title_ko=\"...\" to its @check "
                                    "(every title shows in both languages)")
        korean = title_ko.strip()
        if side_effect:
            title, korean = title + SIDE_EFFECT.en, korean + SIDE_EFFECT.ko
        sentences = (spec,) if isinstance(spec, str) else tuple(spec)
        _REGISTRY[check_id] = Check(check_id, assignment, function, title, korean, sentences, points, public,
                                    timeout, run, side_effect)
        return run

    return register


def all_checks(assignment: str, *, public_only: bool = False) -> list[Check]:
    """Every check of `assignment`, grouped by function in the assignment's order.

    Every module of its checks/ folder is imported (a new one is never silently left out); a
    function without a check is an error, not a free zero-point function.
    """
    described = load(assignment)
    package = importlib.import_module(f"{described.module}.checks")
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    mine = [c for c in _REGISTRY.values() if c.assignment == assignment]
    unchecked = [f for f in described.function_names if not any(c.function == f for c in mine)]
    if unchecked:
        raise AssignmentProblem(f"{assignment}: no check for {', '.join(unchecked)} "
                                f"(declare them in solutions/{assignment}/checks/<function>.py)")
    order = described.function_names
    ordered = sorted(mine, key=lambda c: order.index(c.function))
    return [c for c in ordered if c.public or not public_only]


def points(assignment: str) -> dict[str, float]:
    """Each function's points: the sum of its checks'."""
    total: dict[str, float] = {}
    for one in all_checks(assignment):
        total[one.function] = total.get(one.function, 0) + one.points
    return total
