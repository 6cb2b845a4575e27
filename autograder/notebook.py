"""`from autograder import check; check()` in a student's notebook: the public checks, shown inline.

Like otter's `grader.check`: it runs the public checks on the functions defined in the notebook
(the kernel's namespace, through the same probes and data format as the sandbox) and returns a
report that Jupyter shows as a table with the same explanations and hints as the feedback page.
It runs in the student's own kernel, so it is a study aid; grades come from `autograder grade`.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import warnings
from pathlib import Path
from typing import Any

# Jupyter's own table and <pre> rules are more specific than the feedback page's; these win inside the report.
NOTEBOOK_STYLE = """
.autograder-check th, .autograder-check td { text-align: left !important; vertical-align: top !important; }
.autograder-check pre { background: #f6f8fa !important; padding: 0.6em !important; }
"""


class CheckReport:
    """What `check()` returns: an HTML table in Jupyter, plain text elsewhere."""

    def __init__(self, data: dict[str, Any], lang: str) -> None:
        self.data = data
        self.lang = lang

    @property
    def passed(self) -> bool:
        return all(t["status"] == "passed" for t in self.data["tests"])

    def _repr_html_(self) -> str:
        from autograder.trusted.feedback import STYLE, render_fragment

        return (f'<div class="autograder-check"><style>{STYLE}{NOTEBOOK_STYLE}</style>'
                f"{render_fragment(self.data, self.lang)}</div>")

    def __repr__(self) -> str:
        lines = [f"{self.data['score']:g} / {self.data['max_score']:g}"]
        for test in self.data["tests"]:
            mark = "passed" if test["status"] == "passed" else "FAILED"
            lines.append(f"[{mark}] {test['name']}")
            lines += [f"    {line}" for line in test["output"].splitlines()]
        return "\n".join(lines)


def check(function: str | None = None, *, lang: str | None = None, assignment: str | None = None,
          namespace: dict[str, Any] | None = None) -> CheckReport:
    """Run the public checks of `function` (or of every function) on this notebook's definitions."""
    from autograder.in_kernel import run_check
    from autograder.trusted.grader import SubmissionResult
    from autograder.trusted.registry import all_checks
    from autograder.trusted.results import results_json

    names = namespace if namespace is not None else vars(sys.modules["__main__"])
    described = which_assignment(assignment, names, function)
    if function is not None and function not in described.function_names:
        raise ValueError(f"check({function!r}): the functions of {described.name} are "
                         f"{', '.join(described.function_names)}")
    checks = [c for c in all_checks(described.name, public_only=True) if function in (None, c.function)]
    outcomes = []
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        for one in checks:
            outcomes.append(run_check(one, names))
    result = SubmissionResult(Path("notebook"), outcomes, checks, described.name)
    chosen = lang or described.language
    return CheckReport(results_json(result, chosen), chosen)


def which_assignment(explicit: str | None, names: dict[str, Any], function: str | None = None) -> Any:
    """The notebook's assignment: named, the only one, the one its notebook file's metadata names
    (written at release; Jupyter gives the kernel the file as JPY_SESSION_NAME), or the one whose
    functions the notebook defines."""
    from autograder.trusted import assignment

    available = assignment.names()
    if explicit or len(available) == 1:
        return assignment.choose(explicit)
    having = [name for name in available if function in assignment.load(name).function_names]
    if len(having) == 1:
        return assignment.load(having[0])
    session = os.environ.get("JPY_SESSION_NAME") or str(names.get("__session__") or "")
    if session.endswith(".ipynb") and Path(session).is_file():
        with contextlib.suppress(assignment.AssignmentProblem):
            return assignment.choose(None, [Path(session)])
    defined = {name: sum(callable(names.get(f)) for f in assignment.load(name).function_names) for name in available}
    best = max(defined.values())
    if best and list(defined.values()).count(best) == 1:
        return assignment.load(max(defined, key=defined.__getitem__))
    raise assignment.AssignmentProblem(f"check(): which assignment? say check(assignment=NAME), one of "
                                       f"{', '.join(available)}")
