"""The checks, run inside a Jupyter kernel: what the nbgrader test cells call.

This is the plain `nbgrader autograde` path. It gives the same verdicts as `autograder grade` on
honest work (same checks, same probes, same derandomized inputs), but it runs in the student's
own process, so it is only as trustworthy as nbgrader itself; `autograder nbgrader autograde`
grades the same notebooks in the sandbox instead. Prints only to stdout (nbgrader scores any
stderr as a failure) and never shows hidden inputs or hidden check code.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from pathlib import Path
from typing import Any

from autograder.trusted.assignment import load as load_assignment
from autograder.trusted.grader import SubmissionResult
from autograder.trusted.local_session import LocalSession
from autograder.trusted.registry import Check, all_checks
from autograder.trusted.trial import Trial
from autograder.trusted.verdict import CheckFailed, Outcome, Said, code


@contextlib.contextmanager
def reference_helpers(namespace: dict[str, Any], check: Check) -> Any:
    """No double penalty, as in the sandbox: a training loop sees the reference helpers."""
    described = load_assignment(check.assignment)
    helpers = described.function(check.function).helpers
    reference = described.reference()
    saved = {name: namespace.get(name) for name in helpers}
    namespace.update({name: getattr(reference, name) for name in helpers})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                namespace.pop(name, None)
            else:
                namespace[name] = value


def _run(check: Check, namespace: dict[str, Any]) -> Outcome:
    function = namespace.get(check.function)
    if not callable(function):
        said = Said(f"{check.function} is not defined.", f"{check.function} 함수가 정의되어 있지 않습니다.")
        return Outcome(check.id, False, 0.0, "signature", said.both(), said=said)
    with reference_helpers(namespace, check):
        trial = Trial.of(check, LocalSession(namespace[check.function]))
        try:
            check.run(trial)
        except CheckFailed as failure:
            outcome = Outcome.failed(check.id, failure)
            outcome.detail = {**trial.kept, **outcome.detail}
            return outcome
    return Outcome(check.id, True, check.points, detail=dict(trial.kept))


def run_check(check: Check, namespace: dict[str, Any]) -> Outcome:
    """One check on the kernel's namespace; a student's error is a failed check, never an exception here."""
    try:
        return _run(check, namespace)
    except Exception as exc:  # noqa: BLE001 - a student's error is a failed check, never stderr
        said = Said(f"{check.function} raised {type(exc).__name__}: {str(exc)[:300]}",
                    f"{check.function} 함수에서 예외가 발생했습니다: {code(f'{type(exc).__name__}: {str(exc)[:300]}')}")
        return Outcome(check.id, False, 0.0, "error", said.both(), said=said)


def score(assignment: str, function: str, namespace: dict[str, Any], *, public_only: bool = False) -> float:
    """Run `function`'s checks on the kernel's namespace; print a report; return the points earned."""
    checks = [c for c in all_checks(assignment, public_only=public_only) if c.function == function]
    outcomes = []
    for check in checks:
        with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            try:
                outcomes.append(_run(check, namespace))
            except Exception as exc:  # noqa: BLE001 - a student's error is a failed check, never stderr
                outcomes.append(Outcome(check.id, False, 0.0, "error", f"{type(exc).__name__}: {str(exc)[:300]}"))
    earned, text = SubmissionResult(Path("<kernel>"), outcomes, checks, assignment).report(
        function, load_assignment(assignment).language)
    print(text, end="")
    return earned
