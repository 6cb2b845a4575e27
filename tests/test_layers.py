"""The second assignment, `layers`, through everything the homework goes through: a batch with
--jobs (correct styles, single-function mistakes, the released stubs, the reference), resume,
feedback pages (no plots: it has none), the class report, `check`, `check()` in a real kernel, its
own Gradescope zip, and hostile submissions aimed at its reference."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, Batch, make_course, run_cli
from test_nbgrader import nbgrader, scores, submit
from test_notebook_check import run_notebook

from autograder.trusted.assignment import load
from autograder.trusted.registry import all_checks

LAYERS = load("layers")
CORPUS = REPO / "tests" / "submissions" / "layers"
EXPECTED: dict[str, dict[str, Any]] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
HOSTILE = {  # stem -> the function it attacks, which alone must score 0
    "reads_the_reference": ("to_column", "from pathlib import Path\n\n\ndef to_column(values):\n"
                            "    import solutions.layers.reference as r\n    return r.to_column(values)\n"),
    "always_equal_result": ("mse_loss", "class Yes:\n    def __eq__(self, other):\n        return True\n\n"
                            "    __hash__ = None\n\n\ndef mse_loss(yhat, y):\n    return Yes()\n"),
    "exits_in_fit": ("fit", "import os\n\n\ndef fit(net, inputs, y, *, lr=0.1, epochs=30):\n    os._exit(0)\n"),
}


def _hostile(stem: str, function: str, attack: str, folder: Path) -> Path:
    """The correct demo file with one function replaced by an attack."""
    import ast

    source = (CORPUS / "demo" / "correct.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    kept = [ast.get_source_segment(source, n) for n in tree.body
            if not (isinstance(n, ast.FunctionDef) and n.name == function)]
    path = folder / f"{stem}.py"
    path.write_text("\n\n\n".join(s for s in kept if s) + "\n\n\n" + attack, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    here = tmp_path_factory.mktemp("layers-inputs")
    reference = here / "reference.py"
    shutil.copy(LAYERS.trusted / "reference.py", reference)
    files = [reference, LAYERS.public / "layers.py", *(CORPUS / path for path in sorted(EXPECTED))]
    files += [_hostile(stem, function, attack, here) for stem, (function, attack) in HOSTILE.items()]
    out = tmp_path_factory.mktemp("layers")
    running = subprocess.run([sys.executable, "-m", "autograder.cli", "grade", *map(str, files), "--assignment",
                              "layers", "--jobs", "2", "--out", str(out)], capture_output=True, text=True, cwd=REPO,
                             timeout=1500)
    assert running.returncode == 0, running.stderr[-3000:]
    graded = Batch.__new__(Batch)
    graded.out, graded.process = out, running
    return graded


def test_reference_full_marks_and_stubs_zero(batch: Batch) -> None:
    reference, stubs = batch.result("reference"), batch.result("layers")
    assert reference["score"] == reference["max_score"] > 0, [t["output"] for t in reference["tests"]
                                                             if t["status"] != "passed"]
    assert stubs["score"] == 0 and reference["extra_data"]["assignment"] == "layers"


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_each_file_loses_points_on_exactly_its_function(batch: Batch, path: str) -> None:
    scores = batch.function_scores(Path(path).stem)
    assert set(scores) == set(LAYERS.function_names)
    for function, (got, most) in scores.items():
        if function in EXPECTED[path]["wrong"]:
            assert got < most, f"{path}: {function} should lose points"
        else:
            assert got == most, f"{path}: {function} should keep full marks, got {got}/{most}"


@pytest.mark.parametrize("stem", sorted(HOSTILE))
def test_an_attack_costs_only_its_function(batch: Batch, stem: str) -> None:
    attacked = HOSTILE[stem][0]
    for function, (got, most) in batch.function_scores(stem).items():
        assert (got == 0) if function == attacked else (got == most), (stem, function, got, most)


def test_grades_csv_has_the_assignments_columns(batch: Batch) -> None:
    import pandas as pd

    grades = pd.read_csv(batch.out / "grades.csv")
    assert list(grades.columns) == ["submission", "student", "file", "score", "max_score", *LAYERS.function_names]


def test_a_second_run_resumes_everything(batch: Batch) -> None:
    files = sorted(batch.process.args[4:batch.process.args.index("--assignment")])
    again = run_cli("grade", *files, "--assignment", "layers", "--jobs", "2", "--out", str(batch.out))
    assert again.returncode == 0 and f"({len(files)} already graded" in again.stderr


def test_feedback_pages_and_the_report(batch: Batch, tmp_path: Path) -> None:
    done = run_cli("feedback", str(batch.out), "--out", str(tmp_path / "feedback"))
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "feedback" / "mse_sum.html").read_text(encoding="utf-8")
    assert "mse_loss" in page and 'id="plots"' not in page  # layers draws no pictures, not the homework's
    assert not list((tmp_path / "feedback").glob("*.png"))
    done = run_cli("report", str(batch.out), "--out", str(tmp_path / "report"))
    assert done.returncode == 0, done.stderr
    checks = (tmp_path / "report" / "checks.csv").read_text(encoding="utf-8")
    assert all(c.startswith("layers/") for c in (line.split(",")[0] for line in checks.splitlines()[1:]))


def test_check_infers_the_assignment_from_the_file_name(tmp_path: Path) -> None:
    mine = tmp_path / "layers.py"
    shutil.copy(CORPUS / "demo" / "correct.py", mine)
    done = run_cli("check", str(mine))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "to_column" in done.stdout and "fit" in done.stdout


def test_check_in_a_kernel_knows_its_assignment() -> None:
    code = (CORPUS / "mistakes" / "mse_sum.py").read_text(encoding="utf-8")
    notebook = run_notebook(code, "from autograder import check\nreport = check(lang='en')\n"
                                  "print(report.data['extra_data']['assignment'], report.passed)")
    assert notebook.cells[1].outputs[0]["text"].split() == ["layers", "False"]


def test_its_own_gradescope_zip(tmp_path: Path) -> None:
    built = tmp_path / "autograder.zip"
    done = run_cli("gradescope", "--assignment", "layers", "--out", str(built))
    assert done.returncode == 0, done.stderr
    root = tmp_path / "autograder"
    with zipfile.ZipFile(built) as archive:
        names = archive.namelist()
        assert "solutions/layers/reference.py" in names and "assignments/layers/data.py" in names
        assert not any(n.startswith(("solutions/homework", "assignments/homework")) for n in names)
        archive.extractall(root / "source")
        (root / "source" / "run_autograder").chmod(0o755)
    (root / "submission").mkdir()
    (root / "results").mkdir()
    shutil.copy(CORPUS / "mistakes" / "mse_sum.py", root / "submission" / "layers.py")
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    ran = subprocess.run([str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True,
                         timeout=600)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    failed = {t["tags"][0] for t in results["tests"] if t["status"] == "failed"}
    assert failed == {"mse_loss"} and results["extra_data"]["assignment"] == "layers"


def test_nbgrader_both_ways_agree_on_honest_work(tmp_path: Path) -> None:
    """Plain `nbgrader autograde layers` (the checks in the kernel) and ours (the sandbox): the same points."""
    course = make_course(tmp_path)
    students = {"correct": "demo/correct.py", "no_zero_grad": "demo/no_zero_grad.py",
                "mse_sum": "mistakes/mse_sum.py"}
    for student, path in students.items():
        submit(course, student, CORPUS / path, assignment="layers")
    nbgrader(course, "autograde", "layers", "--force", "--create")
    in_kernel = scores(course, "layers")
    done = run_cli("nbgrader", "autograde", "layers", "--course", str(course))
    assert done.returncode == 0, done.stderr[-3000:]
    in_sandbox = scores(course, "layers")
    assert in_kernel == in_sandbox
    points = {f: sum(c.points for c in all_checks("layers") if c.function == f) for f in LAYERS.function_names}
    assert in_sandbox["correct"] == points
    assert in_sandbox["mse_sum"]["mse_loss"] < points["mse_loss"] and in_sandbox["mse_sum"]["fit"] == points["fit"]
