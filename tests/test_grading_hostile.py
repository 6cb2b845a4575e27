"""Hostile and broken submissions: the attacked function scores zero, the other functions and a
correct submission graded in the same batch are unaffected, nothing of the sandbox outlives the
batch, and unreadable files get a clear message instead of a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SUBMISSIONS, Batch, assert_graded_as_expected, entries

from autograder.trusted.launch import SANDBOX_UID_BASE

CASES = entries("hostile", "broken")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    here = tmp_path_factory.mktemp("inputs")
    first, last = here / "correct_first.py", here / "correct_last.py"
    shutil.copy(SUBMISSIONS / "demo" / "correct.py", first)
    shutil.copy(SUBMISSIONS / "demo" / "correct.py", last)
    files = [first, *(SUBMISSIONS / path for path, _ in CASES), last]
    return Batch(files, tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize(("path", "spec"), CASES, ids=[p for p, _ in CASES])
def test_only_the_attacked_function_loses(batch: Batch, path: str, spec: dict) -> None:
    assert_graded_as_expected(batch, Path(path).stem, spec["wrong"])


@pytest.mark.parametrize("stem", ["correct_first", "correct_last"])
def test_a_correct_submission_in_the_same_batch_keeps_full_marks(batch: Batch, stem: str) -> None:
    result = batch.result(stem)
    assert result["score"] == result["max_score"]


def test_unreadable_files_say_why_without_a_traceback(batch: Batch) -> None:
    for path, spec in CASES:
        if not spec.get("load_error"):
            continue
        result = batch.result(Path(path).stem)
        assert result["score"] == 0
        assert Path(path).name in result["output"] or "syntax" in result["output"].lower(), result["output"]
        assert "Traceback" not in result["output"]
    assert "Traceback" not in batch.process.stderr


def test_no_sandbox_process_outlives_the_batch(batch: Batch) -> None:
    label = f"--for-grader-{batch.process_pid}"
    listing = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    assert label not in listing, listing


@pytest.mark.skipif(os.geteuid() != 0, reason="the sandbox drops to its own uid only when the grader is root")
def test_no_process_of_the_sandbox_uid_is_left(batch: Batch) -> None:
    """Whatever student code started, even an exec'd program that no longer carries our label."""
    uid = SANDBOX_UID_BASE + batch.process_pid
    listing = subprocess.run(["ps", "-eo", "uid,pid,args"], capture_output=True, text=True).stdout
    assert not [line for line in listing.splitlines()[1:] if int(line.split()[0]) == uid], listing


def test_fake_results_written_by_student_code_do_not_reach_the_results(batch: Batch) -> None:
    result = batch.result("fake_results")
    assert result["score"] < result["max_score"]
    assert sorted(p.name for p in batch.out.iterdir()) == sorted(
        [f"{s}.json" for s in _stems(batch)] + [f"{s}.log" for s in _stems(batch)] + ["grades.csv", "gradebook.sqlite"])


def _stems(batch: Batch) -> list[str]:
    return [p.stem for p in batch.out.glob("*.json")]
