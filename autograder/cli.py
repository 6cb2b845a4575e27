"""`autograder grade PATH... --out DIR` for graders, `autograder check PATH` for students, `autograder assignments`,
`release`, `notebook` and `audit` for instructors. Every command takes the assignment (`--assignment NAME`), or
infers it from the files, or because the course has only one."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")  # the grader forks nothing, but stays lean on 2 cores

from rich.console import Console  # noqa: E402
from rich.markup import escape  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn  # noqa: E402
from rich.table import Table  # noqa: E402

from autograder.trusted import assignment as assignments  # noqa: E402

EXIT_USAGE = 2


def _choose(args: argparse.Namespace, files: list[Path] = ()) -> assignments.Assignment | None:  # type: ignore[assignment]
    """The command's assignment (named, inferred, or the only one); None after saying why not."""
    try:
        chosen = assignments.choose(getattr(args, "assignment", None), list(files))
    except assignments.AssignmentProblem as problem:
        Console(stderr=True).print(f"[red]error:[/red] {escape(str(problem))}", soft_wrap=True)
        return None
    if getattr(args, "lang", "unset") is None:
        args.lang = chosen.language
    return chosen


def _record(finished: Any, todo: list[Any], book: Any, out: Path, advance: Any) -> None:
    """Each result as it comes, the gradebook commit first: the same for local workers and a cluster."""
    from autograder.trusted import layout
    from autograder.trusted.profile import flush, phase
    from autograder.trusted.results import write_result

    recorded: set[int] = set()
    for index, graded in finished:
        if index in recorded:  # a result delivered twice (a worker lost after answering) is kept once
            continue
        recorded.add(index)
        item, stem, sha256 = todo[index]
        graded.results["extra_data"]["student"] = layout.student_of(item)
        with phase("write results (coordinator)"):
            book.record(stem, item.path, sha256, graded.results, graded.functions)  # the commit comes first
            write_result(graded.results, out, stem, graded.output)
        flush("coordinator")
        advance(stem)


def grade(args: argparse.Namespace) -> int:
    from autograder.trusted import layout

    console = Console(stderr=True)
    found, problems = layout.collect(args.paths, args.assignment)
    for problem in problems:
        console.print(f"[red]error:[/red] {problem}", soft_wrap=True)
    if problems or not found:
        if not found and not problems:
            console.print("[red]error:[/red] no submission files found", soft_wrap=True)
        return EXIT_USAGE
    named = layout.layout_assignments(found)
    if args.assignment is None and len(named) == 1 and named <= set(assignments.names()):
        args.assignment = next(iter(named))  # nbgrader's layout names it: submitted/<student>/<assignment>/
    described = _choose(args, [f.path for f in found if f.folder is None])
    if described is None:
        return EXIT_USAGE
    found, missing = layout.resolve(found, described.submission_names)
    for problem in missing:
        console.print(f"[yellow]skipped:[/yellow] {problem}", soft_wrap=True)
    if not found:
        return EXIT_USAGE
    from autograder.trusted.batch import start_zygotes

    # The sandboxes boot (import torch) first, while this process and the workers import the grader.
    zygotes = start_zygotes(min(args.jobs, len(found)), isolate=not args.no_isolation) if args.cluster is None else []
    from autograder.trusted.gradebook import Gradebook, content_hash, fingerprint
    from autograder.trusted.results import write_grades, write_result

    out = Path(args.out)
    book = Gradebook(out / "gradebook.sqlite")
    grader = f"{fingerprint(described)}:{args.lang}"  # a result is made by the code, and written in one language
    stems = layout.unique_stems(found)
    resumed = 0
    todo = []
    for item, stem in zip(found, stems):
        sha256 = content_hash(item.path, grader)
        stored = book.finished(stem, sha256)
        if stored is not None:  # graded before from these very bytes: resume, do not regrade
            write_result(stored, out, stem)
            resumed += 1
        else:
            todo.append((item, stem, sha256))
    with Progress(TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  TextColumn("{task.description}"), console=console, transient=True) as progress:
        task = progress.add_task("", total=len(found), completed=resumed)
        paths = [item.path for item, _, _ in todo]
        if args.cluster is not None:
            from autograder.trusted.cluster import grade_on_cluster

            finished = grade_on_cluster(paths, described.name, args.cluster, isolate=not args.no_isolation,
                                        lang=args.lang)
        else:
            from autograder.trusted.batch import grade_many

            finished = grade_many(paths, described.name, jobs=args.jobs, isolate=not args.no_isolation,
                                  zygotes=zygotes, lang=args.lang)
        try:
            _record(finished, todo, book, out, lambda stem: progress.update(task, advance=1, description=stem))
        except Exception as exc:
            if args.cluster is None or type(exc).__name__ != "ClusterProblem":
                raise
            book.close()
            console.print(f"[red]error:[/red] {escape(str(exc))} (what was graded is kept: run the same command "
                          "again to go on)", soft_wrap=True)
            return 1
    rows = book.table(described.function_names, stems)
    book.close()
    columns = Gradebook.columns(described.function_names)
    write_grades(rows, columns, out)
    table = Table(title=f"gradebook: {described.name}")
    shown = [column for column in columns if column != "file"]
    for column in shown:
        table.add_column(column, justify="left" if column in ("submission", "student") else "right")
    for row in rows:
        table.add_row(*(f"{row[c]:g}" if isinstance(row[c], float) else str(row[c]) for c in shown))
    wide = Console()
    wide.width = max(wide.width, 132)  # the gradebook is read whole, also when piped to a file
    wide.print(table)
    already = f" ({resumed} already graded from the same files, not regraded)" if resumed else ""
    console.print(f"wrote {len(found)} results and grades.csv to {out}/{already}", soft_wrap=True)
    return 0


def check(args: argparse.Namespace) -> int:
    console = Console()
    path = Path(args.path)
    if not path.is_file():
        console.print(f"[red]error:[/red] {args.path}: no such file", soft_wrap=True)
        return EXIT_USAGE
    described = _choose(args, [path])
    if described is None:
        return EXIT_USAGE
    from autograder.trusted import launch

    zygote = launch.start_zygote(isolate=not args.no_isolation)  # boots while the grader imports
    from autograder.trusted.grader import grade_file
    from autograder.trusted.registry import all_checks
    from autograder.trusted.sandbox import Sandbox

    with Sandbox(isolate=not args.no_isolation, zygote=zygote) as sandbox:
        result = grade_file(path, sandbox, all_checks(described.name, public_only=True))
    from autograder.trusted.verdict import label

    words = CHECK_WORDS
    table = Table(title=f"{path.name}: {label(words['title'], args.lang)}", show_lines=True)
    for column in ("check", "points", "result"):
        table.add_column(label(words[column], args.lang), overflow="fold")  # wrap, never cut a hint short
    for check_, outcome in zip(result.checks, result.outcomes):
        # student text is data: escape rich's [markup] in it
        mark = (f"[green]{label(words['passed'], args.lang)}[/green]" if outcome.passed else
                f"[red]{label(words['failed'], args.lang)}[/red]\n{escape(outcome.text(args.lang))}")
        heading = escape(check_.heading(args.lang))
        table.add_row(f"{check_.function}\n{heading}", f"{outcome.score:g}/{check_.points:g}", mark)
    for note in result.notes:
        console.print(f"[yellow]{escape(note.pick(args.lang))}[/yellow]")
    console.print(table)
    console.print(f"{label(words['score'], args.lang)}: {result.score:g} / {result.max_score:g}"
                  f" ({words['later'].pick(args.lang)})")
    return 0 if all(o.passed for o in result.outcomes) else 1


def _said(en: str, ko: str) -> Any:
    from autograder.trusted.verdict import Said

    return Said(en, ko)


CHECK_WORDS = {
    "title": _said("public checks", "공개 검사"), "result": _said("result", "결과"),
    "check": _said("check", "검사"), "points": _said("points", "점수"),
    "passed": _said("passed", "통과"), "failed": _said("failed", "실패"), "score": _said("public score", "공개 점수"),
    "later": _said("hidden checks run at grading time", "숨겨진 검사는 채점 때 실행됩니다"),
}


def feedback(args: argparse.Namespace) -> int:
    """A feedback page (HTML, Markdown, PNG) per results JSON of a `grade` folder."""
    import json

    from autograder.trusted.feedback import write_feedback

    console = Console(stderr=True)
    folder = Path(args.results)
    results = sorted(p for p in folder.glob("*.json")) if folder.is_dir() else []
    out = Path(args.out) if args.out else folder / "feedback"
    written = 0
    for path in results:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            console.print(f"[yellow]skipped[/yellow] {path.name}: not a results file ({exc})", soft_wrap=True)
            continue
        if isinstance(data, dict) and isinstance(data.get("tests"), list):
            named = str((data.get("extra_data") or {}).get("assignment", ""))
            if args.assignment and named != args.assignment:
                continue
            write_feedback(data, out, path.stem, args.lang or _language(named))
            written += 1
    if not written:
        console.print(f"[red]error:[/red] {args.results}: no results JSON (from `autograder grade`) found",
                      soft_wrap=True)
        return EXIT_USAGE
    console.print(f"wrote feedback for {written} submissions to {out}/ (.html, .md, .png)", soft_wrap=True)
    return 0


def _language(name: str) -> str:
    try:
        return assignments.load(name).language
    except assignments.AssignmentProblem:
        return "both"


def report(args: argparse.Namespace) -> int:
    """The class summary of a `grade` folder: report.html and CSV files."""
    from autograder.trusted.class_report import ReportProblem, summarise, write_report

    console = Console(stderr=True)
    folder = Path(args.results)
    out = Path(args.out) if args.out else folder / "report"
    try:
        written = write_report(folder, out, args.assignment)
    except ReportProblem as problem:
        console.print(f"[red]error:[/red] {problem}", soft_wrap=True)
        return EXIT_USAGE
    reasons = summarise(folder, args.assignment)["reasons"].head(10)
    table = Table(title="most common failure reasons")
    for column in ("function", "reason", "meaning", "count"):
        table.add_column(column, justify="right" if column == "count" else "left")
    for row in reasons.itertuples(index=False):
        table.add_row(str(row.function), str(row.reason), str(row.meaning), str(row.count))
    Console().print(table)
    console.print(f"wrote {', '.join(p.name for p in written)} to {out}/", soft_wrap=True)
    return 0


def gradescope(args: argparse.Namespace) -> int:
    from autograder.trusted.gradescope import build_zip

    described = _choose(args)
    if described is None:
        return EXIT_USAGE
    try:
        target = build_zip(described, Path(args.out or f"build/gradescope/{described.name}/autograder.zip"))
    except OSError as exc:
        Console(stderr=True).print(f"[red]error:[/red] cannot write {args.out}: {exc.strerror or exc}", soft_wrap=True)
        return EXIT_USAGE
    Console(stderr=True).print(f"wrote {target}: upload it as the Gradescope autograder (setup.sh, run_autograder)",
                               soft_wrap=True)
    return 0


def nbgrader_autograde(args: argparse.Namespace) -> int:
    """nbgrader autograde with sandbox verdicts: every submitted folder gets a score; the class table at the end."""
    from autograder.trusted.nbgrader_bridge import autograde
    from autograder.trusted.nbgrader_plan import Graded

    console = Console(stderr=True)
    described = _choose(args)
    if described is None:
        return EXIT_USAGE
    course = Path(args.course).resolve()
    if not (course / "nbgrader_config.py").is_file():
        console.print(f"[red]error:[/red] {course}: no nbgrader_config.py (not a course folder)", soft_wrap=True)
        return EXIT_USAGE
    with Progress(TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  TextColumn("{task.description}"), console=console, transient=True) as progress:
        task = progress.add_task("", total=None)

        seen: set[str] = set()
        written: set[str] = set()

        def verdict(student: str) -> None:  # graded (or resumed) in the sandbox: the first half of the bar
            seen.add(student)
            progress.update(task, completed=len(seen) + len(written), description=student)

        def graded(done: Graded) -> None:  # written by nbgrader: the second half
            written.add(done.student)
            progress.update(task, completed=len(seen) + len(written), description=f"nbgrader: {done.student}")

        try:
            outcome = autograde(described.name, course, student=args.student, isolate=not args.no_isolation,
                                jobs=args.jobs, cluster=args.cluster,
                                on_start=lambda total: progress.update(task, total=2 * total), on_graded=graded,
                                on_verdict=verdict)
        except Exception as exc:
            if args.cluster is None or type(exc).__name__ != "ClusterProblem":
                raise
            console.print(f"[red]error:[/red] {escape(str(exc))} (what was graded is kept: run the same command "
                          "again to go on)", soft_wrap=True)
            return 1
    if outcome.graded:
        functions = described.function_names
        table = Table(title=f"nbgrader autograde: {described.name}")
        for column in ("student", "score", *functions, "notes"):
            table.add_column(column, justify="left" if column in ("student", "notes") else "right")
        for done in outcome.graded:
            scores = done.result.function_scores()
            notes = " ".join(note.en for note in done.notes)
            table.add_row(escape(done.student), f"{done.result.score:g}/{done.result.max_score:g}",
                          *(f"{scores.get(f, 0.0):g}" for f in functions),
                          escape(notes if len(notes) <= 160 else notes[:157] + "..."))
        wide = Console()
        wide.width = max(wide.width, 132)  # read whole, also when piped to a file
        wide.print(table)
    if outcome.problem:
        console.print(f"[red]error:[/red] {escape(outcome.problem)}", soft_wrap=True)
        return outcome.status
    already = (f" ({outcome.resumed} already graded from the same files, not regraded)" if outcome.resumed else "")
    console.print(f"graded {len(outcome.graded)} submissions of {described.name} into {course / 'gradebook.db'}"
                  f"{already}; `nbgrader export` and `nbgrader generate_feedback` read them from there", soft_wrap=True)
    return 0


def release(args: argparse.Namespace) -> int:
    from autograder.trusted.nbgrader_bridge import release as release_assignment

    console = Console(stderr=True)
    if _choose(args) is None:
        return EXIT_USAGE
    course = Path(args.course).resolve()
    if not (course / "assignments" / args.assignment).is_dir():
        console.print(f"[red]error:[/red] no assignment folder assignments/{args.assignment} in {course}",
                      soft_wrap=True)
        return EXIT_USAGE
    status, findings = release_assignment(args.assignment, course, isolate=not args.no_isolation)
    for finding in findings:
        console.print(f"[red]release problem:[/red] {finding}", soft_wrap=True)
    if not status:
        console.print(f"release/{args.assignment}/ is ready: no solution or hidden test in it, the stubs score 0 "
                      "and the source notebook full marks.", soft_wrap=True)
    return status


def audit(args: argparse.Namespace) -> int:
    """Mutants of the reference graded by the checks; exit status 1 when too few are caught."""
    from autograder.audit.report import print_report, write_reports
    from autograder.audit.run import AuditError, run_audit
    console = Console(stderr=True)
    described = _choose(args)
    if described is None:
        return EXIT_USAGE
    unknown = [f for f in args.function or () if f not in described.function_names]
    if unknown:
        console.print(f"[red]error:[/red] {', '.join(unknown)}: not a function of {described.name} "
                      f"({', '.join(described.function_names)})", soft_wrap=True)
        return EXIT_USAGE
    functions = tuple(f for f in described.function_names if f in (args.function or described.function_names))
    out = Path(args.out or f"build/audit/{described.name}")
    console.print(f"auditing the checks of {described.name}: {', '.join(functions)} (grading mutants of the "
                  "reference)...", soft_wrap=True)
    try:
        result = run_audit(described, out / "mutants", functions=functions, jobs=args.jobs,
                           isolate=not args.no_isolation)
    except AuditError as problem:
        console.print(f"[red]error:[/red] {problem}", soft_wrap=True)
        return 1
    wide = Console()
    wide.width = max(wide.width, 132)
    print_report(result, wide, args.threshold)
    written = write_reports(result, out, args.threshold)
    console.print(f"wrote {', '.join(map(str, written))}", soft_wrap=True)
    return 0 if result.score() >= args.threshold else 1


def list_assignments(args: argparse.Namespace) -> int:
    """Each assignment of the course: its functions, points, and public and hidden checks."""
    from autograder.trusted.registry import all_checks

    table = Table(title=f"assignments in {assignments.course_root()}")
    for column in ("assignment", "title", "functions", "points", "public checks", "hidden checks"):
        table.add_column(column, justify="right" if "checks" in column or column == "points" else "left")
    try:
        for name in assignments.names():
            described = assignments.load(name)
            checks = all_checks(name)
            table.add_row(name, described.title, ", ".join(described.function_names),
                          f"{sum(c.points for c in checks):g}", str(sum(c.public for c in checks)),
                          str(sum(not c.public for c in checks)))
    except assignments.AssignmentProblem as problem:
        Console(stderr=True).print(f"[red]error:[/red] {escape(str(problem))}", soft_wrap=True)
        return EXIT_USAGE
    wide = Console()
    wide.width = max(wide.width, 132)
    wide.print(table)
    return 0


def notebook(args: argparse.Namespace) -> int:
    """Write (or --check) the assignment's source notebook from its stubs, data, text and reference."""
    from autograder.trusted.make_notebook import NotebookProblem, write_or_check

    described = _choose(args)
    if described is None:
        return EXIT_USAGE
    try:
        return write_or_check(described, check=args.check)
    except NotebookProblem as problem:
        Console(stderr=True).print(f"[red]error:[/red] {escape(str(problem))}", soft_wrap=True)
        return EXIT_USAGE


def contract(args: argparse.Namespace) -> int:
    """Write (or --check) docs/contract.md: each contract sentence and the checks that enforce it."""
    from autograder.trusted.contract import document, uncovered

    console = Console(stderr=True)
    chosen = [args.assignment] if args.assignment else assignments.names()
    try:
        problems = [p for name in chosen for p in uncovered(assignments.load(name))]
        text = document(chosen)
    except assignments.AssignmentProblem as problem:
        console.print(f"[red]error:[/red] {escape(str(problem))}", soft_wrap=True)
        return EXIT_USAGE
    for problem in problems:
        console.print(f"[red]contract:[/red] {escape(problem)}", soft_wrap=True)
    target = Path(args.out)
    if args.check:
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != text:
            console.print(f"{target} is out of date: run `autograder contract`", soft_wrap=True)
            return 1
        return 1 if problems else 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    console.print(f"wrote {target}", soft_wrap=True)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="autograder", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_grade = sub.add_parser("grade", help="grade submissions with every check; write results and grades.csv")
    p_grade.add_argument("paths", nargs="+", metavar="PATH", help="submission files or folders of them")
    p_grade.add_argument("--out", required=True, metavar="DIR", help="folder for <student or stem>.json and grades.csv")
    p_grade.add_argument("--jobs", type=int, default=1, metavar="N",
                         help="grade in N worker processes, each with its own sandbox (default: 1)")
    p_grade.add_argument("--cluster", metavar="ADDRESS",
                         help="grade on a Dask scheduler's workers (tcp://host:8786), each with a warm sandbox")
    p_check = sub.add_parser("check", help="run the public checks on your own file (for students)")
    p_check.add_argument("path", metavar="PATH", help="your file: the assignment's .py or .ipynb")
    p_audit = sub.add_parser("audit", help="grade mutants of the reference: how many wrong answers the checks catch")
    p_audit.add_argument("--out", metavar="DIR",
                         help="folder for audit.md, audit.csv and the mutant files (default: build/audit/ASSIGNMENT)")
    p_audit.add_argument("--jobs", type=int, default=2, metavar="N", help="grading worker processes (default: 2)")
    p_audit.add_argument("--threshold", type=float, default=0.9, metavar="SHARE",
                         help="fail (exit status 1) below this share of non-equivalent mutants caught (default: 0.9)")
    p_audit.add_argument("--function", action="append", metavar="NAME",
                         help="audit only this function's checks (repeatable; default: all)")
    p_release = sub.add_parser("release", help="nbgrader generate_assignment, then validate the release")
    p_release.add_argument("assignment", metavar="ASSIGNMENT")
    p_nbgrader = sub.add_parser("nbgrader", help="nbgrader's workflow with verdicts from the sandbox")
    nb_sub = p_nbgrader.add_subparsers(dest="nbgrader_command", required=True)
    p_autograde = nb_sub.add_parser("autograde", help="grade every submitted/<student>/ASSIGNMENT/ "
                                    "folder into the course gradebook, tamper-proof")
    p_autograde.add_argument("assignment", metavar="ASSIGNMENT")
    p_autograde.add_argument("--student", metavar="ID", help="only this student's submission")
    p_autograde.add_argument("--jobs", type=int, default=1, metavar="N",
                             help="grade in N worker processes, each with its own sandbox, before nbgrader "
                                  "writes the verdicts (default: 1)")
    p_autograde.add_argument("--cluster", metavar="ADDRESS",
                             help="grade on a Dask scheduler's workers (tcp://host:8786), each with a warm sandbox")
    for p in (p_release, p_autograde):
        p.add_argument("--course", default=".", metavar="DIR", help="the course folder (default: here)")
    p_feedback = sub.add_parser("feedback", help="a feedback page (HTML, Markdown, plots) per result of a grade folder")
    p_feedback.add_argument("results", metavar="DIR", help="the --out folder of `autograder grade`")
    p_feedback.add_argument("--out", metavar="DIR", help="where to write (default: DIR/feedback)")
    p_report = sub.add_parser("report", help="class summary of a grade folder: score histogram, pass rates, "
                              "common failure reasons (HTML and CSV)")
    p_report.add_argument("results", metavar="DIR", help="the --out folder of `autograder grade`")
    p_report.add_argument("--out", metavar="DIR", help="where to write (default: DIR/report)")
    p_gradescope = sub.add_parser("gradescope", help="build an assignment's Gradescope autograder zip "
                                  "(setup.sh, run_autograder, the engine and that assignment only)")
    p_gradescope.add_argument("--out", metavar="ZIP",
                              help="the zip to write (default: build/gradescope/ASSIGNMENT/autograder.zip)")
    p_notebook = sub.add_parser("notebook", help="write an assignment's source notebook from its stubs, data, "
                                "notebook.md and reference")
    p_notebook.add_argument("--check", action="store_true", help="exit 1 if the notebook on disk is not up to date")
    sub.add_parser("assignments", help="list the course's assignments: functions, points, public and hidden checks")
    p_contract = sub.add_parser("contract", help="write docs/contract.md: each docstring sentence and its checks")
    p_contract.add_argument("--out", default="docs/contract.md", metavar="FILE", help="(default: docs/contract.md)")
    p_contract.add_argument("--check", action="store_true", help="exit 1 if the file is not up to date")
    for p in (p_grade, p_check, p_feedback, p_report, p_gradescope, p_audit, p_notebook, p_contract):
        p.add_argument("--assignment", metavar="NAME",
                       help="the assignment (default: the one the files name, or the only one)")
    for p in (p_grade, p_check, p_release, p_autograde, p_audit):
        p.add_argument("--no-isolation", action="store_true",
                       help="run student code without bubblewrap (still in separate, time-limited processes)")
    for p in (p_grade, p_check, p_feedback):
        p.add_argument("--lang", choices=("ko", "en", "both"), default=None,
                       help="language of the feedback (default: the assignment's)")
    args = parser.parse_args(argv)
    if args.command == "nbgrader":
        return nbgrader_autograde(args)
    commands = {"grade": grade, "check": check, "release": release, "feedback": feedback, "report": report,
                "gradescope": gradescope, "audit": audit, "notebook": notebook, "assignments": list_assignments,
                "contract": contract}
    return commands[args.command](args)


def run() -> None:
    """The console script: main, then the process ends at once. Every command has written and closed its
    files by then; the interpreter's own teardown of torch, matplotlib and hypothesis took 0.6-1 s, on every
    command a student or a grading run types."""
    code = main()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
