"""Gradescope: the autograder zip (`autograder gradescope`) and what its run_autograder runs.

Gradescope unpacks the zip into /autograder/source, runs setup.sh once when the image is built,
then for each submission runs run_autograder, which must leave /autograder/results/results.json;
the student's files are in /autograder/submission. The root is configurable (AUTOGRADER_ROOT or
`--root`) so the same script runs against a simulated tree in the tests. Hidden checks get the
visibility "after_published": students see them once the instructor publishes the grades.
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from pathlib import Path

from autograder.trusted.assignment import Assignment
from autograder.trusted.layout import pick_submission

ENGINE = Path(__file__).resolve().parents[1]

SETUP_SH = """#!/usr/bin/env bash
# Runs once when Gradescope builds the autograder image (Ubuntu, as root).
set -euo pipefail
cd /autograder/source
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3 python3-venv python3-pip bubblewrap
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --quiet --upgrade pip
/autograder/venv/bin/pip install --quiet "torch==2.13.0" --index-url https://download.pytorch.org/whl/cpu
/autograder/venv/bin/pip install --quiet /autograder/source
# Made once here rather than in every run: each check's examples and the reference's answers, and
# matplotlib's font list for the sandbox (see autograder/trusted/plans.py and launch.py).
/autograder/venv/bin/python -m autograder.trusted.make_plans {assignment}
MPLCONFIGDIR=/autograder/venv/share/autograder/matplotlib /autograder/venv/bin/python -c "import matplotlib.pyplot"
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission; it writes $ROOT/results/results.json.
set -uo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}}"
cd "$ROOT/source"
exec "$PYTHON" -m autograder.trusted.gradescope --assignment {assignment} --root "$ROOT" "$@"
"""


def packaged(assignment: Assignment) -> list[tuple[str, Path]]:
    """(name in the zip, file): the engine, and this assignment's trusted and public folders only."""
    course = assignment.trusted.parents[1]
    tops = [(ENGINE.parent / "pyproject.toml", ENGINE.parent), (ENGINE, ENGINE.parent),
            (course / "solutions" / "__init__.py", course), (assignment.trusted, course),
            (course / "assignments" / "__init__.py", course), (assignment.public, course)]
    found = []
    for path, root in tops:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            relative = file.relative_to(root)
            if ("__pycache__" in relative.parts or file.suffix in (".pyc", ".safetensors")
                    or ".egg-info" in str(relative)):
                continue
            found.append((relative.as_posix(), file))
    return found


def build_zip(assignment: Assignment, target: Path) -> Path:
    """setup.sh and run_autograder at the top, beside the engine and the assignment (no tests, no caches)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER)):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = 0o100755 << 16  # executable, as Gradescope requires
            archive.writestr(info, text.format(assignment=assignment.name))
        for name, file in packaged(assignment):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = 0o100644 << 16
            archive.writestr(info, file.read_bytes())
    return target


def find_submission(folder: Path, names: tuple[str, str]) -> tuple[Path | None, str]:
    """The student's file (`names`: the assignment's notebook and module), or None and why (both languages)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".py", ".ipynb")
                   and not any(part.startswith(".") for part in p.relative_to(folder).parts)) if folder.is_dir() else []
    chosen = pick_submission(files, names)
    if chosen is not None:
        return chosen, ""
    found = ", ".join(p.name for p in files)
    notebook, module = names
    found_ko = f"찾은 파일: {found}" if found else "찾은 파일 없음"
    return None, (f"Submit one file, {notebook} or {module} (found: {found or 'none'}).\n"
                  f"{notebook} 또는 {module} 파일 하나를 제출하세요 ({found_ko}).")


def run(root: Path, assignment: str, lang: str | None = None) -> Path:
    """Grade $ROOT/submission with every check of `assignment`; write $ROOT/results/results.json."""
    from autograder.trusted.assignment import load
    from autograder.trusted.grader import SubmissionResult, grade_file
    from autograder.trusted.registry import all_checks
    from autograder.trusted.results import results_json, write_result
    from autograder.trusted.sandbox import Sandbox
    from autograder.trusted.verdict import Outcome, Said

    described = load(assignment)
    checks = all_checks(assignment)
    path, problem = find_submission(root / "submission", described.submission_names)
    if path is None:
        said = Said(*problem.split("\n"))
        result = SubmissionResult(root / "submission", [Outcome(c.id, False, 0.0, "unreadable", said.both(),
                                                                said=said) for c in checks], checks, assignment,
                                  [said])
    else:
        with Sandbox() as sandbox:
            result = grade_file(path, sandbox, checks)
    data = results_json(result, lang or described.language)
    return write_result(data, root / "results", "results")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="run_autograder", description="Grade a Gradescope submission.")
    parser.add_argument("--root", default="/autograder", help="Gradescope's /autograder (default: /autograder)")
    parser.add_argument("--assignment", required=True, help="the assignment this zip grades")
    parser.add_argument("--lang", choices=("en", "ko", "both"), help="feedback language (default: the assignment's)")
    args = parser.parse_args(argv)
    written = run(Path(args.root), args.assignment, args.lang)
    data = json.loads(written.read_text(encoding="utf-8"))
    print(f"score {data['score']:g} / {data['max_score']:g} written to {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
