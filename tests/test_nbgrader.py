"""nbgrader, for real: release, submit, autograde both ways (nbgrader's kernel and our sandbox),
export and feedback. Both ways agree on honest work; only the sandbox way survives the cheats
that beat nbgrader, and it grades notebooks whose test cells were deleted or whose kernel died."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import FUNCTIONS, SUBMISSIONS, fill_answers, make_course, run_cli

from autograder.trusted.registry import all_checks

POINTS = {f: sum(c.points for c in all_checks("homework") if c.function == f) for f in FUNCTIONS}
HONEST = {"correct": "demo/correct.py", "ones_second": "demo/ones_column_second.py",
          "overflow": "demo/overflowing_sigmoid.py", "no_seed": "demo/no_seed.py",
          "rebinding": "demo/rebinding_update.py", "sum_not_mean": "demo/sum_instead_of_mean.py"}
EXPECTED_WRONG = {"correct": None, "ones_second": "build_X", "overflow": "sigmoid", "no_seed": "train_logistic",
                  "rebinding": "update", "sum_not_mean": "bce_loss"}

CHEATS = {
    "patches_comparisons": """import numpy, torch
torch.allclose = lambda *a, **k: True
torch.equal = lambda *a, **k: True
torch.isclose = lambda a, b, *x, **k: torch.ones_like(torch.as_tensor(a), dtype=torch.bool)
torch.testing.assert_close = lambda *a, **k: None
numpy.allclose = lambda *a, **k: True""",
    "input_transformer": """get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])""",
    "steals_the_source": """import glob, json
for path in glob.glob("../../../assignments/*/*.ipynb") + glob.glob("/work/*/assignments/*/*.ipynb"):
    for cell in json.load(open(path))["cells"]:
        text = "".join(cell["source"])
        if "def sigmoid" in text:
            exec(text, globals())""",
    "writes_the_gradebook": """import glob, sqlite3
for db in glob.glob("../../../gradebook.db") + glob.glob("/tmp/*/course/gradebook.db"):
    con = sqlite3.connect(db)
    con.execute("UPDATE grade SET auto_score = 1000")
    con.commit()""",
}


def submit(course: Path, student: str, answers: Path, *, after_sigmoid: str = "", edit=None,
           assignment: str = "homework") -> None:
    """A student's notebook: the release with its answer cells filled in, as a student would."""
    released = course / "release" / assignment / f"{assignment}.ipynb"
    notebook = fill_answers(nbformat.read(released, as_version=4), answers)
    cells = []
    for cell in notebook.cells:
        cells.append(cell)
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "sigmoid" and after_sigmoid:
            cells.append(nbformat.v4.new_code_cell(after_sigmoid))
    notebook.cells = [c for c in (edit(c) if edit else c for c in cells) if c is not None]
    target = course / "submitted" / student / assignment
    target.mkdir(parents=True)
    nbformat.write(notebook, target / f"{assignment}.ipynb")


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def scores(course: Path, assignment: str = "homework") -> dict[str, dict[str, float | None]]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        found = {}
        for submission in gradebook.assignment_submissions(assignment):
            grades = submission.notebooks[0].grades
            found[submission.student.id] = {g.name.removeprefix("test_"): g.auto_score for g in grades}
            assert not [g.name for g in grades if g.needs_manual_grade], submission.student.id
        return found


def autograde_in_sandbox(course: Path) -> None:
    done = run_cli("nbgrader", "autograde", "homework", "--course", str(course))
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="module")
def honest(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    course = make_course(tmp_path_factory.mktemp("honest"))
    for student, path in HONEST.items():
        submit(course, student, SUBMISSIONS / path)
    nbgrader(course, "autograde", "homework", "--force", "--create")
    in_kernel = scores(course)
    autograde_in_sandbox(course)
    return course, in_kernel, scores(course)


def test_the_release_has_no_solution_and_no_hidden_test(honest: tuple[Path, dict, dict]) -> None:
    course, _, _ = honest
    released = (course / "release" / "homework" / "homework.ipynb").read_text(encoding="utf-8")
    for leak in ("BEGIN SOLUTION", "HIDDEN TESTS", "autograder.in_kernel", "positive = u >= 0"):
        assert leak not in released
    answers = [c.source for c in nbformat.reads(released, as_version=4).cells
               if c.get("metadata", {}).get("nbgrader", {}).get("solution")]
    assert len(answers) == len(FUNCTIONS)
    assert all(a.endswith("    # YOUR CODE HERE\n    raise NotImplementedError()") for a in answers)
    assert not (course / "release" / "homework" / "make_notebook.py").exists()


@pytest.mark.parametrize("student", list(HONEST))
def test_both_ways_agree_per_function_on_honest_work(honest: tuple[Path, dict, dict], student: str) -> None:
    _, in_kernel, in_sandbox = honest
    assert in_kernel[student] == in_sandbox[student]
    for function, points in POINTS.items():
        if function == EXPECTED_WRONG[student]:
            assert in_sandbox[student][function] < points
        else:
            assert in_sandbox[student][function] == points, (student, function)


def test_export_and_feedback_keep_working(honest: tuple[Path, dict, dict]) -> None:
    course, _, in_sandbox = honest
    nbgrader(course, "export")
    grades = pd.read_csv(course / "grades.csv")
    grades = grades[grades["assignment"] == "homework"].set_index("student_id")  # one row per assignment released
    for student, by_function in in_sandbox.items():
        assert grades.loc[student, "raw_score"] == pytest.approx(sum(by_function.values()))
    nbgrader(course, "generate_feedback", "homework")
    feedback = (course / "feedback" / "overflow" / "homework" / "homework.html").read_text(encoding="utf-8")
    assert "sigmoid: 7점 / 7 points" in feedback and "FAILED / 실패" in feedback
    assert "u = tensor(" not in feedback.split("sigmoid: 7점 / 7 points")[1].split("bce_loss")[0]  # hidden inputs


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    course = make_course(tmp_path_factory.mktemp("hostile"))
    wrong_sigmoid = SUBMISSIONS / "demo" / "overflowing_sigmoid.py"
    submit(course, "correct", SUBMISSIONS / "demo" / "correct.py")
    for student, cheat in CHEATS.items():
        submit(course, student, wrong_sigmoid, after_sigmoid=cheat)

    def no_tests(cell):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        return None if meta.get("grade") and not meta.get("solution") else cell

    def edited_tests(cell):
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "test_sigmoid":
            cell.source = "11"
        return cell

    submit(course, "deletes_tests", SUBMISSIONS / "demo" / "correct.py", edit=no_tests)
    submit(course, "edits_tests", wrong_sigmoid, edit=edited_tests)
    submit(course, "kills_kernel", SUBMISSIONS / "demo" / "correct.py",
           after_sigmoid="import os\nos._exit(0)")
    autograde_in_sandbox(course)
    return course, scores(course)


@pytest.mark.parametrize("student", [*CHEATS, "edits_tests"])
def test_cheats_that_beat_nbgrader_lose_their_points(hostile: tuple[Path, dict], student: str) -> None:
    _, found = hostile
    assert found[student]["sigmoid"] < POINTS["sigmoid"]
    assert {f: s for f, s in found[student].items() if f != "sigmoid"} == {
        f: p for f, p in POINTS.items() if f != "sigmoid"}


@pytest.mark.parametrize("student", ["correct", "deletes_tests", "kills_kernel"])
def test_honest_code_keeps_full_marks_beside_the_cheats(hostile: tuple[Path, dict], student: str) -> None:
    _, found = hostile
    assert found[student] == POINTS


def test_the_gradebook_only_holds_what_the_grader_wrote(hostile: tuple[Path, dict]) -> None:
    _, found = hostile
    assert all(score <= POINTS[f] for by_function in found.values() for f, score in by_function.items())
