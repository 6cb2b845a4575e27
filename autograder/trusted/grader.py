"""Grading one submission: read it, load it once in the sandbox, run every check, keep verdicts.

Verdicts are decided here only. A check that hangs or crashes zeroes the rest of its function's
checks (they would hang or crash too) but not the other functions'; a check that times out gets
the submission process killed and a fresh one loaded for the checks that remain.
"""

from __future__ import annotations

import inspect
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.trusted import planned
from autograder.trusted import source as source_file
from autograder.trusted.assignment import Assignment, reference_helpers
from autograder.trusted.assignment import load as load_assignment
from autograder.trusted.profile import flush, phase
from autograder.trusted.registry import Check
from autograder.trusted.sandbox import CheckSession, LoadReport, Sandbox, SandboxFault, SubmissionProcess
from autograder.trusted.trial import Trial
from autograder.trusted.verdict import CheckFailed, Outcome, Said, code, label

LOAD_TIMEOUT = 20.0
MAX_SKIPPED_CELLS = 2  # cells that hang or kill the process, skipped before the load counts as failed


_KINDS = {kind.name: kind for kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                      inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.KEYWORD_ONLY,
                                      inspect.Parameter.VAR_KEYWORD)}


@dataclass
class SubmissionResult:
    path: Path
    outcomes: list[Outcome]
    checks: list[Check]
    assignment: str
    notes: list[Said] = field(default_factory=list)
    output: str = ""
    seconds: float = 0.0

    @property
    def score(self) -> float:
        return sum(o.score for o in self.outcomes)

    @property
    def max_score(self) -> float:
        return sum(c.points for c in self.checks)

    def report(self, function: str, lang: str = "both") -> tuple[float, str]:
        """The points and the text a notebook's autograder-test cell shows for one function, in `lang`."""
        earned, lines = 0.0, []
        for check, outcome in zip(self.checks, self.outcomes):
            if check.function != function:
                continue
            earned += outcome.score
            mark = label(PASSED if outcome.passed else FAILED, lang)
            lines.append(f"[{mark}] {_points(check.points, lang)}  {check.heading(lang)}")
            lines += [f"    {line}" for line in outcome.text(lang).splitlines()]
        return earned, f"{function}: {_points(earned, lang)}\n" + "\n".join(lines) + "\n"

    def function_scores(self) -> dict[str, float]:
        scores: dict[str, float] = {}
        for check, outcome in zip(self.checks, self.outcomes):
            scores[check.function] = scores.get(check.function, 0.0) + outcome.score
        return scores


PASSED, FAILED = Said("passed", "통과"), Said("FAILED", "실패")


def _points(value: float, lang: str) -> str:
    """"10점", "10 points" or "10점 / 10 points"."""
    said = Said(f"{value:g} points", f"{value:g}점")
    return said.pick(lang) if lang != "both" else f"{said.ko} / {said.en}"


class _Written:
    """A default value shown as the student wrote it (the repr their process reported)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def signature_problem(described: Assignment, function: str, reported: Any) -> Said | None:
    """Why the checks cannot call the student's function at all, or None."""
    if reported is None:
        return Said(f"{function} is not defined in the submission.",
                    f"제출물에 {function} 함수가 정의되어 있지 않습니다.")
    if not isinstance(reported, dict) or not reported.get("callable"):
        kind = reported.get("type", "?") if isinstance(reported, dict) else "?"
        return Said(f"{function} is a {kind}, not a function.",
                    f"제출물의 {function} 이름은 함수가 아니라 {code(kind)} 객체를 가리킵니다.")
    parameters = reported.get("parameters")
    if parameters is None:
        return None
    try:
        signature = inspect.Signature([
            inspect.Parameter(str(p["name"]), _KINDS[p["kind"]],
                              default=_Written(str(p.get("default", "..."))) if p.get("has_default")
                              else inspect.Parameter.empty)
            for p in parameters])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    call = described.function(function)
    positional, keywords = call.positional, call.keywords
    expected = call.call
    try:
        signature.bind(*positional, **{k: 0 for k in keywords})
    except TypeError as exc:
        return Said(f"{function}{signature} cannot be called as {expected}: {exc}. Keep the signature of the stub.",
                    f"제출한 함수 {code(f'{function}{signature}')}: {code(expected)}처럼 호출할 수 없습니다 "
                    f"({code(exc)}). 과제에 주어진 함수의 시그니처(이름, 인자, 기본값)를 그대로 쓰세요.")
    return None


def _fault_said(function: str, kind: str, timeout: float) -> Said:
    if kind == "timeout":
        return Said(f"{function} did not return within {timeout:g} s (an infinite loop?), so it was stopped.",
                    f"{function} 함수가 {timeout:g}초 안에 끝나지 않아 중단했습니다 (무한 루프일 수 있습니다).")
    return Said(f"{function}'s process ended without answering (os._exit, a crash, or too much memory).",
                f"{function} 함수를 실행하던 프로세스가 응답 없이 종료되었습니다 (os._exit, 충돌 또는 메모리 초과).")


def _failed(check: Check, kind: str, said: Said, detail: dict[str, Any] | None = None) -> Outcome:
    return Outcome(check.id, False, 0.0, kind, said.both(), detail or {}, said)


def open_session(process: SubmissionProcess, check: Check) -> CheckSession:
    """A fresh fork of the loaded submission that answers every check of one function."""
    request: dict[str, Any] = {"function": check.function}
    helpers = reference_helpers(check.assignment, check.function)
    if helpers:
        request["reference_helpers"] = helpers
    return process.session(request)


class _Submission:
    """The submission's process while it is graded: loaded when first needed, and loaded again when student
    code or a timeout has ended it. Right after the first load, a child of it answers the plan."""

    def __init__(self, sandbox: Sandbox, request: dict[str, Any], source: source_file.Source, load_timeout: float,
                 result: SubmissionResult, checks: list[Check], use_plan: bool) -> None:
        self.sandbox, self.request, self.source = sandbox, request, source
        self.load_timeout, self.result, self.checks = load_timeout, result, checks
        self.use_plan = use_plan
        self.process: SubmissionProcess | None = None
        self.received = planned.Received()  # what the plan's frames brought

    def loaded(self) -> SubmissionProcess:
        if self.process is not None and self.process.alive:
            return self.process
        first = self.process is None
        if self.process is not None:
            self.result.output += self.process.output.text()
        # Made before the load: the first time, that is while a cold sandbox is still importing torch.
        planning = first and self.use_plan and bool(planned.plan(self.checks[0].assignment)[1])
        self.process = _load(self.sandbox, self.request, self.source, self.load_timeout, self.result)
        if planning and not self.process.report.fault:
            self.received = planned.receive(self.process, self.checks)
        return self.process

    def session(self, check: Check) -> CheckSession | planned.PlannedSession | None:
        """Who answers check.function's checks: its planned answers, else a fresh check child."""
        answers = self.received.answers.get(check.function)
        if answers is not None:
            return planned.PlannedSession(check.function, answers, self.received.ids[check.function],
                                          lambda: self.check_child(check))
        return self.check_child(check)

    def check_child(self, check: Check) -> CheckSession | None:
        """A check child for check.function; if the loaded process is gone (student code killed it in an
        earlier check), the submission is loaded again once. None: it would not start a check twice."""
        for attempt in range(2):
            process = self.loaded()
            try:
                return open_session(process, check)
            except SandboxFault:
                if attempt:
                    return None
        return None


def _not_run(function: str) -> Said:
    return Said(f"Not run: {function} already failed to answer in an earlier check.",
                f"실행하지 않음: 앞선 검사에서 {function} 함수가 응답하지 않았습니다.")


def _serves(session: CheckSession | planned.PlannedSession | None, function: str,
            process: SubmissionProcess | None) -> bool:
    """Whether the session open now answers `function`'s next check."""
    if session is None or session.function != function:
        return False
    return isinstance(session, planned.PlannedSession) or session.owner is process


def _aftermath(check: Check, outcome: Outcome, session: CheckSession | planned.PlannedSession | None,
               process: SubmissionProcess | None) -> tuple[Outcome, Said | None, bool]:
    """What a check left behind decides too: (its outcome, why the function's remaining checks are
    not run or None, whether its check child may serve the next check).

    Nothing a check starts may outlive it: the submission process kills every process it
    started, and a child reporting a thread besides its own is replaced. A function that leaves
    either running, or kills the process that runs the submission, fails.
    """
    fn = check.function
    if outcome.kind in {"timeout", "crash"}:
        return outcome, _not_run(fn), False
    if isinstance(session, planned.PlannedSession) and session.live_calls == 0:
        return outcome, None, True  # answered from the plan: no student code ran during this check
    threads = session is not None and session.threads != 1
    killed = process.sweep() if process is not None else None
    if killed is None:  # the process that runs the submission is gone: student code killed it
        return ended_the_process(check, outcome)
    return left_running(check, outcome, threads, killed)


def ended_the_process(check: Check, outcome: Outcome) -> tuple[Outcome, Said | None, bool]:
    """A check during which student code ended the process that runs the submission fails, and stops its function."""
    fn = check.function
    said = Said(f"{fn} ended the process that runs your code (os.kill?).",
                f"{fn} 함수가 코드를 실행하는 프로세스를 종료했습니다 (os.kill을 썼나요?).")
    stop = Said(f"Not run: {fn} ended the process that runs your code in an earlier check.",
                f"실행하지 않음: 앞선 검사에서 {fn} 함수가 코드를 실행하는 프로세스를 종료했습니다.")
    return (_failed(check, "crash", said) if outcome.passed else outcome), stop, False


def left_running(check: Check, outcome: Outcome, threads: bool, killed: int) -> tuple[Outcome, Said | None, bool]:
    """A check after which student code left a thread or `killed` processes running fails, and stops its function."""
    fn = check.function
    left = ([Said("a thread", "스레드")] if threads else []) + (
        [Said(f"{killed} process{'es' if killed > 1 else ''}", f"프로세스 {killed}개")] if killed else [])
    if not left:
        return outcome, None, True
    en = " and ".join(s.en for s in left)
    ko = " 그리고 ".join(s.ko for s in left) + "가"  # 스레드가, 프로세스 N개가: both end in a vowel
    ko_left = " 그리고 ".join(s.ko for s in left) + "를"
    said = Said(f"{fn} left {en} running after it returned; they were stopped. A function must finish its "
                "work before returning (no background threads or processes).",
                f"{fn} 함수가 반환한 뒤에도 {ko} 계속 실행되어 중단했습니다. 함수는 반환하기 전에 "
                "모든 작업을 끝내야 합니다 (백그라운드 스레드나 프로세스 금지).")
    stop = Said(f"Not run: {fn} left {en} running in an earlier check.",
                f"실행하지 않음: 앞선 검사에서 {fn} 함수가 실행 중인 {ko_left} 남겼습니다.")
    return (_failed(check, "left_running", said) if outcome.passed else outcome), stop, False


def run_check(check: Check, session: CheckSession) -> Outcome:
    session.deadline = time.monotonic() + check.timeout
    trial = Trial.of(check, session)
    failure: BaseException | None = None
    try:
        check.run(trial)
    except Exception as exc:  # noqa: BLE001 - hypothesis may wrap; the session's fault decides first
        failure = exc
    if session.fault:
        return _failed(check, session.fault.kind, _fault_said(check.function, session.fault.kind, check.timeout))
    if failure is None:
        return Outcome(check.id, True, check.points, detail=dict(trial.kept))
    if isinstance(failure, CheckFailed):
        outcome = Outcome.failed(check.id, failure)
        outcome.detail = {**trial.kept, **outcome.detail}
        return outcome
    raise failure  # a bug in the grader: never blame the student for it


def grade_file(path: Path, sandbox: Sandbox, checks: list[Check], *, load_timeout: float = LOAD_TIMEOUT,
               use_plan: bool = True) -> SubmissionResult:
    """`use_plan=False`: every request asked live, one check child per function (the slow way; planned.py)."""
    with phase("grader, other"):
        result = _grade_file(path, sandbox, checks, load_timeout, use_plan)
    flush(path.name)
    return result


def _grade_file(path: Path, sandbox: Sandbox, checks: list[Check], load_timeout: float, use_plan: bool
                ) -> SubmissionResult:
    started = time.monotonic()
    described = load_assignment(checks[0].assignment)
    result = SubmissionResult(path, [], checks, described.name)
    try:
        with phase("read the file"):
            source = source_file.read(path, described.submission_names)
    except source_file.SourceProblem as problem:
        return ungraded(path, checks, Said(problem.en, problem.ko))
    request = {"module_name": source.module_name, "texts": source.texts, "support_files": described.support_texts(),
               "functions": list(described.function_names),
               "cells": [{"filename": c.filename, "source": c.source} for c in source.cells]}
    submission = _Submission(sandbox, request, source, load_timeout, result, checks, use_plan)
    session: CheckSession | planned.PlannedSession | None = None
    report: LoadReport | None = None
    stopped: dict[str, Said] = {}
    try:
        for check in checks:
            if report is not None and report.fault:  # the code never finished loading: nothing to call
                result.outcomes.append(_failed(check, report.fault.kind, result.notes[-1]))
                continue
            if report is None:
                report = submission.loaded().report
                result.notes.extend(_load_notes(source, report))
                if report.fault:
                    result.outcomes.append(_failed(check, report.fault.kind, result.notes[-1]))
                    continue
            problem = signature_problem(described, check.function, report.functions.get(check.function))
            if problem:
                result.outcomes.append(_failed(check, "signature", problem))
            elif check.function in stopped:
                result.outcomes.append(_failed(check, "skipped", stopped[check.function]))
            elif submission.received.ended.get(check.id) in {"timeout", "crash"}:  # while answering the plan
                kind = submission.received.ended[check.id]
                result.outcomes.append(_failed(check, kind, _fault_said(check.function, kind, check.timeout)))
                stopped[check.function] = _not_run(check.function)
            else:
                if not _serves(session, check.function, submission.process):
                    if session is not None:
                        session.close()
                    with phase("fork a check child"):
                        session = submission.session(check)
                with phase("check code"):
                    if isinstance(session, planned.PlannedSession):
                        session.live_calls = 0
                        outcome = session.judge(check, run_check)
                    else:
                        outcome = run_check(check, session) if session else _failed(
                            check, "crash", _fault_said(check.function, "crash", check.timeout))
                with phase("sweep after a check"):
                    ended = submission.received.ended.get(check.id)  # while answering the plan
                    if ended == "left":
                        outcome, stop, keep = left_running(check, outcome, submission.received.left_threads,
                                                           submission.received.left_processes)
                    elif ended == "parent":
                        outcome, stop, keep = ended_the_process(check, outcome)
                    else:
                        outcome, stop, keep = _aftermath(check, outcome, session, submission.process)
                if stop:
                    stopped[check.function] = stop
                if not keep and session is not None:
                    session.close()
                    session = None
                result.outcomes.append(outcome)
    finally:
        if session is not None:
            session.close()
        if submission.process is not None:
            with phase("end the submission"):
                submission.process.kill()
                submission.process.output.join(timeout=2)
            result.output += submission.process.output.text()
    result.seconds = time.monotonic() - started
    return result


def ungraded(path: Path, checks: list[Check], said: Said, kind: str = "unreadable") -> SubmissionResult:
    """A submission with nothing that can be run: every check scores 0, for the one reason given."""
    return SubmissionResult(path, [_failed(c, kind, said) for c in checks], checks, checks[0].assignment, [said])


def _load(sandbox: Sandbox, request: dict[str, Any], source: source_file.Source, timeout: float,
          result: SubmissionResult) -> SubmissionProcess:
    """Load the submission; a cell that hangs or kills its process is skipped, as a dead kernel's
    cell would be re-run without it, so the functions defined elsewhere are still graded."""
    skip: list[int] = request.setdefault("skip", [])
    while True:
        with phase("load: fork and run the cells"):
            process = SubmissionProcess(sandbox, request, timeout)
        fault, cell = process.report.fault, process.report.last_cell
        if not fault or cell is None or cell in skip or len(skip) >= MAX_SKIPPED_CELLS:
            return process
        result.notes.append(skipped_note(source.cells[cell], hung=fault.kind == "timeout"))
        result.output += process.output.text()
        skip.append(cell)


def skipped_note(cell: source_file.Cell, *, hung: bool) -> Said:
    """A cell (or a .py statement) that hung or ended the process was skipped: where it is, and what it did."""
    where = _place(cell)
    en, ko = ("did not finish", "끝나지 않아서") if hung else ("ended the process", "프로세스를 종료해서")
    return Said(f"Running your code: {where.en} {en}; it was skipped and the rest ran without it.",
                f"코드 실행 중: {where.ko} 실행이 {ko} 그 부분만 건너뛰고 나머지를 실행했습니다.")


def _first_line(source: str) -> int:
    return next((i for i, line in enumerate(source.splitlines(), 1) if line.strip()), 1)


def _place(cell: source_file.Cell) -> Said:
    """Where a cell or statement is: "code cell 3" / "3번째 코드 셀(첫 줄 `...`)", or its line in a .py file."""
    if cell.label:
        return Said(cell.label, cell.label_ko or cell.label)
    line = _first_line(cell.source)
    return Said(f"the statement at line {line}", f"{line}번째 줄의 코드({code(cell.first_line)})")


def _load_notes(source: source_file.Source, report: LoadReport) -> list[Said]:
    notes = []
    for error in report.errors:
        index = error.get("cell")
        cell = source.cells[index] if isinstance(index, int) and index < len(source.cells) else None
        label, label_ko = (cell.label, cell.label_ko or cell.label) if cell else ("", "")
        where = error.get("where") or {}
        line = f", line {where['line']}" if where.get("line") else ""
        line_ko = f", {where['line']}번째 줄" if where.get("line") else ""
        place = f"{label}{line}".lstrip(", ") or "top level"
        place_ko = f"{label_ko}{line_ko}".lstrip(", ") or "최상위 코드"
        kind, message = error.get("type", "Exception"), str(error.get("message", ""))[:300]
        notes.append(Said(f"Running your code: {place} raised {kind}: {message}",
                          f"코드 실행 중 예외 발생({place_ko}): {code(f'{kind}: {message}')}"))
    if report.fault:
        cell = report.last_cell
        place = _place(source.cells[cell]) if isinstance(cell, int) and cell < len(source.cells) else None
        at = f" (in {place.en})" if place and source.cells[cell].label else ""
        at_ko = f" ({place.ko})" if place and source.cells[cell].label else ""
        if report.fault.kind == "timeout":
            notes.append(Said(f"Your code did not finish running{at}: {report.fault}. Every check scores 0.",
                              f"코드 실행이 끝나지 않았습니다{at_ko}: {report.fault.ko}. 모든 검사가 0점입니다."))
        else:
            notes.append(Said(f"Your code ended the process while running{at}. Every check scores 0.",
                              f"코드 실행 중 프로세스가 종료되었습니다{at_ko}. 모든 검사가 0점입니다."))
    return notes
