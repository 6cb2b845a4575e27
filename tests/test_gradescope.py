"""Gradescope: the zip `autograder gradescope` builds, unpacked into a simulated /autograder tree,
grades a submission with its own run_autograder and writes results.json in Gradescope's schema."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import SUBMISSIONS, run_cli

VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """/autograder with source/ unpacked from the built zip, as Gradescope lays it out."""
    root = tmp_path_factory.mktemp("gradescope") / "autograder"
    built = root.parent / "autograder.zip"
    done = run_cli("gradescope", "--assignment", "homework", "--out", str(built))
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(built) as archive:
        names = archive.namelist()
        assert {"setup.sh", "run_autograder", "pyproject.toml", "solutions/homework/reference.py",
                "solutions/homework/assignment.toml", "assignments/homework/data.py", "autograder/cli.py"} <= set(names)
        assert not any(n.startswith("tests/") or "__pycache__" in n for n in names)
        # the engine and this assignment only: no other assignment's reference, checks or files
        assert not any(n.startswith(("solutions/layers", "assignments/layers")) for n in names)
        assert "--assignment homework" in archive.read("run_autograder").decode()
        archive.extractall(root / "source")
        for name in ("setup.sh", "run_autograder"):
            mode = archive.getinfo(name).external_attr >> 16
            assert mode & 0o111, f"{name} must be executable"
            (root / "source" / name).chmod(mode)
    return root


def run_autograder(root: Path, submission: Path) -> dict:
    (root / "submission").mkdir()
    (root / "results").mkdir()
    shutil.copy(submission, root / "submission" / submission.name)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    done = subprocess.run([str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def test_run_autograder_writes_results_json_with_visibility(tree: Path) -> None:
    results = run_autograder(tree, SUBMISSIONS / "demo" / "sum_instead_of_mean.py")
    assert isinstance(results["score"], float) and results["score"] < results["max_score"]
    assert results["score"] == sum(t["score"] for t in results["tests"])
    assert {t["visibility"] for t in results["tests"]} <= VISIBILITIES
    public = {t["extra_data"]["public"] for t in results["tests"]}
    assert public == {True, False}
    for test in results["tests"]:
        assert test["visibility"] == ("visible" if test["extra_data"]["public"] else "after_published")
        assert test["status"] in {"passed", "failed"} and set(test) >= {"name", "score", "max_score", "output"}
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert failed and all(t["tags"] == ["bce_loss"] for t in failed)
    assert any("times too large" in t["output"] for t in failed)


def test_an_empty_submission_folder_scores_zero_with_a_reason(tmp_path: Path) -> None:
    from autograder.trusted.gradescope import run

    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "notes.txt").write_text("not code")
    results = json.loads(run(tmp_path, "homework", "both").read_text(encoding="utf-8"))
    assert results["score"] == 0 and "homework.py" in results["output"] and "notes" not in results["output"]
    assert all(t["status"] == "failed" for t in results["tests"]) and len(results["tests"]) > 0
