"""nbgrader, for real, on the submissions a class actually hands in: a truncated or empty notebook, only the
.py, both, a deleted answer cell, a renamed notebook, an empty folder. `autograder nbgrader autograde`
gives every one a gradebook row, a score and a reason nbgrader's own `export` and `generate_feedback`
show, exits 0, and grades the student's own file, never the master copy."""

from __future__ import annotations

import hashlib
import html
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import FUNCTIONS, REPO, SUBMISSIONS, fill_answers, run_cli
from test_nbgrader import POINTS, nbgrader, scores

CORRECT = SUBMISSIONS / "demo" / "correct.py"
BUGGY = SUBMISSIONS / "demo" / "overflowing_sigmoid.py"  # only sigmoid is wrong
FULL = sum(POINTS.values())


def released_course(where: Path) -> Path:
    """This repository's course with the homework released (the layers assignment is not needed here)."""
    course = where / "course"
    course.mkdir()
    shutil.copy(REPO / "nbgrader_config.py", course)
    for folder in ("assignments", "solutions"):
        shutil.copytree(REPO / folder, course / folder, ignore=shutil.ignore_patterns("__pycache__"))
    done = run_cli("release", "homework", "--course", str(course))
    assert done.returncode == 0, done.stderr[-3000:]
    return course


def notebook(course: Path, answers: Path, *, without: str | None = None, schema: int | None = None) -> str:
    filled = fill_answers(nbformat.read(course / "release" / "homework" / "homework.ipynb", as_version=4), answers)
    filled.cells = [c for c in filled.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") != without]
    for cell in filled.cells:
        if schema is not None and "nbgrader" in cell.get("metadata", {}):
            cell.metadata.nbgrader["schema_version"] = schema  # a notebook nbgrader refuses to convert
    return nbformat.writes(filled)


def folder(course: Path, student: str) -> Path:
    target = course / "submitted" / student / "homework"
    target.mkdir(parents=True, exist_ok=True)
    return target


def digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    course = released_course(tmp_path_factory.mktemp("broken"))
    (folder(course, "good") / "homework.ipynb").write_text(notebook(course, CORRECT), encoding="utf-8")
    (folder(course, "broken") / "homework.ipynb").write_text('{"cells": [', encoding="utf-8")
    (folder(course, "broken") / "timestamp.txt").write_text("2026-03-02 10:00:00.000000 UTC", encoding="utf-8")
    (folder(course, "empty") / "homework.ipynb").write_bytes(b"")
    shutil.copy(CORRECT, folder(course, "pyonly") / "homework.py")
    shutil.copy(BUGGY, folder(course, "pyonly_bug") / "homework.py")
    both = folder(course, "both")
    (both / "homework.ipynb").write_text(notebook(course, CORRECT), encoding="utf-8")
    shutil.copy(BUGGY, both / "homework.py")  # ignored: the notebook is graded
    (folder(course, "missing_cell") / "homework.ipynb").write_text(notebook(course, CORRECT, without="sigmoid"),
                                                                   encoding="utf-8")
    (folder(course, "renamed") / "my_homework.ipynb").write_text(notebook(course, CORRECT), encoding="utf-8")
    folder(course, "nofile")
    (folder(course, "future_schema") / "homework.ipynb").write_text(notebook(course, CORRECT, schema=99),
                                                                    encoding="utf-8")
    before = digests(course / "submitted")
    done = run_cli("nbgrader", "autograde", "homework", "--course", str(course))
    return {"course": course, "done": done, "before": before, "scores": scores(course)}


STUDENTS = ("good", "broken", "empty", "pyonly", "pyonly_bug", "both", "missing_cell", "renamed", "nofile",
            "future_schema")


def test_exit_status_zero_and_the_class_table(graded: dict) -> None:
    done = graded["done"]
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr and "NotJSONError" not in done.stderr
    table = done.stdout
    for student in STUDENTS:
        assert student in table
    assert f"{FULL:g}/{FULL:g}" in table and f"0/{FULL:g}" in table and "Graded from homework.py" in table


def test_every_student_has_a_gradebook_row_with_a_score(graded: dict) -> None:
    found = graded["scores"]  # `scores` also asserts that no grade needs a manual grade
    assert set(found) == set(STUDENTS)
    assert all(set(by_function) == set(FUNCTIONS) for by_function in found.values())
    assert all(score is not None for by_function in found.values() for score in by_function.values())


@pytest.mark.parametrize(("student", "expected"), [
    ("good", FULL), ("pyonly", FULL), ("both", FULL), ("renamed", FULL), ("future_schema", FULL),
    ("broken", 0), ("empty", 0), ("nofile", 0)])
def test_scores(graded: dict, student: str, expected: float) -> None:
    assert sum(graded["scores"][student].values()) == expected


@pytest.mark.parametrize("student", ["pyonly_bug", "missing_cell"])
def test_the_students_own_code_is_graded_one_function_loses(graded: dict, student: str) -> None:
    found = graded["scores"][student]
    assert found["sigmoid"] < POINTS["sigmoid"]
    assert {f: s for f, s in found.items() if f != "sigmoid"} == {f: p for f, p in POINTS.items() if f != "sigmoid"}


def test_submitted_files_are_untouched_and_kept_beside_what_was_graded(graded: dict) -> None:
    course = graded["course"]
    assert digests(course / "submitted") == graded["before"]
    autograded = course / "autograded"
    assert (autograded / "pyonly_bug" / "homework" / "homework.py").read_bytes() == BUGGY.read_bytes()
    assert (autograded / "both" / "homework" / "homework.py").read_bytes() == BUGGY.read_bytes()
    assert (autograded / "broken" / "homework" / "as_submitted" / "homework.ipynb").read_text() == '{"cells": ['
    assert (autograded / "renamed" / "homework" / "as_submitted" / "my_homework.ipynb").is_file()
    assert not list(course.glob("autograder_staging_*"))


def test_export_lists_everyone(graded: dict) -> None:
    course = graded["course"]
    nbgrader(course, "export")
    grades = pd.read_csv(course / "grades.csv").set_index("student_id")
    assert set(STUDENTS) <= set(grades.index)
    for student, by_function in graded["scores"].items():
        assert grades.loc[student, "raw_score"] == pytest.approx(sum(by_function.values()))


REASONS = {
    "broken": ["homework.ipynb: not a notebook (invalid JSON", "노트북 파일이 아닙니다",
               "submit homework.ipynb again (or your completed homework.py)"],
    "empty": ["homework.ipynb: the file is empty (0 bytes)", "파일이 비어 있어"],
    "nofile": ["No homework.ipynb or homework.py was submitted (found: nothing)", "파일이 제출되지 않아"],
    "pyonly": ["Graded from homework.py", "homework.py 파일을 같은 검사로 채점했습니다"],
    "both": ["Not graded: homework.py", "채점하지 않은 파일: homework.py"],
    "renamed": ["Graded my_homework.ipynb", "my_homework.ipynb 파일을 채점했습니다"],
    "missing_cell": ["sigmoid is not defined in the submission"],
    "future_schema": ["nbgrader could not process homework.ipynb", "파일을 직접 채점했습니다"],
}


def test_feedback_shows_every_student_a_score_and_a_reason(graded: dict) -> None:
    course = graded["course"]
    nbgrader(course, "generate_feedback", "homework")
    for student in STUDENTS:
        page = html.unescape((course / "feedback" / student / "homework" / "homework.html").read_text("utf-8"))
        total = sum(graded["scores"][student].values())
        assert f"Score: {total:.1f} / {FULL:.1f}" in page, student
        for reason in REASONS.get(student, []):
            assert reason in page, (student, reason)
        assert "Traceback (most recent call last)" not in page


def test_one_student_again_and_a_student_who_is_not_there(graded: dict) -> None:
    course = graded["course"]
    again = run_cli("nbgrader", "autograde", "homework", "--course", str(course), "--student", "broken")
    assert again.returncode == 0, again.stderr[-3000:]
    assert "broken" in again.stdout and "pyonly" not in again.stdout
    assert scores(course) == graded["scores"]
    nobody = run_cli("nbgrader", "autograde", "homework", "--course", str(course), "--student", "nobody")
    assert nobody.returncode == 2
    assert "no submission folder submitted/nobody/homework/" in nobody.stderr
    assert "Traceback" not in nobody.stderr
