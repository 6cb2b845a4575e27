"""Loading a submission in the sandbox the way a student expects: Jupyter-style leniency for
cells and top-level statements, the public data module at hand, output captured once, and a
submission that never finishes loading stopped with a message that names the cell."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from conftest import REPO

from autograder.trusted.grader import grade_file
from autograder.trusted.registry import all_checks
from autograder.trusted.sandbox import Sandbox

REFERENCE = (REPO / "solutions" / "homework" / "reference.py").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as box:
        yield box


def full_marks(result, function: str) -> bool:
    return all(o.passed for c, o in zip(result.checks, result.outcomes) if c.function == function)


def test_a_failing_top_level_statement_costs_only_itself(sandbox: Sandbox, tmp_path: Path) -> None:
    stray = "from data import regression_data\nx, y = regression_data()\nprint(undefined_name)\n\n\n"
    body = REFERENCE.replace("def build_X(", stray + "def build_X(", 1)
    line = body.splitlines().index("print(undefined_name)") + 1
    path = tmp_path / "homework.py"
    path.write_text(body, encoding="utf-8")
    result = grade_file(path, sandbox, all_checks("homework"))
    assert result.score == result.max_score
    assert [n.en for n in result.notes] == [
        f"Running your code: line {line} raised NameError: name 'undefined_name' is not defined"]


def test_a_notebook_with_magics_and_a_failing_cell_is_graded_like_jupyter(sandbox: Sandbox, tmp_path: Path) -> None:
    cells = ["%matplotlib inline\nimport torch\nimport matplotlib.pyplot as plt",
             "torch.nn.Linear?", "!pip install torch", "raise RuntimeError('exploring')",
             "%%time\n" + REFERENCE, "plt.plot([1, 2], [3, 4]); plt.show()", "print('loaded once')"]
    path = tmp_path / "homework.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]), path)
    result = grade_file(path, sandbox, all_checks("homework"))
    assert result.score == result.max_score
    assert [n.en for n in result.notes] == ["Running your code: code cell 4, line 1 raised RuntimeError: exploring"]
    assert result.output.count("loaded once") == 1


@pytest.mark.parametrize("killer", ["while True:\n    pass", "import os\nos._exit(0)", "import signal, os\n"
                                    "os.kill(os.getpid(), signal.SIGKILL)"])
def test_a_cell_that_hangs_or_kills_the_process_is_skipped(sandbox: Sandbox, tmp_path: Path, killer: str) -> None:
    """As after a dead kernel: the rest of the notebook runs, its functions are graded."""
    path = tmp_path / "homework.ipynb"
    cells = ["import torch", killer, REFERENCE, "print('ran after it')"]
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]), path)
    result = grade_file(path, sandbox, all_checks("homework"), load_timeout=3)
    assert result.score == result.max_score
    assert "code cell 2" in " ".join(n.en for n in result.notes)
    assert "ran after it" in result.output


def test_code_that_keeps_hanging_is_stopped_and_named(sandbox: Sandbox, tmp_path: Path) -> None:
    path = tmp_path / "homework.ipynb"
    cells = [REFERENCE] + ["while True:\n    pass"] * 3
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]), path)
    result = grade_file(path, sandbox, all_checks("homework"), load_timeout=2)
    assert result.score == 0
    assert all(o.kind == "timeout" for o in result.outcomes)
    assert "did not finish running (in code cell 4)" in result.notes[-1].en


def test_missing_and_misdeclared_functions_lose_only_their_own_points(sandbox: Sandbox, tmp_path: Path) -> None:
    body = REFERENCE.replace("def sigmoid(u: torch.Tensor)", "def sigmoid(u: torch.Tensor, v)", 1)
    body = body.replace("def bce_loss(", "def bce_loss_renamed(", 1)
    path = tmp_path / "homework.py"
    path.write_text(body, encoding="utf-8")
    result = grade_file(path, sandbox, all_checks("homework"))
    by_function = {c.function: o for c, o in zip(result.checks, result.outcomes)}
    assert "bce_loss is not defined" in by_function["bce_loss"].message
    assert "cannot be called as sigmoid(u)" in by_function["sigmoid"].message
    for function in ("build_X", "update", "train_logistic", "train_linear"):
        assert full_marks(result, function)
