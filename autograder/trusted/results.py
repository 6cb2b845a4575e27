"""Writing verdicts: one Gradescope-schema results JSON per submission, and grades.csv.

The JSON is deterministic: grading the same file twice writes the same bytes except
`execution_time`. The student's captured output goes to a separate `.log` file, never into the
results (it is neither a verdict nor deterministic, and it must not leak hidden inputs).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from autograder.trusted.grader import SubmissionResult
from autograder.trusted.registry import FUNCTIONS


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


def write_result(result: SubmissionResult, out_dir: Path, stem: str) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{stem}.json"
    target.write_text(json.dumps(results_json(result), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out_dir / f"{stem}.log").write_text(result.output, encoding="utf-8")
    return target


def grades_table(rows: list[tuple[str, SubmissionResult]]) -> pd.DataFrame:
    records = []
    for stem, result in rows:
        scores = result.function_scores()
        records.append({"submission": stem, "file": str(result.path), "score": result.score,
                        "max_score": result.max_score, **{f: scores.get(f, 0.0) for f in FUNCTIONS}})
    columns = ["submission", "file", "score", "max_score", *FUNCTIONS]
    return pd.DataFrame.from_records(records, columns=columns)


def write_grades(rows: list[tuple[str, SubmissionResult]], out_dir: Path) -> Path:
    target = out_dir / "grades.csv"
    grades_table(rows).to_csv(target, index=False)
    return target
