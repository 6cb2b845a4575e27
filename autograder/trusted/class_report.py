"""The class summary for instructors: `autograder report DIR` over the results a batch wrote.

pandas does the counting: the score histogram, each check's pass rate, and the most common
failure reasons (the pitfall a hint named, else the kind of failure) with how many submissions
hit each. Written as CSV files and one self-contained HTML page (inline PNG, every name escaped).
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

REASONS = {  # what a pitfall tag or failure kind means, for the instructor
    "sum_not_mean": "sum instead of mean (n× too large)", "sign": "sign error", "log_zero": "NaN/inf from log(0)",
    "grad_not_cleared": "grad not cleared",
    "seed": "no manual_seed(seed), or seeded after creating the layer", "seed_42": "a constant seed, not the argument",
    "lr_ignored": "lr / alpha ignored",
    "epochs_ignored": "epochs ignored", "seed_ignored": "seed argument ignored", "epochs": "off-by-one epochs",
    "long_vs_float": "Long (int64) instead of float", "float64": "float64 instead of float32",
    "cast_to_float32": "cast to float32 (input dtype not kept)", "column_vs_vector": "(n,) vs (n,1)",
    "not_scalar": "shape (1,) instead of a 0-dim tensor", "broadcast": "(n,1) with (n,) broadcast to (n,n)",
    "values": "wrong values", "nan": "NaN or inf", "dtype": "wrong dtype", "shape": "wrong shape",
    "error": "raised an exception", "not_implemented": "not implemented", "not_tensor": "not a tensor",
    "mutated": "modified its input", "no_grad": "no gradient flows", "timeout": "timed out", "crash": "crashed",
    "signature": "missing or wrong signature", "unreadable": "file could not be read", "skipped": "not run",
    "not_leaf": "parameter no longer a leaf",
    "zero_gradient": "gradient exactly 0 where it should not be (abs at 0?)",
    "grader_error": "the grader itself failed (a bug to report), nothing judged",
    "unreliable": "different answers for the same input",
    "result_first": "side-effect check not counted: the result was wrong",
}  # an assignment adds the meaning of its own tags in its assignment.toml ([reasons])


class ReportProblem(Exception):
    """The folder holds no results to summarise (said plainly, never a traceback)."""


def load(results_dir: Path, assignment: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """(submissions: one row each with score, checks: one row per submission and check, the assignment).

    One assignment per report: `assignment`, or the one all results name."""
    submissions, checks, named = [], [], set()
    for path in sorted(results_dir.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if not isinstance(data, dict) or not isinstance(data.get("tests"), list):
            continue  # not a results file
        of = str((data.get("extra_data") or {}).get("assignment", ""))
        if assignment is not None and of != assignment:
            continue
        named.add(of)
        student = str((data.get("extra_data") or {}).get("student") or path.stem)
        submissions.append({"submission": path.stem, "student": student, "score": float(data.get("score", 0)),
                            "max_score": float(data.get("max_score", 0))})
        for test in data["tests"]:
            extra = test.get("extra_data") or {}
            detail = (extra.get("feedback") or {}).get("detail") or {}
            kind = str(extra.get("kind", "failed"))
            reason = str(detail.get("pitfall") or kind)
            checks.append({"submission": path.stem, "check": str(extra.get("check", test.get("name"))),
                           "function": ", ".join(map(str, test.get("tags", []))),
                           "passed": test.get("status") == "passed", "reason": reason})
    if not submissions:
        of = f" of {assignment}" if assignment else ""
        raise ReportProblem(f"{results_dir}: no results{of} (<stem>.json from `autograder grade`) in this folder")
    if len(named) > 1:
        raise ReportProblem(f"{results_dir}: results of several assignments ({', '.join(sorted(named))}); "
                            "add --assignment NAME")
    return pd.DataFrame(submissions), pd.DataFrame(checks), named.pop()


def meanings(assignment: str) -> dict[str, str]:
    """The engine's failure kinds and pitfall tags, and the assignment's own."""
    from autograder.trusted.assignment import AssignmentProblem
    from autograder.trusted.assignment import load as load_assignment

    try:
        return {**REASONS, **load_assignment(assignment).reasons}
    except AssignmentProblem:
        return dict(REASONS)


def summarise(results_dir: Path, assignment: str | None = None) -> dict[str, pd.DataFrame]:
    submissions, checks, assignment = load(results_dir, assignment)
    pass_rates = (checks.groupby("check", sort=False)
                  .agg(function=("function", "first"), submissions=("passed", "size"), passed=("passed", "sum"))
                  .reset_index())
    pass_rates["pass_rate"] = (pass_rates["passed"] / pass_rates["submissions"]).round(3)
    failed = checks[~checks["passed"]]
    reasons = (failed.groupby(["function", "reason"]).agg(count=("submission", "nunique"),
                                                         checks=("check", "size"))
               .reset_index().sort_values(["count", "checks", "function", "reason"],
                                          ascending=[False, False, True, True], kind="stable"))
    reasons.insert(2, "meaning", reasons["reason"].map(meanings(assignment)).fillna(""))
    return {"scores": submissions.sort_values("submission", kind="stable"), "checks": pass_rates,
            "reasons": reasons.reset_index(drop=True)}


def histogram_png(scores: pd.DataFrame) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    most = float(scores["max_score"].max()) or 1.0
    figure, axes = plt.subplots(figsize=(7, 3.2), dpi=100)
    axes.hist(scores["score"], bins=min(20, max(5, len(scores))), range=(0, most), color="#1f6feb",
              edgecolor="white")
    axes.set_xlabel(f"score (of {most:g})")
    axes.set_ylabel("submissions")
    axes.set_title(f"{len(scores)} submissions, mean {scores['score'].mean():.1f}, median "
                   f"{scores['score'].median():g}")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def write_report(results_dir: Path, out_dir: Path, assignment: str | None = None) -> list[Path]:
    """report.html, scores.csv, checks.csv (pass rates), reasons.csv (failure reasons with counts)."""
    tables = summarise(results_dir, assignment)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        path = out_dir / f"{name}.csv"
        path.write_text(table.to_csv(index=False), encoding="utf-8")
        written.append(path)
    png = histogram_png(tables["scores"])
    page = out_dir / "report.html"
    page.write_text(_page(tables, png), encoding="utf-8")
    return [page, *written]


def _table(frame: pd.DataFrame, table_id: str) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f'<table id="{table_id}"><tr>{head}</tr>{rows}</table>'


def _cell(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _page(tables: dict[str, pd.DataFrame], png: bytes) -> str:
    scores = tables["scores"]
    style = ("body{font-family:'DejaVu Sans',sans-serif;margin:2em auto;max-width:60em;color:#1f2328}"
             "table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #d0d7de;padding:.3em .6em;"
             "text-align:left}th{background:#f6f8fa}img{max-width:100%}")
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', '<head><meta charset="utf-8"><title>Class report</title>',
        f"<style>{style}</style></head>", "<body>", "<h1>Class report</h1>",
        f"<p>{len(scores)} submissions; mean score {scores['score'].mean():.2f} of "
        f"{scores['max_score'].max():g}.</p>",
        "<h2>Scores</h2>", f'<img id="histogram" alt="score histogram" src="data:image/png;base64,'
        f'{base64.b64encode(png).decode("ascii")}">',
        "<h2>Most common failure reasons</h2>",
        "<p>count: submissions with that reason; checks: failed checks it caused.</p>",
        _table(tables["reasons"], "reasons"),
        "<h2>Pass rate per check</h2>", _table(tables["checks"], "checks"),
        "<h2>Submissions</h2>", _table(scores, "scores"), "</body>", "</html>", ""])
