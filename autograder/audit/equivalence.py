"""Is a surviving mutant just the reference written differently? Checks that only the audit runs.

A mutant the grading checks do not catch is either a gap in the checks or equivalent to the
reference (`u > 0` for `u >= 0` in sigmoid gives the same numbers). These checks decide which: the
same probes as grading, on many more and wider inputs, compared to within a few units in the last
place (no grading tolerance). They run like any check, through the normal grader, so the mutant
runs in the sandbox; they are not in the registry, so no student is ever graded by them.
"""

from __future__ import annotations

import torch
from hypothesis import settings

from autograder.trusted.assignment import Assignment, AssignmentProblem
from autograder.trusted.registry import Check
from autograder.trusted.trial import Observation, Trial
from autograder.trusted.verdict import CheckFailed, Said

EXAMPLES = 100  # per property: five times what grading tries, from wider ranges
ULPS = 16  # "the same number": equal up to this many units in the last place


def _close(got: torch.Tensor, expected: torch.Tensor) -> bool:
    if got.dtype != expected.dtype or got.shape != expected.shape:
        return False
    if not expected.is_floating_point():
        return torch.equal(got, expected)
    info = torch.finfo(expected.dtype)
    return torch.allclose(got, expected, rtol=ULPS * info.eps, atol=info.tiny, equal_nan=True)


def expect_identical(student: Observation, reference: Observation) -> None:
    """Everything the probe saw (facts and every tensor, inputs afterwards included) is the same."""
    (facts, got), (expected_facts, expected) = student, reference
    differences = [key for key in sorted(set(got) | set(expected))
                   if key not in got or key not in expected or not _close(got[key], expected[key])]
    if facts != expected_facts:
        differences.insert(0, "facts")
    if differences:
        raise CheckFailed("different", Said(f"differs from the reference in {', '.join(differences)}",
                                            f"정답과 다른 항목: {', '.join(differences)}"))


def wide(trial: Trial) -> None:
    """Many more examples than grading tries."""
    trial.settings = settings(trial.settings, max_examples=EXAMPLES)


def checks(assignment: Assignment, functions: tuple[str, ...]) -> list[Check]:
    """One audit-only check per function: passes only when the function behaves like the reference.

    The assignment's `solutions/<assignment>/audit.py` holds them, as EQUIVALENCE: function -> run."""
    audit = assignment.hook("audit")
    runs = getattr(audit, "EQUIVALENCE", {}) if audit is not None else {}
    missing = [f for f in functions if f not in runs]
    if missing:
        raise AssignmentProblem(f"solutions/{assignment.name}/audit.py: no EQUIVALENCE check for "
                                f"{', '.join(missing)} (the audit needs one per function)")
    made = []
    for function in functions:
        run = runs[function]
        title = (run.__doc__ or function).strip().splitlines()[0]
        made.append(Check(f"{assignment.name}/{function}.audit_equivalence", assignment.name, function, title,
                          title_ko="(감사 전용) 모든 입력에서 정답과 같은 결과",
                          spec=("(audit only) the same results as the reference everywhere",), points=1,
                          public=False, timeout=120, run=run))
    return made
