"""Grade every mutant with the normal grader and decide, for each, killed, equivalent or survived.

Mutants are graded as ordinary .py submissions by `grade_many` (the sandbox, the registry, the
worker pool). One file carries one mutant of each function (the k-th of each): every function is
graded on its own (the training checks run with the reference's helpers), so a mutant of one
function cannot cost another a point, and one mutant per function costs one submission's grading. The
unmutated reference is graded alongside; unless it scores full marks nothing is counted.
Survivors are then graded again by the audit's equivalence checks (also in the sandbox).
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.audit import equivalence
from autograder.audit.explanations import Explanation
from autograder.audit.mutants import Mutant, by_function, generate, submission
from autograder.trusted.assignment import Assignment
from autograder.trusted.batch import Graded, grade_many
from autograder.trusted.grader import grade_file
from autograder.trusted.registry import Check, all_checks
from autograder.trusted.sandbox import Sandbox

THRESHOLD = 0.90  # the share of non-equivalent mutants the checks must catch


class AuditError(Exception):
    """The audit cannot count anything (the reference itself does not get full marks)."""


@dataclass
class Verdict:
    mutant: Mutant
    killed_by: list[str]  # the ids of the checks it failed
    kinds: list[str] = field(default_factory=list)  # how they failed: "values", "dtype", "error", "timeout"...
    equivalent: bool = False  # decided for survivors only: same results as the reference everywhere
    differs: str = ""  # for a non-equivalent survivor: where the equivalence check saw a difference

    @property
    def status(self) -> str:
        return "killed" if self.killed_by else "equivalent" if self.equivalent else "survived"

    @property
    def only_raises(self) -> bool:
        """Killed only by exceptions: any check that calls it would catch it, so it says little."""
        return bool(self.kinds) and set(self.kinds) <= {"error", "not_implemented"}

    explained: Explanation | None = None  # the assignment's note for this mutant id, if any

    @property
    def explanation(self) -> Explanation | None:
        found = self.explained
        return found if found is not None and found.change == self.mutant.change else None


def explanations(assignment: Assignment) -> dict[str, Explanation]:
    """The assignment's notes on survivors (solutions/<assignment>/audit.py, EXPLANATIONS)."""
    audit = assignment.hook("audit")
    return dict(getattr(audit, "EXPLANATIONS", {})) if audit is not None else {}


@dataclass
class Audit:
    assignment: Assignment
    verdicts: list[Verdict]
    checks: list[Check]
    seconds: float = 0.0
    stale: list[str] = field(default_factory=list)  # explanations whose mutant no longer exists as described

    def counted(self, function: str | None = None) -> list[Verdict]:
        """The non-equivalent mutants (of one function)."""
        return [v for v in self.verdicts if not v.equivalent and function in (None, v.mutant.function)]

    def score(self, function: str | None = None) -> float:
        counted = self.counted(function)
        return sum(1 for v in counted if v.killed_by) / len(counted) if counted else 1.0

    @property
    def survivors(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.status == "survived"]

    @property
    def unexplained(self) -> list[Verdict]:
        return [v for v in self.survivors if v.explanation is None]

    def kills(self, check_id: str) -> list[Verdict]:
        return [v for v in self.verdicts if check_id in v.killed_by]

    def only_killer(self, check_id: str) -> list[Verdict]:
        """Mutants no other check catches: what deleting this check would let through."""
        return [v for v in self.verdicts if v.killed_by == [check_id]]


def packs(mutants: list[Mutant], functions: tuple[str, ...]) -> list[list[Mutant]]:
    """The k-th mutant of every function that has one, for each k."""
    groups = [group for _, group in by_function(mutants, functions)]
    return [[group[k] for group in groups if k < len(group)] for k in range(max(map(len, groups), default=0))]


def _failed(graded: Graded, function: str) -> list[tuple[str, str]]:
    """(check id, how it failed) for each failed check of `function`."""
    return [(o.check_id, o.kind) for o in graded.outcomes
            if o.check_id.split("/")[-1].split(".")[0] == function and not o.passed]


def _grade_mutants(assignment: Assignment, mutants: list[Mutant], source: str, workdir: Path, *, jobs: int,
                   isolate: bool) -> dict[str, list[tuple[str, str]]]:
    """mutant id → the checks it failed and how, from one grade_many batch (the reference first)."""
    files = [workdir / "reference.py"]
    files[0].write_text(submission([], source), encoding="utf-8")
    grouped = packs(mutants, assignment.function_names)
    for k, pack in enumerate(grouped):
        files.append(workdir / f"mutants_{k:02d}.py")
        files[-1].write_text(submission(pack, source), encoding="utf-8")
    results = dict(grade_many(files, assignment.name, jobs=jobs, isolate=isolate))
    failed = [f"{o.check_id}: {(o.message.splitlines() or [o.kind])[0]}" for o in results[0].outcomes if not o.passed]
    if failed or not results[0].outcomes:
        raise AuditError("the reference itself does not get full marks: " + "; ".join(failed))
    return {m.id: _failed(results[k + 1], m.function) for k, pack in enumerate(grouped) for m in pack}


def _judge_survivors(assignment: Assignment, survivors: list[Verdict], source: str, workdir: Path, *,
                     isolate: bool) -> None:
    """Grade the survivors by the equivalence checks, the k-th of each function in one file."""
    if not survivors:
        return
    by_id = {v.mutant.id: v for v in survivors}
    with Sandbox(isolate=isolate) as sandbox:
        for k, pack in enumerate(packs([v.mutant for v in survivors], assignment.function_names)):
            path = workdir / f"survivors_{k:02d}.py"
            path.write_text(submission(pack, source), encoding="utf-8")
            result = grade_file(path, sandbox, equivalence.checks(assignment, tuple(m.function for m in pack)))
            for check, outcome in zip(result.checks, result.outcomes):
                verdict = next(by_id[m.id] for m in pack if m.function == check.function)
                verdict.equivalent = outcome.passed
                verdict.differs = "" if outcome.passed else outcome.message.splitlines()[0]


def run_audit(assignment: Assignment, workdir: Path, *, functions: tuple[str, ...] | None = None, jobs: int = 2,
              isolate: bool = True) -> Audit:
    """Generate, grade and judge every mutant of `functions` (default: all) of the assignment's
    reference; files go to `workdir`."""
    started = time.monotonic()
    functions = functions or assignment.function_names
    shutil.rmtree(workdir, ignore_errors=True)  # only this audit's own files: nothing stale is graded
    workdir.mkdir(parents=True)
    source = Path(assignment.reference().__file__).read_text(encoding="utf-8")
    notes = explanations(assignment)
    mutants = generate(functions, source)
    failed = _grade_mutants(assignment, mutants, source, workdir, jobs=jobs, isolate=isolate)
    verdicts = [Verdict(m, [check for check, _ in failed[m.id]], [kind for _, kind in failed[m.id]],
                        explained=notes.get(m.id)) for m in mutants]
    _judge_survivors(assignment, [v for v in verdicts if not v.killed_by], source, workdir, isolate=isolate)
    current = {m.id: m.change for m in mutants}
    stale = sorted(i for i, e in notes.items() if i.split(".")[0] in functions and current.get(i) != e.change)
    return Audit(assignment, verdicts, [c for c in all_checks(assignment.name) if c.function in functions],
                 time.monotonic() - started, stale)
