"""Writing verdicts: one Gradescope-schema results JSON per submission, and grades.csv.

The JSON is deterministic: grading the same file twice writes the same bytes except
`execution_time`. The student's captured output goes to a separate `.log` file, never into the
results (it is neither a verdict nor deterministic, and it must not leak hidden inputs).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:  # the batch's main process writes results without importing torch
    from autograder.trusted.grader import SubmissionResult


def results_json(result: SubmissionResult) -> dict[str, Any]:
    tests = []
    for number, (check, outcome) in enumerate(zip(result.checks, result.outcomes), start=1):
        tests.append({
            "name": f"{check.function}: {check.title}",
            "number": str(number),
            "score": outcome.score,
            "max_score": check.points,
            "status": "passed" if outcome.passed else "failed",
            "output": outcome.message,
            "output_format": "text",
            "visibility": "visible" if check.public else "after_published",
            "tags": [check.function],
            "extra_data": {"check": check.id, "kind": outcome.kind, "public": check.public},
        })
    return {
        "score": round(result.score, 6),
        "max_score": round(result.max_score, 6),
        "output": "\n".join(note.both() for note in result.notes),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "execution_time": round(result.seconds, 3),
        "tests": tests,
        "extra_data": {"submission": result.path.name},
    }


def write_result(data: dict[str, Any], out_dir: Path, stem: str, output: str | None = None) -> Path:
    """<stem>.json (and <stem>.log), each replaced atomically: a reader never sees half a file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{stem}.json"
    _replace(target, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    if output is not None:
        _replace(out_dir / f"{stem}.log", output)
    return target


def write_grades(table: pd.DataFrame, out_dir: Path) -> Path:
    target = out_dir / "grades.csv"
    _replace(target, table.to_csv(index=False))
    return target


def _replace(target: Path, text: str) -> None:
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, target)
