"""nbgrader, tamper-proof: nbgrader's own pipeline, with our sandbox where its kernel would run.

`autograder nbgrader autograde` runs nbgrader's Autograde converter unchanged except for one
preprocessor: where `Execute` would run the whole notebook (student code and tests in one
kernel), `SandboxVerdicts` grades the student's cells in the sandbox and writes each
autograder-test cell's output: the report on stdout and the points as the cell's result (which
nbgrader reads as partial credit). nbgrader then restores locked and deleted test cells, saves
the scores through its Gradebook API, and writes the autograded notebook, so `nbgrader export`,
formgrader and `generate_feedback` work as usual. Student code never runs in this process and
its sandbox holds neither the gradebook nor the course directory.

Every submitted folder gets a row: nbgrader converts a staged copy of submitted/ where a notebook
it cannot read, a folder with only the .py, a renamed notebook's absence or an empty folder is
replaced by a stand-in (the released notebook, the reason in its first cell); its test cells get
the verdicts of the student's own file. `Plan` says per folder what is graded and what nbgrader
converts.

Every student's file is graded by the batch path (`batch.grade_many`: one warm sandbox, or `--jobs`
workers; or `cluster.grade_on_cluster`), exactly as `autograder grade` grades it, in a thread, and
each result is committed to our own SQLite gradebook (`autograded/.autograder/<assignment>.sqlite`,
keyed by student, the content hash of the file and the grader's fingerprint): a run killed and
started again regrades nobody whose row matches. Meanwhile nbgrader writes, in rounds, the
students whose verdicts are in (one nbgrader run each over all of them); its loop only writes
those verdicts into the notebooks (`SandboxVerdicts.results`), so its work overlaps the batch's
instead of following it. A result already in `SandboxVerdicts.graded` is used as is.

`autograder release` wraps `nbgrader generate_assignment` and proves the release is safe.
"""

from __future__ import annotations

import ast
import contextlib
import html
import logging
import os
import queue
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.trusted.assignment import Assignment
from autograder.trusted.assignment import load as load_assignment
from autograder.trusted.grader import SubmissionResult, grade_file, ungraded
from autograder.trusted.layout import pick_submission
from autograder.trusted.registry import all_checks
from autograder.trusted.sandbox import Sandbox
from autograder.trusted.source import is_nbgrader_test
from autograder.trusted.verdict import Outcome, Said

TEST_ID = re.compile(r"^test_(?P<function>\w+)$")
STAGING_PREFIX = "autograder_staging_"  # a folder of the course while a run lasts (nbgrader resolves from the root)
AS_SUBMITTED = "as_submitted"  # autograded/<student>/<assignment>/as_submitted/: the student's file, untouched


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


@dataclass
class Graded:
    student: str
    result: SubmissionResult
    notes: list[Said]


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


def _run_app(app_class: Any, argv: list[str], extra: dict[str, Any] | None = None,
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


@dataclass
class Autograded:
    """What `autograde` did: every student graded (in order), and those nbgrader wrote nothing for."""

    status: int
    graded: list[Graded]
    failed: list[str]
    problem: str = ""
    resumed: int = 0  # students whose verdicts came from our gradebook (same file, same grader): not regraded


def autograde(assignment: str, course: Path, *, student: str | None = None, isolate: bool = True,
              jobs: int = 1, cluster: str | None = None,
              on_start: Callable[[int], None] | None = None, on_graded: Callable[[Graded], None] | None = None,
              on_verdict: Callable[[str], None] | None = None) -> Autograded:
    """nbgrader autograde for every submitted folder (or one student's), verdicts from the sandbox.

    Every folder under submitted/<student>/<assignment>/ gets a gradebook row: nbgrader converts a
    staged copy of the folder, where a notebook it could not read (or none, or only the .py) is
    replaced by a stand-in that carries the student's verdicts and the reason. A student nbgrader
    still fails on is staged again with a stand-in.

    The verdicts come from the batch path (`jobs` workers, or the Dask scheduler at `cluster`), in a
    thread, one commit per student in `gradebook_path`; `on_verdict(student)` as each is there (resumed
    or graded). Meanwhile nbgrader writes, round by round, every student whose verdicts are in.
    Raises `cluster.ClusterProblem` when the cluster cannot grade (what was graded is kept, and
    written)."""
    course = course.resolve()  # the batch's thread reads it while nbgrader's rounds change directory
    described = load_assignment(assignment)
    submitted = course / "submitted"
    folders = sorted(p for p in submitted.glob(f"*/{assignment}") if p.is_dir() and not p.parent.name.startswith("."))
    if student is not None:
        folders = [p for p in folders if p.parent.name == student]
    if not folders:
        where = f"submitted/{student or '*'}/{assignment}/"
        return Autograded(2, [], [], f"no submission folder {where} in {course}")
    plans = {p.parent.name: plan_folder(p.parent.name, p, described) for p in folders}
    if on_start is not None:
        on_start(len(plans))
    _remove_stale_staging(course)
    verdicts: queue.SimpleQueue[tuple[str, dict[str, Any] | None] | None] = queue.SimpleQueue()
    started = threading.Event()
    failure: list[BaseException] = []
    resumed: list[int] = []

    def batch() -> None:  # the batch grades in this thread while nbgrader writes those already graded
        try:
            resumed.append(precompute(list(plans.values()), described, course, jobs=jobs, cluster=cluster,
                                      isolate=isolate, on_verdict=on_verdict, deliver=lambda *item: verdicts.put(item),
                                      started=started.set))
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread, below
            failure.append(exc)
        finally:
            started.set()
            verdicts.put(None)

    grading = threading.Thread(target=batch, name="autograder-batch", daemon=True)
    grading.start()
    checks = all_checks(assignment)
    started.wait()  # nbgrader changes the working directory, which the batch's processes must not inherit
    status, failed = 0, []
    with _in_course(course), contextlib.ExitStack() as stack:
        opened: list[Sandbox] = []

        def sandbox() -> Sandbox:  # only for a student nbgrader hands us without a verdict (none, normally)
            if not opened:
                opened.append(stack.enter_context(Sandbox(isolate=isolate)))
            return opened[0]

        SandboxVerdicts.sandbox, SandboxVerdicts.assignment = sandbox, assignment
        SandboxVerdicts.plans, SandboxVerdicts.graded, SandboxVerdicts.on_graded = plans, {}, on_graded
        SandboxVerdicts.results = {}
        try:
            finished = False
            while not finished:  # a round: every student whose verdicts are in, written by one nbgrader run
                ready = [verdicts.get()]
                while not verdicts.empty():
                    ready.append(verdicts.get())
                todo = []
                for item in ready:
                    if item is None:
                        finished = True
                        continue
                    student, data = item
                    plan = plans[student]
                    SandboxVerdicts.results[student] = (
                        ungraded(plan.folder, checks, plan.notes[0]) if data is None or plan.graded is None
                        else from_results(data, plan.graded, checks))
                    todo.append(plan)
                if todo:
                    round_status, round_failed = _write(todo, assignment, described, course)
                    status, failed = round_status or status, failed + round_failed
            grading.join()
            graded = [SandboxVerdicts.graded[s] for s in plans if s in SandboxVerdicts.graded]
        finally:
            SandboxVerdicts.sandbox, SandboxVerdicts.assignment = None, None
            SandboxVerdicts.plans, SandboxVerdicts.graded, SandboxVerdicts.on_graded = {}, {}, None
            SandboxVerdicts.results = {}
    if failure:
        raise failure[0]
    notebook_name = described.submission_names[0]
    for plan in plans.values():  # the student's file, untouched, beside what was graded
        dest = course / "autograded" / plan.student / assignment
        own = plan.graded
        # nbgrader copies every other file itself; a notebook it was handed renamed or replaced, we copy
        if own is not None and own.suffix == ".ipynb" and (plan.notebook is None or own.name != notebook_name):
            if dest.is_dir():
                (dest / AS_SUBMITTED).mkdir(exist_ok=True)
                shutil.copyfile(own, dest / AS_SUBMITTED / own.name)
    if failed:
        return Autograded(status or 1, graded, failed, "nbgrader wrote nothing for: " + ", ".join(failed), resumed[0])
    return Autograded(0, graded, [], resumed=resumed[0])


def _write(todo: list[Plan], assignment: str, described: Assignment, course: Path) -> tuple[int, list[str]]:
    """One nbgrader autograde run over these students (their verdicts are in `SandboxVerdicts.results`),
    from a staged copy of their folders; a student nbgrader fails on is staged again behind a stand-in.
    Returns (nbgrader's exit status, the students it still wrote nothing for)."""
    from nbgrader.apps.autogradeapp import AutogradeApp

    notebook_name, module_name = described.submission_names
    config = {"Autograde": {"autograde_preprocessors": _pipeline(),
                            # the student's own .py stays what it is in autograded/, never the master copy
                            "exclude_overwriting": {assignment: [module_name]}},
              "OverwriteCells": {"add_missing_cells": True}}
    status, failed = 0, []
    while todo:  # each pass writes someone, or replaces a notebook nbgrader failed on; else it stops
        attempted: set[str] = set()
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}_", dir=course))
        try:
            stage(todo, staging, assignment, described, course)
            status = _run_app(AutogradeApp, [assignment, "--force", "--create",
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


def _remove_stale_staging(course: Path) -> None:
    """A run that was killed leaves its staged copy of submitted/ behind; the process that made one is in its name."""
    for folder in course.glob(f"{STAGING_PREFIX}*"):
        pid = folder.name[len(STAGING_PREFIX):].partition("_")[0]
        if pid.isdigit() and int(pid) != os.getpid():
            try:
                os.kill(int(pid), 0)
                continue  # another run on this course is writing from it now
            except ProcessLookupError:
                pass
            except PermissionError:
                continue
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)


def gradebook_path(course: Path, assignment: str) -> Path:
    """Our gradebook of the course flow's verdicts: beside nbgrader's output (autograded/), in a folder
    nbgrader never reads (hidden: not a student) and `autograde --force` never removes."""
    return course / "autograded" / ".autograder" / f"{assignment}.sqlite"


def precompute(plans: list[Plan], described: Assignment, course: Path, *, jobs: int, cluster: str | None,
               isolate: bool, deliver: Callable[[str, dict[str, Any] | None], None],
               on_verdict: Callable[[str], None] | None = None, started: Callable[[], None] | None = None) -> int:
    """Every student's chosen file graded as `autograder grade` grades it (warm sandboxes, `jobs` workers
    or a Dask cluster), each committed to our gradebook as soon as it is graded; a row made from the same
    bytes by the same grader is taken as it is. Each student's results JSON goes to `deliver(student, data)`
    (None: nothing was submitted to run) as soon as it is committed; `started()` once the batch's processes
    are started. Returns how many were resumed."""
    from autograder.trusted.batch import grade_many
    from autograder.trusted.gradebook import Gradebook, content_hash, fingerprint

    lang = described.language
    delivered: set[str] = set()
    todo: list[tuple[Plan, str]] = []
    book = Gradebook(gradebook_path(course, described.name))

    def done(student: str, data: dict[str, Any] | None) -> None:
        delivered.add(student)
        deliver(student, data)
        if on_verdict is not None:
            on_verdict(student)

    try:
        grader = f"{fingerprint(described)}:{lang}"
        resumed = 0
        for plan in plans:
            if plan.graded is None:  # nothing to run: every check scores 0, for the reason in the plan
                done(plan.student, None)
                continue
            sha256 = content_hash(plan.graded, grader)
            stored = book.finished(plan.student, sha256)
            if stored is not None:  # graded before from these very bytes: resume, do not regrade
                resumed += 1
                done(plan.student, stored)
            else:
                todo.append((plan, sha256))
        paths = [plan.graded for plan, _ in todo if plan.graded is not None]
        if cluster is not None:
            from autograder.trusted.cluster import grade_on_cluster

            if started is not None:
                started()  # nothing runs here: the cluster's workers grade
            finished = grade_on_cluster(paths, described.name, cluster, isolate=isolate, lang=lang)
        elif paths:
            finished = grade_many(paths, described.name, jobs=jobs, isolate=isolate, lang=lang, started=started)
        else:
            finished = iter(())
        for index, graded in finished:
            plan, sha256 = todo[index]
            if plan.student in delivered:  # delivered twice (a cluster worker lost after answering): kept once
                continue
            assert plan.graded is not None
            graded.results["extra_data"]["student"] = plan.student
            book.record(plan.student, plan.graded, sha256, graded.results, graded.functions)  # committed first
            done(plan.student, graded.results)
    finally:
        book.close()
    return resumed


def from_results(data: dict[str, Any], path: Path, checks: list[Any]) -> SubmissionResult:
    """A result as the notebook's test cells need it, from its results JSON (what the batch path sends
    back and our gradebook keeps): each check's verdict and explanation, and the notes."""
    tests = {test["extra_data"]["check"]: test for test in data["tests"]}
    outcomes = []
    for check in checks:
        test = tests[check.id]
        parts = test["extra_data"].get("feedback") or {}
        said, hint = parts.get("said"), parts.get("hint")
        outcomes.append(Outcome(check.id, test["status"] == "passed", float(test["score"]),
                                test["extra_data"].get("kind", "passed"), test["output"],
                                parts.get("detail") or {}, Said(**said) if said else None, parts.get("tried"),
                                Said(**hint) if hint else None))
    notes = [Said(**note) for note in data.get("extra_data", {}).get("notes", [])]
    return SubmissionResult(path, outcomes, checks, data["extra_data"]["assignment"], notes,
                            seconds=float(data.get("execution_time", 0.0)))


def _recorder(attempted: set[str]) -> Callable[..., None]:
    """nbgrader's pre-convert hook: which students it started on (their notebooks' folders say who)."""
    def record(*, notebooks: list[str], **_: Any) -> None:
        attempted.update(Path(notebook).parent.parent.name for notebook in notebooks)
    return record


def _written(course: Path, assignment: str, student: str, notebook_name: str) -> bool:
    return (course / "autograded" / student / assignment / notebook_name).is_file()


def _pipeline() -> list[Any]:
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        IgnorePattern,
        LimitOutput,
        SaveAutoGrades,
    )

    return [SandboxVerdicts, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
            AssignLatePenalties, CheckCellMetadata]


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
