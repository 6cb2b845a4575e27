"""The nbgrader course flow on the batch path: `autograder nbgrader autograde --jobs 2` grades every
student's file in warm sandboxes before nbgrader writes gradebook.db and autograded/; the scores are
those of the serial run, the cheat that beats nbgrader still loses, and a run killed with SIGKILL
resumes from our own gradebook without regrading anyone it had finished."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from conftest import AUTOGRADER, REPO, SUBMISSIONS, run_cli
from test_nbgrader import CHEATS, EXPECTED_WRONG, HONEST, POINTS, scores, submit
from test_nbgrader_broken import released_course

STUDENTS = ("correct", "overflow", "no_seed", "sum_not_mean")
CHEAT = "patches_comparisons"


def course_with_students(where: Path) -> Path:
    course = released_course(where)
    for student in STUDENTS:
        submit(course, student, SUBMISSIONS / HONEST[student])
    submit(course, CHEAT, SUBMISSIONS / "demo" / "overflowing_sigmoid.py", after_sigmoid=CHEATS[CHEAT])
    return course


def rows(course: Path) -> dict[str, str]:
    """Our gradebook of the course flow: student -> the results JSON committed for them."""
    path = course / "autograded" / ".autograder" / "homework.sqlite"
    if not path.exists():
        return {}
    with sqlite3.connect(path) as db:
        try:
            return dict(db.execute("SELECT stem, result FROM results").fetchall())
        except sqlite3.OperationalError:  # the table is being created
            return {}


def assert_expected(found: dict[str, dict[str, float | None]]) -> None:
    assert set(found) == {*STUDENTS, CHEAT}
    for student in STUDENTS:
        for function, points in POINTS.items():
            if function == EXPECTED_WRONG[student]:
                assert found[student][function] < points, (student, function)
            else:
                assert found[student][function] == points, (student, function)
    assert found[CHEAT]["sigmoid"] < POINTS["sigmoid"]  # patching torch.allclose changes nothing in the grader
    assert {f: s for f, s in found[CHEAT].items() if f != "sigmoid"} == {
        f: p for f, p in POINTS.items() if f != "sigmoid"}


@pytest.fixture(scope="module")
def with_jobs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, float | None]]:
    course = course_with_students(tmp_path_factory.mktemp("jobs"))
    done = run_cli("nbgrader", "autograde", "homework", "--course", str(course), "--jobs", "2")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "already graded" not in done.stderr
    assert sorted(rows(course)) == sorted([*STUDENTS, CHEAT])
    assert (course / "autograded" / CHEAT / "homework" / "homework.ipynb").is_file()
    return scores(course)


def test_jobs_2_gives_the_expected_scores_and_the_cheat_loses(with_jobs: dict) -> None:
    assert_expected(with_jobs)


def test_killed_with_sigkill_resumes_without_regrading(tmp_path: Path, with_jobs: dict) -> None:
    course = course_with_students(tmp_path)
    args = [*AUTOGRADER, "nbgrader", "autograde", "homework", "--course", str(course)]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    first = subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)  # its own process group: the CLI, its sandbox, nbgrader
    deadline = time.monotonic() + 300
    while not rows(course) and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    before = rows(course)
    assert 1 <= len(before) < len(STUDENTS) + 1, "the run should have been killed partway"

    second = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr[-3000:]
    assert f"({len(before)} already graded from the same files, not regraded)" in second.stderr
    after = rows(course)
    assert sorted(after) == sorted([*STUDENTS, CHEAT])  # every student once
    for student, result in before.items():
        assert after[student] == result  # byte for byte, timing included: not regraded
    found = scores(course)  # every student has a gradebook.db row, none needing a manual grade
    assert found == with_jobs  # serial (resumed) and --jobs 2 agree per function
    assert not list(course.glob("autograder_staging_*"))
