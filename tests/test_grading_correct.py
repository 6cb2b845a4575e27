"""The reference and correct submissions in other styles get full marks; the released stubs get
zero; results follow Gradescope's schema; grading twice gives the same bytes but for timing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import FUNCTIONS, REPO, SUBMISSIONS, Batch, assert_graded_as_expected, entries, make_course

CASES = entries("correct")
STUB_MODULE = REPO / "assignments" / "homework" / "homework.py"


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    here = tmp_path_factory.mktemp("inputs")
    reference = here / "reference.py"
    shutil.copy(REPO / "solutions" / "homework" / "reference.py", reference)
    stubs_nb = here / "stubs_notebook.ipynb"  # the notebook students receive: nbgrader's release
    shutil.copy(make_course(tmp_path_factory.mktemp("course")) / "release" / "homework" / "homework.ipynb", stubs_nb)
    files = [reference, STUB_MODULE, stubs_nb, *(SUBMISSIONS / path for path, _ in CASES)]
    return Batch(files, tmp_path_factory.mktemp("correct"))


def test_reference_passes_every_check(batch: Batch) -> None:
    result = batch.result("reference")
    failed = [t["name"] + ": " + t["output"] for t in result["tests"] if t["status"] != "passed"]
    assert not failed
    assert result["score"] == result["max_score"] > 0


@pytest.mark.parametrize("stem", ["homework", "stubs_notebook"])
def test_released_stubs_get_zero(batch: Batch, stem: str) -> None:
    result = batch.result(stem)
    assert result["score"] == 0
    assert all(t["status"] == "failed" for t in result["tests"])
    assert any("NotImplementedError" in t["output"] for t in result["tests"])


@pytest.mark.parametrize(("path", "spec"), CASES, ids=[p for p, _ in CASES])
def test_correct_in_other_styles_gets_full_marks(batch: Batch, path: str, spec: dict) -> None:
    assert_graded_as_expected(batch, Path(path).stem, spec["wrong"])


def test_results_follow_the_gradescope_schema(batch: Batch) -> None:
    for file in batch.out.glob("*.json"):
        result = json.loads(file.read_text(encoding="utf-8"))
        assert {"score", "max_score", "tests", "output", "visibility", "execution_time"} <= set(result)
        for test in result["tests"]:
            assert {"name", "score", "max_score", "status", "output", "visibility", "tags"} <= set(test)
            assert test["status"] in {"passed", "failed"}
            assert test["visibility"] in {"visible", "hidden", "after_due_date", "after_published"}
            assert len(test["tags"]) == 1 and test["tags"][0] in FUNCTIONS


def test_grades_csv_has_a_row_per_submission(batch: Batch) -> None:
    grades = pd.read_csv(batch.out / "grades.csv")
    assert list(grades.columns) == ["submission", "student", "file", "score", "max_score", *FUNCTIONS]
    assert sorted(grades["submission"]) == sorted(f.stem for f in batch.out.glob("*.json"))
    row = grades.set_index("submission").loc["reference"]
    assert row["score"] == row["max_score"] == sum(row[f] for f in FUNCTIONS)


def test_grading_twice_gives_identical_results(tmp_path: Path) -> None:
    """Two separate runs (fresh sandbox each) write the same results, timing fields aside."""
    files = [SUBMISSIONS / "demo" / "correct_notebook.ipynb", SUBMISSIONS / "demo" / "overflowing_sigmoid.py",
             SUBMISSIONS / "demo" / "no_seed.py"]
    first, second = Batch(files, tmp_path / "first"), Batch(files, tmp_path / "second")
    for file in files:
        a, b = first.result(file.stem), second.result(file.stem)
        a.pop("execution_time"), b.pop("execution_time")
        assert a == b
    assert (tmp_path / "first" / "grades.csv").read_bytes() == (tmp_path / "second" / "grades.csv").read_bytes()
