"""The batch gradebook: SQLite in the results folder, one atomic commit per submission.

A row per submission stem holds the content hash of the file it graded (and of the grader that
graded it) and the whole results JSON. A batch that is killed and started again skips every
submission whose row matches the file as it is now, so nothing is graded twice, lost or
duplicated; `grades.csv` is exported from here.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from autograder.trusted.assignment import Assignment

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    stem       TEXT PRIMARY KEY,
    path       TEXT NOT NULL,
    sha256     TEXT NOT NULL,   -- of the submission's bytes and of the grader (see fingerprint)
    score      REAL NOT NULL,
    max_score  REAL NOT NULL,
    functions  TEXT NOT NULL,   -- JSON: function -> points
    result     TEXT NOT NULL    -- the results JSON, as written to <stem>.json
)"""

_ENGINE_FILES = ("channel.py", "trusted", "untrusted")


def fingerprint(assignment: Assignment) -> str:
    """A hash of what decides verdicts: the engine, and the assignment's trusted folder and data.
    Change a check, the reference or the data, and that assignment's submissions regrade."""
    engine = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(assignment.name.encode() + b"\0")
    for name in _ENGINE_FILES:
        path = engine / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.relative_to(engine).as_posix().encode() + b"\0" + file.read_bytes())
    for file in assignment.files():
        digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def content_hash(path: Path, grader: str) -> str:
    return hashlib.sha256(grader.encode() + b"\0" + path.read_bytes()).hexdigest()


class Gradebook:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)  # explicit transactions below
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute(SCHEMA)

    def finished(self, stem: str, sha256: str) -> dict[str, Any] | None:
        """The stored result if this stem was graded from exactly these bytes, else None."""
        row = self.db.execute("SELECT result FROM results WHERE stem = ? AND sha256 = ?", (stem, sha256)).fetchone()
        return json.loads(row[0]) if row else None

    def record(self, stem: str, path: Path, sha256: str, result: dict[str, Any],
               functions: dict[str, float]) -> None:
        """One atomic commit: the submission's row is there whole, or not at all."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (stem, str(path), sha256, result["score"], result["max_score"],
                             json.dumps(functions, sort_keys=True), json.dumps(result, ensure_ascii=False)))

    @staticmethod
    def columns(functions: tuple[str, ...]) -> list[str]:
        """grades.csv's columns, in order (see `table`)."""
        return ["submission", "student", "file", "score", "max_score", *functions]

    def table(self, functions: tuple[str, ...], stems: list[str] | None = None) -> list[dict[str, Any]]:
        """grades.csv's rows (in `stems`' order, else by stem): submission (the results file's name), student
        (nbgrader's student id, or the file's stem), file, score, max_score and each function's points."""
        found = {stem: (path, score, max_score, json.loads(points), json.loads(result)) for stem, path, score,
                 max_score, points, result in self.db.execute(
                     "SELECT stem, path, score, max_score, functions, result FROM results ORDER BY stem")}
        rows = []
        for stem in (found if stems is None else [s for s in stems if s in found]):
            path, score, max_score, points, result = found[stem]
            student = (result.get("extra_data") or {}).get("student") or Path(path).stem
            rows.append({"submission": stem, "student": student, "file": path, "score": float(score),
                         "max_score": float(max_score), **{f: float(points.get(f, 0.0)) for f in functions}})
        return rows

    def close(self) -> None:
        self.db.close()
