"""nbgrader, tamper-proof: nbgrader's own pipeline, with our sandbox where its kernel would run.

`autograder nbgrader autograde` runs nbgrader's Autograde converter unchanged except for one
preprocessor: where `Execute` would run the whole notebook (student code and tests in one
kernel), `SandboxVerdicts` grades the student's cells in the sandbox and writes each
autograder-test cell's output: the report on stdout and the points as the cell's result (which
nbgrader reads as partial credit). nbgrader then restores locked and deleted test cells, saves
the scores through its Gradebook API, and writes the autograded notebook, so `nbgrader export`,
formgrader and `generate_feedback` work as usual. Student code never runs in this process and
its sandbox holds neither the gradebook nor the course directory.

`autograder release` wraps `nbgrader generate_assignment` and proves the release is safe.
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.trusted.assignment import Assignment
from autograder.trusted.assignment import load as load_assignment
from autograder.trusted.grader import grade_file
from autograder.trusted.registry import all_checks
from autograder.trusted.sandbox import Sandbox
from autograder.trusted.source import is_nbgrader_test

TEST_ID = re.compile(r"^test_(?P<function>\w+)$")


class SandboxVerdicts(NbGraderPreprocessor):
    """In place of nbgrader's Execute: verdicts from the sandbox become the test cells' outputs."""

    sandbox: ClassVar[Sandbox | None] = None
    assignment: ClassVar[str | None] = None

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        if SandboxVerdicts.sandbox is None or SandboxVerdicts.assignment is None:
            raise RuntimeError("SandboxVerdicts needs a sandbox; run it through `autograder nbgrader autograde`")
        functions = load_assignment(SandboxVerdicts.assignment).function_names
        with tempfile.TemporaryDirectory(prefix="nbgrader-") as tmp:
            path = Path(tmp) / f"{resources.get('nbgrader', {}).get('notebook', 'submission')}.ipynb"
            nbformat.write(nb, path)
            result = grade_file(path, SandboxVerdicts.sandbox, all_checks(SandboxVerdicts.assignment))
        lang = load_assignment(SandboxVerdicts.assignment).language
        notes = "".join(note.pick(lang) + "\n" for note in result.notes)
        count = 0
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            cell.outputs, cell.execution_count = [], None
            match = TEST_ID.match(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", ""))
            if not is_nbgrader_test(cell) or not match or match["function"] not in functions:
                continue
            count += 1
            earned, text = result.report(match["function"], lang)
            cell.execution_count = count
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=notes + text),
                            nbformat.v4.new_output("execute_result", data={"text/plain": f"{earned:g}"},
                                                   execution_count=count)]
            notes = ""  # said once, in the first test cell
        return nb, resources


@contextlib.contextmanager
def _in_course(course: Path) -> Iterator[None]:
    """nbgrader reads nbgrader_config.py and resolves every folder from the working directory."""
    previous = Path.cwd()
    bin_dir = str(Path(sys.executable).parent)  # nbgrader runs `alembic` from PATH for the gradebook
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    os.chdir(course)
    try:
        yield
    finally:
        os.chdir(previous)


def _run_app(app_class: Any, argv: list[str], extra: dict[str, Any] | None = None) -> int:
    app = app_class()
    try:
        app.initialize(argv)
        for section, values in (extra or {}).items():
            for key, value in values.items():
                setattr(app.config[section], key, value)
        app.start()
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def autograde(assignment: str, course: Path, *, student: str | None = None, isolate: bool = True) -> int:
    """nbgrader autograde for every submitted notebook (or one student's), verdicts from the sandbox."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.apps.autogradeapp import AutogradeApp
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        IgnorePattern,
        LimitOutput,
        SaveAutoGrades,
    )

    argv = [assignment, "--force", "--create"] + ([f"--student={student}"] if student else [])
    pipeline = [SandboxVerdicts, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
                AssignLatePenalties, CheckCellMetadata]
    with _in_course(course), Sandbox(isolate=isolate) as sandbox:
        SandboxVerdicts.sandbox, SandboxVerdicts.assignment = sandbox, assignment
        try:
            return _run_app(AutogradeApp, argv, {"Autograde": {"autograde_preprocessors": pipeline},
                                                 "OverwriteCells": {"add_missing_cells": True}})
        finally:
            SandboxVerdicts.sandbox, SandboxVerdicts.assignment = None, None


MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "autograder.in_kernel")


def release(assignment: str, course: Path, *, isolate: bool = True) -> tuple[int, list[str]]:
    """generate_assignment on the assignment's allow-list, then prove the release: exactly the
    allowed files, no solution or hidden test in any of them, the stubs score zero, the source
    notebook (the reference) full marks. Returns (exit status, findings)."""
    from nbgrader.apps.generateassignmentapp import GenerateAssignmentApp

    described = load_assignment(assignment)
    source_dir = course / "assignments" / assignment
    release_dir = course / "release" / assignment
    allowed = set(described.release)
    missing = sorted(name for name in allowed if not (source_dir / name).is_file())
    if missing:
        return 1, [f"assignments/{assignment}/{name}: in the release allow-list but not there" for name in missing]
    held_back = sorted(p.relative_to(source_dir).as_posix() for p in source_dir.rglob("*")
                       if p.is_file() and p.relative_to(source_dir).as_posix() not in allowed)
    ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", *held_back]
    with _in_course(course):
        status = _run_app(GenerateAssignmentApp, [assignment, "--force"], {"CourseDirectory": {"ignore": ignore}})
    if status:
        return status, [f"nbgrader generate_assignment failed (exit status {status})"]
    return (1, findings) if (findings := validate_release(described, source_dir, release_dir, isolate)) else (0, [])


def validate_release(described: Assignment, source_dir: Path, release_dir: Path, isolate: bool) -> list[str]:
    """Every released file scanned; the stubs graded (0) and the source notebook graded (full marks)."""
    findings = []
    released = sorted(p for p in release_dir.rglob("*") if p.is_file())
    names = {p.relative_to(release_dir).as_posix() for p in released}
    findings += [f"{name}: released but not in the allow-list" for name in sorted(names - set(described.release))]
    findings += [f"{name}: in the allow-list but not released" for name in sorted(set(described.release) - names)]
    reference = described.reference()
    solved = _functions(Path(reference.__file__).read_text("utf-8"))
    checks = all_checks(described.name)
    with Sandbox(isolate=isolate) as sandbox:
        for path in released:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                findings.append(f"{path.name}: not UTF-8 text (a released file must be readable)")
                continue
            findings += [f"{path.name}: still contains {marker!r}" for marker in MARKERS if marker in text]
            codes = ([c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
                     if path.suffix == ".ipynb" else [text] if path.suffix == ".py" else [])
            for code in codes:
                for name, body in _functions(code).items():
                    if solved.get(name) == body:
                        findings.append(f"{path.name}: holds the reference's {name}")
            if path.suffix == ".ipynb":
                for cell in nbformat.read(path, as_version=4).cells:
                    if cell.get("metadata", {}).get("nbgrader", {}).get("solution") and not _only_stubs(cell.source):
                        findings.append(f"{path.name}: answer cell {cell.metadata.nbgrader.get('grade_id')!r} "
                                        "holds more than the stub (solution code left in it?)")
            if path.name in described.submission_names:
                if path.suffix == ".py" and not _only_stubs(text):
                    findings.append(f"{path.name}: holds more than the stubs (solution code left in it?)")
                stubs = grade_file(path, sandbox, checks)
                if stubs.score != 0:
                    findings.append(f"{path.name}: the released stubs score {stubs.score:g}, not 0")
        source = source_dir / described.submission_names[0]
        solved_result = grade_file(source, sandbox, checks)
        if solved_result.score != solved_result.max_score:
            failed = [c.id for c, o in zip(solved_result.checks, solved_result.outcomes) if not o.passed]
            findings.append(f"{source.name}: the source notebook scores {solved_result.score:g}/"
                            f"{solved_result.max_score:g} (failed: {failed})")
    return findings


def _functions(source: str) -> dict[str, str]:
    """Each top-level function's body without its docstring, as an AST dump (none when the code does
    not parse: the syntax check is elsewhere)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    bodies = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            body = node.body[1:] if isinstance(node.body[0], ast.Expr) and isinstance(
                node.body[0].value, ast.Constant) else node.body
            bodies[node.name] = "".join(ast.dump(statement) for statement in body)
    return bodies


def _only_stubs(source: str) -> bool:
    """Every function in the cell is a docstring and `raise NotImplementedError()`, nothing else."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    placeholder = ast.dump(ast.parse("raise NotImplementedError()").body[0])
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]
            if [ast.dump(statement) for statement in body] != [placeholder]:
                return False
    return True
