"""A fault of the grader itself costs one submission, said plainly, never the batch; an answer that changes
between two calls on the same input is the student's fault, reported as a failed check, not a crash."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from autograder.trusted import batch
from autograder.trusted.registry import all_checks


def test_a_grader_fault_zeroes_only_that_submission(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from autograder.trusted import grader

    def broken(path: Path, sandbox: object, checks: list) -> object:
        raise KeyError("a bug in the grader")

    monkeypatch.setattr(grader, "grade_file", broken)
    result = batch.grade_safely(tmp_path / "x.py", object(), all_checks("layers"))  # type: ignore[arg-type]
    assert result.score == 0 and {o.kind for o in result.outcomes} == {"grader_error"}
    assert "KeyError" in result.notes[0].en and "채점기" in result.notes[0].ko


def test_uninitialised_memory_is_a_failed_check_not_a_crash(tmp_path: Path) -> None:
    """torch.empty gives other garbage on every call (hypothesis: flaky): the check fails, the batch goes on."""
    flaky = tmp_path / "flaky.py"
    flaky.write_text("import torch\n\n\ndef to_column(values):\n    return torch.empty(len(values), 1)\n")
    done = subprocess.run([sys.executable, "-m", "autograder.cli", "grade", str(flaky), "--assignment", "layers",
                           "--out", str(tmp_path / "out")], capture_output=True, text=True, cwd=REPO, timeout=600)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    result = json.loads((tmp_path / "out" / "flaky.json").read_text(encoding="utf-8"))
    assert result["score"] == 0
