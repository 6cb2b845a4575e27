"""nbgrader's side of the course flow: the preprocessor that writes our verdicts, and one nbgrader run.

`SandboxVerdicts` takes the place of nbgrader's `Execute`: instead of running the notebook (student
code and tests in one kernel) it writes each autograder-test cell's output from verdicts the sandbox
made: the report on stdout and the points as the cell's result (which nbgrader reads as partial
credit). nbgrader then restores locked and deleted test cells, saves the scores through its Gradebook
API, and writes the autograded notebook, so `nbgrader export`, formgrader and `generate_feedback`
work as usual. `write_round` is one `nbgrader autograde` run over the students whose verdicts are in.
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import logging
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, ClassVar

import jsonschema
import nbformat
import sqlalchemy
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader import api as nbgrader_api
from nbgrader.nbgraderformat import common as nbgrader_format
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.trusted.assignment import Assignment
from autograder.trusted.assignment import load as load_assignment
from autograder.trusted.grader import SubmissionResult, grade_file, ungraded
from autograder.trusted.nbgrader_plan import STAGING_PREFIX, Graded, Plan
from autograder.trusted.registry import all_checks
from autograder.trusted.source import is_nbgrader_test
from autograder.trusted.verdict import Said

if TYPE_CHECKING:
    from autograder.trusted.sandbox import Sandbox


@functools.cache
def _validator(schema: str) -> Any:
    loaded = json.loads(schema)
    kind = jsonschema.validators.validator_for(loaded)
    kind.check_schema(loaded)
    return kind(loaded)


def _validate(instance: Any, schema: dict[str, Any]) -> None:
    """`jsonschema.validate`, with each schema checked once: the same verdict and the same error."""
    error = jsonschema.exceptions.best_match(_validator(json.dumps(schema, sort_keys=True)).iter_errors(instance))
    if error is not None:
        raise error


# nbgrader checks every cell's nbgrader metadata with `jsonschema.validate`, which first checks the schema
# itself against its meta-schema, on every call: about a fifth of nbgrader's time per notebook here.
nbgrader_format.jsonschema = SimpleNamespace(validate=_validate)  # type: ignore[attr-defined]


@functools.cache
def _engine(url: str, **options: Any) -> sqlalchemy.Engine:
    """One engine per gradebook URL in this process. nbgrader opens a Gradebook (a new engine) about nine
    times per student, and each new engine starts with an empty statement cache: SQLAlchemy compiled every
    query again, a third of nbgrader's time per student here. `Gradebook.close` disposes of the engine's
    connection pool, here a no-op: the next Gradebook takes the same SQLite connection from the pool instead
    of opening a new one (every session ends its transaction before its connection goes back)."""
    engine = sqlalchemy.create_engine(url, **options)
    engine.dispose = lambda close=True: None  # type: ignore[method-assign]
    return engine


nbgrader_api.create_engine = _engine  # type: ignore[attr-defined]
_create_all = nbgrader_api.Base.metadata.create_all
_complete: set[sqlalchemy.Engine] = set()  # gradebooks that have all of nbgrader's tables (none is ever dropped)


class _Tables:
    def __init__(self, names: list[str]) -> None:
        self.names = names

    def get_table_names(self) -> list[str]:
        return self.names


def _inspect(bind: sqlalchemy.Engine) -> Any:
    """What nbgrader asks of `inspect(engine)`, the gradebook's tables, on each of the nine Gradebooks a
    student: once every table is there, that is the answer (a query each time, until then)."""
    if bind in _complete:
        return _Tables(list(nbgrader_api.Base.metadata.tables))
    return sqlalchemy.inspect(bind)


def _create_missing(bind: sqlalchemy.Engine, **options: Any) -> None:
    """`create_all`, which asks after each of nbgrader's tables with a query of its own, each of the nine
    times a student; one listing of the tables says the same, and only a missing table is made."""
    if bind in _complete:
        return
    if not set(nbgrader_api.Base.metadata.tables) <= set(sqlalchemy.inspect(bind).get_table_names()):
        _create_all(bind=bind, **options)
    _complete.add(bind)


nbgrader_api.inspect = _inspect  # type: ignore[attr-defined]
nbgrader_api.Base.metadata.create_all = _create_missing  # type: ignore[method-assign]

TEST_ID = re.compile(r"^test_(?P<function>\w+)$")


def stand_in(course: Path, assignment: str, notebook_name: str) -> NotebookNode:
    """What nbgrader converts for a submission it cannot read: the released notebook, answers blanked
    (its locked test cells are the release's; nbgrader puts back any that are missing)."""
    released = course / "release" / assignment / notebook_name
    notebook = nbformat.read(released, as_version=4) if released.is_file() else nbformat.v4.new_notebook()
    for cell in notebook.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell.source = "# Not your code: see the first cell. / 제출한 코드가 아닙니다. 첫 번째 셀을 보세요."
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return notebook


def stage(plans: list[Plan], staging: Path, assignment: str, described: Assignment, course: Path) -> None:
    """The submitted tree nbgrader reads: each student's files, with their notebook under the assignment's
    name, or a stand-in. submitted/ itself is never written."""
    notebook_name = described.submission_names[0]
    for plan in plans:
        target = staging / plan.student / assignment
        shutil.copytree(plan.folder, target, ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
        if plan.notebook is not None:
            shutil.copyfile(plan.notebook, target / notebook_name)
        else:
            nbformat.write(stand_in(course, assignment, notebook_name), target / notebook_name)


class SandboxVerdicts(NbGraderPreprocessor):
    """In place of nbgrader's Execute: verdicts from the sandbox become the test cells' outputs."""

    sandbox: ClassVar[Callable[[], Sandbox] | None] = None  # opened on first use: only for what is not precomputed
    assignment: ClassVar[str | None] = None
    plans: ClassVar[dict[str, Plan]] = {}
    results: ClassVar[dict[str, SubmissionResult]] = {}  # the student's file graded beforehand (the batch path)
    graded: ClassVar[dict[str, Graded]] = {}  # a result made beforehand (e.g. by a worker) is used as is
    on_graded: ClassVar[Callable[[Graded], None] | None] = None

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        if SandboxVerdicts.sandbox is None or SandboxVerdicts.assignment is None:
            raise RuntimeError("SandboxVerdicts needs a sandbox; run it through `autograder nbgrader autograde`")
        functions = load_assignment(SandboxVerdicts.assignment).function_names
        student = resources.get("nbgrader", {}).get("student", "")
        plan = SandboxVerdicts.plans.get(student)
        graded = SandboxVerdicts.graded.get(student) if plan is not None else None
        if graded is None:
            result = SandboxVerdicts.results.get(student) if plan is not None else None
            if result is None:
                result = self._grade(nb, resources, plan)
            said = (plan.notes if plan else []) + [n for n in result.notes if not plan or n not in plan.notes]
            graded = Graded(student, result, said)
        SandboxVerdicts.graded[student] = graded
        if plan is not None and (plan.notebook is None or plan.notes):  # the why, first thing in the notebook
            nb.cells.insert(0, nbformat.v4.new_markdown_cell(_said_markdown(graded.notes, plan)))
        lang = load_assignment(SandboxVerdicts.assignment).language
        notes = "".join(note.pick(lang) + "\n" for note in graded.notes)
        count = 0
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            cell.outputs, cell.execution_count = [], None
            match = TEST_ID.match(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", ""))
            if not is_nbgrader_test(cell) or not match or match["function"] not in functions:
                continue
            count += 1
            earned, text = graded.result.report(match["function"], lang)
            cell.execution_count = count
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=notes + text),
                            nbformat.v4.new_output("execute_result", data={"text/plain": f"{earned:g}"},
                                                   execution_count=count)]
            notes = ""  # said once, in the first test cell
        if SandboxVerdicts.on_graded is not None:
            SandboxVerdicts.on_graded(graded)
        return nb, resources

    @staticmethod
    def _grade(nb: NotebookNode, resources: ResourcesDict, plan: Plan | None) -> SubmissionResult:
        assert SandboxVerdicts.sandbox is not None and SandboxVerdicts.assignment is not None
        checks = all_checks(SandboxVerdicts.assignment)
        if plan is not None and plan.notebook is None:  # a stand-in: grade the student's own file
            if plan.graded is None:
                return ungraded(plan.folder, checks, plan.notes[0])
            return grade_file(plan.graded, SandboxVerdicts.sandbox(), checks)
        with tempfile.TemporaryDirectory(prefix="nbgrader-") as tmp:
            path = Path(tmp) / f"{resources.get('nbgrader', {}).get('notebook', 'submission')}.ipynb"
            nbformat.write(nb, path)
            return grade_file(path, SandboxVerdicts.sandbox(), checks)


def _said_markdown(notes: list[Said], plan: Plan) -> str:
    if plan.notebook is None:
        head = ("**Autograder: this notebook stands in for your submission**, which could not be graded as a "
                "notebook. / **자동 채점: 제출물을 노트북으로 채점할 수 없어 이 노트북으로 대신합니다.**")
    else:
        head = "**Autograder / 자동 채점**"
    lines = [head, ""]
    for note in notes:
        lines += [f"- {_plain(note.en)}", f"  {_plain(note.ko)}"]
    return "\n".join(lines) + "\n"


def _plain(text: str) -> str:
    """Text shown as written in Markdown: no emphasis from `my_homework`, no HTML from `<`."""
    return re.sub(r"([\\`*_\[\]#|~])", r"\\\1", html.escape(text, quote=False)).replace("\n", " ")


@contextlib.contextmanager
def in_course(course: Path) -> Iterator[None]:
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


def run_app(app_class: Any, argv: list[str], extra: dict[str, Any] | None = None,
             started: Callable[[Any], None] | None = None) -> int:
    app = app_class()
    try:
        app.initialize(argv)
        for section, values in (extra or {}).items():
            for key, value in values.items():
                setattr(app.config[section], key, value)
        if started is not None:
            started(app)
        app.start()
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def _log_to_current_stderr(app: Any) -> None:
    """nbgrader's log lines go through sys.stderr as it is now (above the progress bar, not across it)."""
    for handler in app.log.handlers:
        if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
            handler.setStream(sys.stderr)


@functools.cache
def _one_pass() -> type:
    """nbgrader's Autograde converter, converting each notebook in one pass instead of two: its sanitizing
    preprocessors, then its autograding ones, in that order, on the notebook as read once (nbgrader wrote the
    sanitized notebook and read it back between them: a third of its time per student was notebook I/O)."""
    from nbgrader import utils
    from nbgrader.converters import Autograde

    class OnePassAutograde(Autograde):
        def convert_single_notebook(self, notebook_filename: str) -> None:
            """BaseConverter.convert_single_notebook with both pipelines: the resources are read off the submitted
            path (as the sanitizing pass reads them), the result goes where the autograding pass writes it."""
            self.log.info("Sanitizing and autograding %s", notebook_filename)
            self.exporter._preprocessors = []
            for preprocessor in [*self.sanitize_preprocessors, *self.autograde_preprocessors]:
                self.exporter.register_preprocessor(preprocessor)
            resources = self.init_single_notebook_resources(notebook_filename)
            self._sanitizing = False
            try:
                with utils.setenv(NBGRADER_EXECUTION="autograde"):
                    output, resources = self.exporter.from_filename(notebook_filename, resources=resources)
                self.write_single_notebook(output, resources)
            finally:
                self._sanitizing = True

    return OnePassAutograde


def write_round(todo: list[Plan], assignment: str, described: Assignment, course: Path) -> tuple[int, list[str]]:
    """One nbgrader autograde run over these students (their verdicts are in `SandboxVerdicts.results`),
    from a staged copy of their folders; a student nbgrader fails on is staged again behind a stand-in.
    Returns (nbgrader's exit status, the students it still wrote nothing for)."""
    from nbgrader.apps import autogradeapp
    from nbgrader.apps.autogradeapp import AutogradeApp

    autogradeapp.Autograde = _one_pass()  # the converter AutogradeApp makes (see _one_pass)

    notebook_name, module_name = described.submission_names
    config = {"Autograde": {"autograde_preprocessors": _pipeline(),
                            # the student's own .py stays what it is in autograded/, never the master copy
                            "exclude_overwriting": {assignment: [module_name]}},
              "OverwriteCells": {"add_missing_cells": True},
              # the notebook is validated once, after nbgrader's last preprocessor, not after each of them
              "Exporter": {"optimistic_validation": True}}
    status, failed = 0, []
    while todo:  # each pass writes someone, or replaces a notebook nbgrader failed on; else it stops
        attempted: set[str] = set()
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}_", dir=course))
        try:
            stage(todo, staging, assignment, described, course)
            status = run_app(AutogradeApp, [assignment, "--force", "--create",
                                             f"--CourseDirectory.submitted_directory={staging.name}"],
                              {**config, "Autograde": {**config["Autograde"],
                                                       "pre_convert_hook": _recorder(attempted)}},
                              started=_log_to_current_stderr)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        left = [plan for plan in todo  # a notebook from an earlier run does not count
                if plan.student not in attempted or not _written(course, assignment, plan.student, notebook_name)]
        replaced = [plan for plan in left if plan.student in attempted and plan.notebook is not None]
        for plan in replaced:  # nbgrader failed on this notebook: graded from the file, behind a stand-in
            SandboxVerdicts.graded.pop(plan.student, None)  # its verdicts again, with the note below
            plan.notes.append(Said(
                f"nbgrader could not process {notebook_name} (its cells or their metadata); it was graded "
                "directly from the file.",
                f"채점 도구가 {notebook_name} 파일의 셀이나 메타데이터를 처리하지 못해 파일을 직접 "
                "채점했습니다."))
            plan.notebook = None
        if len(left) == len(todo) and not replaced:
            break
        todo = [plan for plan in left if plan.student not in attempted or plan in replaced]
        failed += [plan.student for plan in left if plan.student in attempted and plan not in replaced]
    return status, failed + [plan.student for plan in todo]


def _recorder(attempted: set[str]) -> Callable[..., None]:
    """nbgrader's pre-convert hook: which students it started on (their notebooks' folders say who)."""
    def record(*, notebooks: list[str], **_: Any) -> None:
        attempted.update(Path(notebook).parent.parent.name for notebook in notebooks)
    return record


def _written(course: Path, assignment: str, student: str, notebook_name: str) -> bool:
    return (course / "autograded" / student / assignment / notebook_name).is_file()


def _save_auto_grades_at_once() -> Any:
    """nbgrader's SaveAutoGrades, which commits once per graded or solution cell, committing once per
    notebook instead: the same rows, one transaction (a notebook's grades land together or not at all).
    On 60 students this was a fifth of nbgrader's time."""
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import SaveAutoGrades

    class SaveAutoGradesAtOnce(SaveAutoGrades):
        def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
            found = resources["nbgrader"]
            self.notebook_id, self.assignment_id = found["notebook"], found["assignment"]
            self.student_id, self.db_url = found["student"], found["db_url"]
            self.gradebook = Gradebook(self.db_url)
            with self.gradebook:
                session = self.gradebook.db
                session.commit = session.flush  # each cell's changes reach the database; the commit waits
                try:
                    nb, resources = NbGraderPreprocessor.preprocess(self, nb, resources)
                finally:
                    del session.commit
                session.commit()
            return nb, resources

    return SaveAutoGradesAtOnce


def _pipeline() -> list[Any]:
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        IgnorePattern,
        LimitOutput,
    )

    return [SandboxVerdicts, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, _save_auto_grades_at_once(),
            AssignLatePenalties, CheckCellMetadata]
