"""`autograder grade` on nbgrader's layout keys results by student and takes the assignment from the path;
a flat folder keeps its file stems."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
from conftest import SUBMISSIONS, run_cli

from autograder.trusted import layout


def _submitted(root: Path, files: dict[str, Path], assignment: str = "homework") -> Path:
    submitted = root / "submitted"
    for student, source in files.items():
        folder = submitted / student / assignment
        folder.mkdir(parents=True)
        shutil.copy(source, folder / f"{assignment}{source.suffix}")
        (folder / "data.py").write_text("# the released data module, handed back\n")
    return submitted


def test_layout_picks_each_students_submission(tmp_path: Path) -> None:
    submitted = _submitted(tmp_path, {"kim": SUBMISSIONS / "demo" / "correct.py",
                                      "lee": SUBMISSIONS / "demo" / "correct_notebook.ipynb"})
    (submitted / "park" / "homework").mkdir(parents=True)  # collected, but empty
    (submitted / "choi" / "layers").mkdir(parents=True)
    (submitted / "choi" / "layers" / "layers.py").write_text("pass\n")
    found, problems = layout.collect([str(submitted)], "homework")
    assert not problems
    assert layout.layout_assignments(found) == {"homework"}
    resolved, missing = layout.resolve(found, ("homework.ipynb", "homework.py"))
    assert [(f.student, f.path.name) for f in resolved] == [("kim", "homework.py"), ("lee", "homework.ipynb")]
    assert missing == [f"{submitted / 'park' / 'homework'}: no submission file for student park"]
    assert layout.unique_stems(resolved) == ["kim", "lee"]
    everything, _ = layout.collect([str(submitted)])
    assert layout.layout_assignments(everything) == {"homework", "layers"}


def test_a_flat_folder_keeps_stems(tmp_path: Path) -> None:
    for name in ("a.py", "b.ipynb", "notes.txt"):
        (tmp_path / name).write_text("")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "a.py").write_text("")
    found, problems = layout.collect([str(tmp_path), str(tmp_path / "other" / "a.py")])
    assert not problems
    assert layout.unique_stems(found) == ["a", "b", "notes", "a-2"]
    assert [layout.student_of(f) for f in found] == ["a", "b", "notes", "a"]


def test_grade_keys_a_collected_course_by_student(tmp_path: Path) -> None:
    submitted = _submitted(tmp_path, {"kim": SUBMISSIONS / "demo" / "correct.py",
                                      "lee": SUBMISSIONS / "demo" / "no_seed.py"})
    flat = tmp_path / "late"
    flat.mkdir()
    shutil.copy(SUBMISSIONS / "demo" / "ones_column_second.py", flat / "park_late.py")
    out = tmp_path / "out"
    done = run_cli("grade", str(submitted), str(flat), "--out", str(out))  # no --assignment: the path names it
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(p.name for p in out.glob("*.json")) == ["kim.json", "lee.json", "park_late.json"]
    kim = json.loads((out / "kim.json").read_text(encoding="utf-8"))
    assert kim["extra_data"]["student"] == "kim" and kim["extra_data"]["assignment"] == "homework"
    assert kim["score"] == kim["max_score"]
    grades = pd.read_csv(out / "grades.csv")
    assert list(grades.columns[:3]) == ["submission", "student", "file"]
    assert grades.set_index("student").loc["lee", "file"].endswith("lee/homework/homework.py")
    assert sorted(grades["student"]) == ["kim", "lee", "park_late"]
    report = run_cli("report", str(out))
    assert report.returncode == 0, report.stderr
    scores = pd.read_csv(out / "report" / "scores.csv")
    assert sorted(scores["student"]) == ["kim", "lee", "park_late"]
    assert "<th>student</th>" in (out / "report" / "report.html").read_text(encoding="utf-8")
