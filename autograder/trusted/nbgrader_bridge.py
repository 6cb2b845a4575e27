"""nbgrader, tamper-proof: nbgrader's own pipeline, with our sandbox where its kernel would run.

`autograder nbgrader autograde` runs nbgrader's Autograde converter unchanged except for one
preprocessor: where `Execute` would run the whole notebook (student code and tests in one
kernel), `nbgrader_writer.SandboxVerdicts` writes each autograder-test cell's output from the
verdicts of the sandbox. Student code never runs in this process and its sandbox holds neither the
gradebook nor the course directory.

Every submitted folder gets a row: nbgrader converts a staged copy of submitted/ where a notebook
it cannot read, a folder with only the .py, a renamed notebook's absence or an empty folder is
replaced by a stand-in (the released notebook, the reason in its first cell); its test cells get
the verdicts of the student's own file. `nbgrader_plan.Plan` says per folder what is graded and
what nbgrader converts.

Every student's file is graded by the batch path (`batch.grade_many`: one warm sandbox, or `--jobs`
workers; or `cluster.grade_on_cluster`), exactly as `autograder grade` grades it, in a thread, and
each result is committed to our own SQLite gradebook (`autograded/.autograder/<assignment>.sqlite`,
keyed by student, the content hash of the file and the grader's fingerprint): a run killed and
started again regrades nobody whose row matches. Meanwhile nbgrader writes, in rounds, the
students whose verdicts are in (one nbgrader run over all of them), so its work overlaps the
batch's instead of following it. This module imports neither nbgrader nor torch: the batch's
workers start first, and boot while this process imports them.

`autograder release` wraps `nbgrader generate_assignment` and proves the release is safe.
"""

from __future__ import annotations

import ast
import contextlib
import os
import queue
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

from autograder.trusted.assignment import Assignment
from autograder.trusted.assignment import load as load_assignment
from autograder.trusted.nbgrader_plan import STAGING_PREFIX, Graded, Plan, plan_folder
from autograder.trusted.verdict import Outcome, Said

if TYPE_CHECKING:
    from autograder.trusted.grader import SubmissionResult
    from autograder.trusted.sandbox import Sandbox

AS_SUBMITTED = "as_submitted"  # autograded/<student>/<assignment>/as_submitted/: the student's file, untouched


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
    resumed: Future[int] = Future()  # how many were resumed, or what stopped the batch (raised below)

    def batch() -> None:  # the batch grades in this thread while nbgrader writes those already graded
        try:
            resumed.set_result(precompute(list(plans.values()), described, course, jobs=jobs, cluster=cluster,
                                          isolate=isolate, on_verdict=on_verdict,
                                          deliver=lambda *item: verdicts.put(item), started=started.set))
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread, below
            resumed.set_exception(exc)
        finally:
            started.set()
            verdicts.put(None)

    grading = threading.Thread(target=batch, name="autograder-batch", daemon=True)
    grading.start()
    from autograder.trusted import nbgrader_writer as writer  # nbgrader and torch, while the batch boots
    from autograder.trusted.grader import ungraded
    from autograder.trusted.registry import all_checks
    from autograder.trusted.sandbox import Sandbox

    checks = all_checks(assignment)
    preprocessor = writer.SandboxVerdicts
    started.wait()  # nbgrader changes the working directory, which the batch's processes must not inherit
    status, failed = 0, []
    with writer.in_course(course), contextlib.ExitStack() as stack:
        opened: list[Sandbox] = []

        def sandbox() -> Sandbox:  # only for a student nbgrader hands us without a verdict (none, normally)
            if not opened:
                opened.append(stack.enter_context(Sandbox(isolate=isolate)))
            return opened[0]

        preprocessor.sandbox, preprocessor.assignment = sandbox, assignment
        preprocessor.plans, preprocessor.graded, preprocessor.on_graded = plans, {}, on_graded
        preprocessor.results = {}
        try:
            finished = False
            while not finished:  # a round: the students whose verdicts are in (_gather), written by one nbgrader run
                ready = _gather(verdicts)
                todo = []
                for item in ready:
                    if item is None:
                        finished = True
                        continue
                    student, data = item
                    plan = plans[student]
                    preprocessor.results[student] = (
                        ungraded(plan.folder, checks, plan.notes[0]) if data is None or plan.graded is None
                        else from_results(data, plan.graded, checks))
                    todo.append(plan)
                if todo:
                    round_status, round_failed = writer.write_round(todo, assignment, described, course)
                    status, failed = round_status or status, failed + round_failed
            grading.join()
            graded = [preprocessor.graded[s] for s in plans if s in preprocessor.graded]
        finally:
            preprocessor.sandbox, preprocessor.assignment = None, None
            preprocessor.plans, preprocessor.graded, preprocessor.on_graded = {}, {}, None
            preprocessor.results = {}
    count = resumed.result()  # raises what stopped the batch, if anything did
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
        return Autograded(status or 1, graded, failed, "nbgrader wrote nothing for: " + ", ".join(failed), count)
    return Autograded(0, graded, [], resumed=count)


ROUND_GATHER_S = 2.0  # each nbgrader run costs a fixed start (its app, config, gradebook): not one a verdict


def _gather(verdicts: queue.SimpleQueue[Any]) -> list[Any]:
    """The next round: the next verdict, and every other that comes within ROUND_GATHER_S of it; at once when
    the batch has ended (None), so the last round follows the last verdict without a wait."""
    ready = [verdicts.get()]
    deadline = time.monotonic() + ROUND_GATHER_S
    while ready[-1] is not None and (left := deadline - time.monotonic()) > 0:
        try:
            ready.append(verdicts.get(timeout=left))
        except queue.Empty:
            break
    while ready[-1] is not None and not verdicts.empty():
        ready.append(verdicts.get())
    return ready


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
    from autograder.trusted.grader import SubmissionResult

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


MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "autograder.in_kernel")


def release(assignment: str, course: Path, *, isolate: bool = True) -> tuple[int, list[str]]:
    """generate_assignment on the assignment's allow-list, then prove the release: exactly the
    allowed files, no solution or hidden test in any of them, the stubs score zero, the source
    notebook (the reference) full marks. Returns (exit status, findings)."""
    from nbgrader.apps.generateassignmentapp import GenerateAssignmentApp

    from autograder.trusted.nbgrader_writer import in_course, run_app

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
    with in_course(course):
        status = run_app(GenerateAssignmentApp, [assignment, "--force"], {"CourseDirectory": {"ignore": ignore}})
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
    from autograder.trusted.grader import grade_file
    from autograder.trusted.registry import all_checks
    from autograder.trusted.sandbox import Sandbox

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
