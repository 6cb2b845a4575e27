"""The fast path (autograder/trusted/planned.py) gives the verdicts the slow way gives, and is taken.

Each submission is graded twice in one warm sandbox: with the plan (the checks' requests answered in
one go right after loading) and without it (every request live, a check child per function). The
results must be identical, on correct answers, mistakes, submissions that crash, leave processes
running or change global state in one function, and on a hang in one function.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autograder.trusted import sandbox as sandbox_module
from autograder.trusted.grader import SubmissionResult, grade_file
from autograder.trusted.registry import all_checks
from autograder.trusted.sandbox import Sandbox

CORPUS = Path(__file__).parent / "submissions"
FILES = {
    "homework": ["correct/where_hstack.py", "correct/colab_redefined_sigmoid.ipynb", "mistakes/sigmoid_overflow.py",
                 "mistakes/bce_sum_not_mean.py",
                 "mistakes/logistic_no_zero_grad.py", "mistakes/build_X_modifies_input.py",
                 "mistakes/linear_hardcoded_alpha.py", "hostile/os_exit.py", "hostile/outlive_processes.py",
                 "hostile/patch_tensor_ops.py", "hostile/sys_exit.py", "hostile/nan_inf.py"],
    "layers": ["correct/branches_state_dict.py", "mistakes/fit_no_zero_grad.py",
               "mistakes/to_column_from_numpy_shares.py", "mistakes/mse_assert_not_valueerror.py"],
}
# A function that changes what the next one sees: the fast path must notice and grade the rest afresh.
POLLUTER = '''
import torch


def build_X(x):
    torch.set_default_dtype(torch.float64)  # left changed for every later call
    x = x.reshape(-1, 1)
    return torch.cat([torch.ones(x.shape[0], 1, dtype=x.dtype), x], dim=1)
'''
# One function that hangs on one input: the same check times out either way, the rest is graded.
HANG = '''
def sigmoid(u):
    if u.dtype == torch.float64 and u.numel() > 1:
        while True:
            pass
    e = torch.exp(torch.where(u >= 0, -u, u))
    return torch.where(u >= 0, 1 / (1 + e), e / (1 + e))
'''


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    with Sandbox() as box:
        yield box


def _both(sandbox: Sandbox, path: Path, assignment: str) -> tuple[SubmissionResult, SubmissionResult]:
    checks = all_checks(assignment)
    return (grade_file(path, sandbox, checks, use_plan=True), grade_file(path, sandbox, checks, use_plan=False))


def _verdicts(result: SubmissionResult) -> list[tuple[str, bool, float, str, str]]:
    """Each check's verdict; how many processes a check left running races with their own forks, so not the count."""
    def plain(message: str) -> str:
        return re.sub(r"프로세스 \d+개", "프로세스 N개", re.sub(r"\d+ process(es)?", "N processes", message))
    return [(o.check_id, o.passed, o.score, o.kind, plain(o.message)) for o in result.outcomes]


@pytest.mark.parametrize(("assignment", "name"), [(a, n) for a in FILES for n in FILES[a]])
def test_the_plan_gives_the_verdicts_of_the_slow_way(sandbox: Sandbox, assignment: str, name: str) -> None:
    path = CORPUS / assignment / name
    assert path.is_file(), path  # else both ways would agree on "unreadable"
    fast, slow = _both(sandbox, path, assignment)
    assert _verdicts(fast) == _verdicts(slow)
    assert [n.en for n in fast.notes] == [n.en for n in slow.notes]


def _correct_with(function_source: str, tmp_path: Path) -> Path:
    """The correct homework with one function replaced."""
    text = (CORPUS / "homework" / "correct" / "where_hstack.py").read_text(encoding="utf-8")
    path = tmp_path / "homework.py"
    path.write_text(text + "\n" + function_source, encoding="utf-8")
    return path


def test_a_function_that_changes_global_state_does_not_change_the_next_functions_verdicts(
        sandbox: Sandbox, tmp_path: Path) -> None:
    fast, slow = _both(sandbox, _correct_with(POLLUTER, tmp_path), "homework")
    assert _verdicts(fast) == _verdicts(slow)
    assert fast.function_scores()["sigmoid"] == slow.function_scores()["sigmoid"] > 0


def test_a_hang_in_one_check_times_out_that_check_alone(sandbox: Sandbox, tmp_path: Path) -> None:
    fast, slow = _both(sandbox, _correct_with("import torch\n" + HANG, tmp_path), "homework")
    assert _verdicts(fast) == _verdicts(slow)
    kinds = {o.kind for o in fast.outcomes if o.check_id.startswith("homework/sigmoid.")}
    assert "timeout" in kinds
    assert fast.function_scores()["bce_loss"] > 0


def test_a_correct_submission_needs_no_live_call(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    real = sandbox_module.SubmissionProcess.session

    def counting(self: sandbox_module.SubmissionProcess, request: dict | bytes, function: str = ""
                 ) -> sandbox_module.CheckSession:
        opened.append(function or request["function"])
        return real(self, request, function)

    monkeypatch.setattr(sandbox_module.SubmissionProcess, "session", counting)
    result = grade_file(CORPUS / "homework" / "correct" / "where_hstack.py", sandbox, all_checks("homework"))
    assert result.score == result.max_score
    assert opened == ["the plan"]
    opened.clear()
    grade_file(CORPUS / "homework" / "correct" / "where_hstack.py", sandbox, all_checks("homework"), use_plan=False)
    assert len(opened) == len({c.function for c in all_checks("homework")})


def test_a_failing_public_check_stops_shrinking_at_its_budget(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    """Shrinking costs hypothesis a fresh draw per candidate: past the budget the run ends, with the simplest
    failure found so far, instead of the shrinker trying hundreds more that count as passing."""
    from hypothesis.internal.conjecture import engine

    from autograder.trusted import trial

    cases: list[int] = []
    real = engine.ConjectureRunner.test_function

    def counting(self: engine.ConjectureRunner, data: object) -> None:
        cases.append(id(self))
        return real(self, data)

    monkeypatch.setattr(engine.ConjectureRunner, "test_function", counting)
    checks = all_checks("homework")
    result = grade_file(CORPUS / "homework" / "mistakes" / "update_single_tensor_only.py", sandbox, checks)
    runs = {run: cases.count(run) for run in cases}
    assert runs, "no public check of update failed and shrank: the file no longer tests this"
    # each run: the examples up to the first failure (at most max_examples), then the budget, then one to stop
    assert max(runs.values()) <= trial.GRADING.max_examples + trial.SHRINK_BUDGET + 1, runs
    failed = [o for c, o in zip(checks, result.outcomes) if c.public and c.function == "update" and not o.passed]
    assert failed and all(o.tried for o in failed)  # each says what it was called with


def test_the_same_answers_get_the_same_verdict_without_judging_them_again(
        sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A check is a pure function of the answers it reads, so a grading process remembers its verdict on those
    bytes: a submission whose answers are the same gets it without the check running again; one whose answers
    differ in one function has that function's checks judged afresh, and nothing remembered differs from what a
    fresh judge says."""
    from autograder.trusted import grader, planned

    monkeypatch.setattr(planned, "_verdicts", {})
    judged: list[str] = []
    real = grader.run_check

    def counting(check: object, session: object) -> object:
        judged.append(check.id)  # type: ignore[attr-defined]
        return real(check, session)  # type: ignore[arg-type]

    monkeypatch.setattr(grader, "run_check", counting)
    checks = all_checks("homework")
    correct = CORPUS / "homework" / "correct" / "where_hstack.py"
    first = grade_file(correct, sandbox, checks)
    assert len(judged) == len(checks)
    again = tmp_path / "again.py"
    again.write_text(correct.read_text(encoding="utf-8"), encoding="utf-8")
    judged.clear()
    assert _verdicts(grade_file(again, sandbox, checks)) == _verdicts(first)
    assert judged == []
    one_wrong = _correct_with("import torch\n\n\ndef sigmoid(u):\n    return torch.sigmoid(u) + 1e-3\n", tmp_path)
    mixed = grade_file(one_wrong, sandbox, checks)
    assert judged and {check_id.split(".")[0] for check_id in judged} == {"homework/sigmoid"}
    assert mixed.function_scores()["sigmoid"] < first.function_scores()["sigmoid"]
    monkeypatch.setattr(planned, "_verdicts", {})
    assert _verdicts(grade_file(one_wrong, sandbox, checks)) == _verdicts(mixed)


def test_a_remembered_verdict_that_read_live_answers_stands_only_if_they_are_the_same_again(
        sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A failing public check shrinks with live calls. Met again on the same planned answers, its verdict is
    taken only after those calls, made again at once in a fresh child, answer the same bytes (no hypothesis
    run); when one answers differently, the check is judged afresh, and says what a fresh judge says."""
    from hypothesis.internal.conjecture import engine

    from autograder.trusted import planned

    monkeypatch.setattr(planned, "_verdicts", {})
    searches: list[int] = []
    real_test = engine.ConjectureRunner.test_function
    monkeypatch.setattr(engine.ConjectureRunner, "test_function",
                        lambda self, data: searches.append(1) or real_test(self, data))
    checks = all_checks("homework")
    mistaken = CORPUS / "homework" / "mistakes" / "update_single_tensor_only.py"
    first = grade_file(mistaken, sandbox, checks)
    live = {key: entry for key, entry in planned._verdicts.items() if entry[2]}
    assert live, "no remembered verdict read live answers: the file no longer tests this"
    searched_first = len(searches)
    confirmed: list[bool] = []
    real_confirmed = planned.PlannedSession._confirmed

    def spying(self: planned.PlannedSession, check: object, calls: tuple) -> bool:
        confirmed.append(real_confirmed(self, check, calls))  # type: ignore[arg-type]
        return confirmed[-1]

    monkeypatch.setattr(planned.PlannedSession, "_confirmed", spying)
    again = tmp_path / "again.py"
    again.write_text(mistaken.read_text(encoding="utf-8"), encoding="utf-8")
    searches.clear()
    assert _verdicts(grade_file(again, sandbox, checks)) == _verdicts(first)
    assert True in confirmed and len(searches) < searched_first
    searched_again = len(searches)

    for key, (outcome, lengths, calls) in live.items():  # as if the first live answer had been other bytes
        (request, _), *rest = calls
        planned._verdicts[key] = (outcome, lengths, ((request, b"other bytes"), *rest))
    confirmed.clear()
    searches.clear()
    assert _verdicts(grade_file(again, sandbox, checks)) == _verdicts(first)
    assert False in confirmed and len(searches) > searched_again


def test_a_batchs_workers_share_what_they_remember(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    """A verdict one worker remembers reaches another through the batch's shared file (shared_verdicts.py): a
    worker that has judged nothing yet gives a submission with the same answers the same verdicts without the
    check code running, a verdict that read live answers included (confirmed as in the test above)."""
    from autograder.trusted import grader, planned
    from autograder.trusted.shared_verdicts import SharedVerdicts

    judged: list[str] = []
    real = grader.run_check
    monkeypatch.setattr(grader, "run_check", lambda check, session: judged.append(check.id) or real(check, session))
    checks = all_checks("homework")
    mistaken = CORPUS / "homework" / "mistakes" / "update_single_tensor_only.py"
    first_worker, second_worker = SharedVerdicts(tmp_path), SharedVerdicts(tmp_path)
    try:
        monkeypatch.setattr(planned, "_verdicts", {})
        planned.share_verdicts(first_worker)
        first = grade_file(mistaken, sandbox, checks)
        assert len(judged) == len(checks)
        assert any(entry[2] for entry in planned._verdicts.values()), "nothing read live answers: not tested"
        monkeypatch.setattr(planned, "_verdicts", {})  # the other worker: its own memo is empty
        planned.share_verdicts(second_worker)
        judged.clear()
        again = tmp_path / "again.py"
        again.write_text(mistaken.read_text(encoding="utf-8"), encoding="utf-8")
        assert _verdicts(grade_file(again, sandbox, checks)) == _verdicts(first)
        assert judged == []
        monkeypatch.setattr(planned, "_verdicts", {})
        planned.share_verdicts(None)  # and none of it differs from what a fresh judge says
        assert _verdicts(grade_file(again, sandbox, checks)) == _verdicts(first)
        assert len(judged) == len(checks)
    finally:
        planned.share_verdicts(None)
        first_worker.close()
        second_worker.close()
