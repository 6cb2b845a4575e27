"""Which file of a student's submitted folder is graded, and what nbgrader converts for it.

Light on purpose (neither nbgrader nor torch): the course flow plans every folder and starts
grading before it imports nbgrader's side (`nbgrader_writer`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from autograder.trusted.assignment import Assignment
from autograder.trusted.layout import pick_submission
from autograder.trusted.verdict import Said

if TYPE_CHECKING:
    from autograder.trusted.grader import SubmissionResult

STAGING_PREFIX = "autograder_staging_"  # a folder of the course while a run lasts (nbgrader resolves from the root)


@dataclass
class Plan:
    """One student's submitted folder: what is graded from it, and what nbgrader converts for it."""

    student: str
    folder: Path
    graded: Path | None  # the student's file that is graded; None: nothing gradable was submitted
    notebook: Path | None  # the student's notebook nbgrader converts; None: a stand-in (see `stand_in`)
    notes: list[Said] = field(default_factory=list)  # which file was graded, what was not (for the student)


def plan_folder(student: str, folder: Path, described: Assignment) -> Plan:
    """Which file of the folder is graded: the assignment's notebook, else its module, else the only
    .ipynb or .py there (as Gradescope's run_autograder picks); the rest is named as not graded."""
    notebook_name, module_name = described.submission_names
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    candidates = [p for p in files if p.suffix in (".ipynb", ".py")]
    graded = pick_submission(files, described.submission_names)
    if graded is None:
        found = ", ".join(p.name for p in files if p.name != "timestamp.txt")
        return Plan(student, folder, None, None, [Said(
            f"No {notebook_name} or {module_name} was submitted (found: {found or 'nothing'}), so every check "
            f"scores 0. Submit {notebook_name}, or your completed {module_name}.",
            f"{notebook_name} 또는 {module_name} 파일이 제출되지 않아 (찾은 파일: {found or '없음'}) 모든 검사가 "
            f"0점입니다. {notebook_name} 파일이나 완성한 {module_name} 파일을 제출하세요.")])
    notes = []
    if graded.name == module_name:
        notes.append(Said(f"Graded from {module_name}: no {notebook_name} was submitted, so your {module_name} was "
                          "graded with the same checks.",
                          f"{notebook_name} 파일이 없어 제출한 {module_name} 파일을 같은 검사로 채점했습니다."))
    elif graded.name != notebook_name:
        notes.append(Said(f"Graded {graded.name}: no {notebook_name} was submitted. Keep the name {notebook_name} "
                          "next time.",
                          f"{notebook_name} 파일이 없어 제출한 {graded.name} 파일을 채점했습니다. 다음에는 파일 "
                          f"이름을 {notebook_name} 그대로 두세요."))
    ignored = ", ".join(p.name for p in candidates if p != graded)
    if ignored:
        notes.append(Said(f"Not graded: {ignored} (one file is graded: {notebook_name}, or else {module_name}).",
                          f"채점하지 않은 파일: {ignored} (한 파일만 채점합니다. {notebook_name} 파일이 있으면 그 "
                          f"파일을, 없으면 {module_name} 파일을 채점합니다)."))
    opens = graded.suffix == ".ipynb" and _opens(graded)
    return Plan(student, folder, graded, graded if opens else None, notes)


def _opens(path: Path) -> bool:
    """nbgrader can convert it: nbformat reads and validates it (else nbgrader fails with a traceback)."""
    try:
        nbformat.validate(nbformat.read(path, as_version=4))
    except Exception:  # noqa: BLE001 - NotJSONError, ValidationError, UnicodeDecodeError, OSError, ...
        return False
    return True


@dataclass
class Graded:
    """One student as the course flow reports them: the verdicts, and the notes on what was graded."""

    student: str
    result: SubmissionResult
    notes: list[Said]
