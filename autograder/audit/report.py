"""The audit, for people: a terminal table, a Markdown report and a CSV with one row per mutant."""

from __future__ import annotations

import csv
from pathlib import Path

from rich.console import Console
from rich.table import Table

from autograder.audit.run import THRESHOLD, Audit, Verdict


def _functions(audit: Audit) -> list[str]:
    present = {v.mutant.function for v in audit.verdicts}
    return [f for f in audit.assignment.function_names if f in present]


def _counts(audit: Audit, function: str | None) -> tuple[int, int, int, int]:
    """(mutants, killed, equivalent, survived)."""
    verdicts = [v for v in audit.verdicts if function in (None, v.mutant.function)]
    statuses = [v.status for v in verdicts]
    return len(verdicts), statuses.count("killed"), statuses.count("equivalent"), statuses.count("survived")


def summary(audit: Audit, threshold: float = THRESHOLD) -> str:
    total, killed, equivalent, survived = _counts(audit, None)
    verdict = "passes" if audit.score() >= threshold else "FAILS"
    raising = sum(1 for v in audit.verdicts if v.only_raises)
    return (f"mutation score {audit.score():.1%}: the checks catch {killed} of {total - equivalent} non-equivalent "
            f"mutants ({raising} of them only by raising an exception; {equivalent} equivalent mutants not counted; "
            f"{survived} survived, {len(audit.unexplained)} unexplained); {verdict} the {threshold:.0%} threshold; "
            f"{audit.seconds:.0f} s")


def _why(verdict: Verdict) -> str:
    explanation = verdict.explanation
    return explanation.why if explanation else f"UNEXPLAINED ({verdict.differs})" if verdict.differs else "UNEXPLAINED"


def print_report(audit: Audit, console: Console, threshold: float = THRESHOLD) -> None:
    table = Table(title="mutation audit of the checks", show_footer=True)
    total = _counts(audit, None)
    for i, name in enumerate(("function", "mutants", "killed", "equivalent", "survived", "score")):
        footer = "all" if i == 0 else f"{audit.score():.1%}" if i == 5 else str(total[i - 1])
        table.add_column(name, footer=footer, justify="left" if i == 0 else "right")
    for function in _functions(audit):
        counts = _counts(audit, function)
        table.add_row(function, *map(str, counts), f"{audit.score(function):.1%}")
    console.print(table)
    if audit.survivors:
        survivors = Table(title="surviving mutants", show_lines=True)
        for name in ("mutant", "line", "change", "why it may survive"):
            survivors.add_column(name, overflow="fold")
        for v in audit.survivors:
            why = _why(v)
            survivors.add_row(v.mutant.id, str(v.mutant.line), v.mutant.change,
                              why if v.explanation else f"[red]{why}[/red]")
        console.print(survivors)
    for stale in audit.stale:
        console.print(f"[yellow]stale explanation:[/yellow] {stale} no longer names the edit it explains",
                      soft_wrap=True)
    console.print(summary(audit, threshold), soft_wrap=True)


def markdown(audit: Audit, threshold: float = THRESHOLD) -> str:
    lines = ["# Mutation audit of the checks", "",
             f"Each mutant is one small edit of one function of the reference (`solutions/{audit.assignment.name}/"
             "reference.py`), graded "
             "as a submission by the normal grader. A mutant is *killed* when some check of its function fails, "
             "*equivalent* when it gives the reference's results on a much larger sample (not counted).", "",
             summary(audit, threshold) + ".", "",
             "| function | mutants | killed | equivalent | survived | score |", "|---|--:|--:|--:|--:|--:|"]
    for function in _functions(audit):
        lines.append(f"| {function} | " + " | ".join(map(str, _counts(audit, function)))
                     + f" | {audit.score(function):.1%} |")
    lines.append("| **all** | " + " | ".join(map(str, _counts(audit, None))) + f" | **{audit.score():.1%}** |")
    lines += ["", "## Surviving mutants", ""]
    if audit.survivors:
        lines += ["| mutant | line | change | why it may survive |", "|---|--:|---|---|"]
        lines += [f"| `{v.mutant.id}` | {v.mutant.line} | {_cell(v.mutant.change)} | {_cell(_why(v))} |"
                  for v in audit.survivors]
    else:
        lines.append("None.")
    lines += ["", "## Checks", "", "What each check catches; *only it* counts the mutants no other check catches "
              "(what deleting the check would let through).", "",
              "| check | points | kills | only it |", "|---|--:|--:|---|"]
    for check in audit.checks:
        only = ", ".join(f"`{v.mutant.id}`" for v in audit.only_killer(check.id))
        lines.append(f"| `{check.id}` | {check.points:g} | {len(audit.kills(check.id))} | {only} |")
    lines += ["", "## Every mutant", "", "| mutant | line | change | status | killed by (how) |",
              "|---|--:|---|---|---|"]
    for v in audit.verdicts:
        killers = ", ".join(f"{c.split('.', 1)[1]} ({k})" for c, k in zip(v.killed_by, v.kinds))
        lines.append(f"| `{v.mutant.id}` | {v.mutant.line} | {_cell(v.mutant.change)} | {v.status} | {killers} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_csv(audit: Audit, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["mutant", "function", "operator", "index", "line", "change", "status", "killed_by",
                         "failure_kinds", "explanation"])
        for v in audit.verdicts:
            m = v.mutant
            writer.writerow([m.id, m.function, m.operator, m.index, m.line, m.change, v.status, ";".join(v.killed_by),
                             ";".join(v.kinds), v.explanation.why if v.explanation else ""])


def write_reports(audit: Audit, out: Path, threshold: float = THRESHOLD) -> list[Path]:
    """out/audit.md and out/audit.csv."""
    out.mkdir(parents=True, exist_ok=True)
    report, table = out / "audit.md", out / "audit.csv"
    report.write_text(markdown(audit, threshold), encoding="utf-8")
    write_csv(audit, table)
    return [report, table]
