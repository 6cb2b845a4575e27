"""Writing verdicts: one Gradescope-schema results JSON per submission, and grades.csv.

The JSON is deterministic: grading the same file twice writes the same bytes except
`execution_time`. The student's captured output goes to a separate `.log` file, never into the
results (it is neither a verdict nor deterministic, and it must not leak hidden inputs).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograder.trusted.verdict import Outcome

if TYPE_CHECKING:  # the batch's main process writes results without importing torch
    from autograder.trusted.grader import SubmissionResult


def results_json(result: SubmissionResult, lang: str | None = None) -> dict[str, Any]:
    """Gradescope's results.json; `output` in `lang` (default: the assignment's), and every part of
    each explanation in `extra_data.feedback` (both languages) for the feedback files and the class report."""
    if lang is None:
        from autograder.trusted.assignment import load

        lang = load(result.assignment).language
    tests = []
    for number, (check, outcome) in enumerate(zip(result.checks, result.outcomes), start=1):
        tests.append({
            "name": f"{check.function}: {check.heading(lang)}",
            "number": str(number),
            "score": outcome.score,
            "max_score": check.points,
            "status": "passed" if outcome.passed else "failed",
            "output": outcome.text(lang),
            "output_format": "text",
            "visibility": "visible" if check.public else "after_published",
            "tags": [check.function],
            "extra_data": {"check": check.id, "kind": outcome.kind, "public": check.public,
                           "title": check.said_title.as_dict(),
                           "feedback": feedback_parts(outcome)},
        })
    return {
        "score": round(result.score, 6),
        "max_score": round(result.max_score, 6),
        "output": "\n".join(note.pick(lang) for note in result.notes),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "execution_time": round(result.seconds, 3),
        "tests": tests,
        "extra_data": {"assignment": result.assignment, "submission": result.path.name, "lang": lang,
                       "notes": [note.as_dict() for note in result.notes]},
    }


def feedback_parts(outcome: Outcome) -> dict[str, Any]:
    """The explanation's parts as plain data: finding and hint in both languages, what was tried, the numbers."""
    return {"said": outcome.said.as_dict() if outcome.said else None, "tried": outcome.tried,
            "hint": outcome.hint.as_dict() if outcome.hint else None, "detail": jsonable(outcome.detail)}


def jsonable(value: Any) -> Any:
    """Strict JSON (no NaN or Infinity, which Gradescope and browsers reject): non-finite floats as text."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def write_result(data: dict[str, Any], out_dir: Path, stem: str, output: str | None = None) -> Path:
    """<stem>.json (and <stem>.log), each replaced atomically: a reader never sees half a file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{stem}.json"
    _replace(target, json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n")
    if output is not None:
        _replace(out_dir / f"{stem}.log", output)
    return target


def write_grades(rows: list[dict[str, Any]], columns: list[str], out_dir: Path) -> Path:
    """grades.csv, written by the standard library: pandas cost a cold `grade` 0.3 s to import, for one table."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    target = out_dir / "grades.csv"
    _replace(target, text.getvalue())
    return target


def _replace(target: Path, text: str) -> None:
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, target)
