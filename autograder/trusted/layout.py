"""Which files `autograder grade` grades, and the name of each result.

A folder in nbgrader's layout (`submitted/<student>/<assignment>/<file>`) is keyed by student, so
an instructor can grade a collected course as it is; the files of a flat folder keep their stems.
Standard library only: the coordinating process reads this before anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Found:
    """One submission to grade: the file, and its student and assignment where the path names them."""

    path: Path
    student: str | None = None  # nbgrader's layout: the <student> folder
    assignment: str | None = None  # nbgrader's layout: the <assignment> folder
    folder: Path | None = None  # nbgrader's layout: the folder the file was chosen in


def _visible(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def collect(paths: list[str], assignment: str | None = None) -> tuple[list[Found], list[str]]:
    """Files named, every non-hidden file of folders named (a stray .txt gets a clear zero), and in a
    folder every `<student>/<assignment>/` folder (only `assignment`'s when it is given)."""
    found: list[Found] = []
    problems: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            found.append(Found(path))
        elif not path.is_dir():
            problems.append(f"{raw}: no such file or folder")
        else:
            entries = _visible(path)
            found += [Found(p) for p in entries if p.is_file()]
            for student in (p for p in entries if p.is_dir()):
                for work in (p for p in _visible(student) if p.is_dir()):
                    if assignment is None or work.name == assignment:
                        found.append(Found(work, student.name, work.name, work))
    return found, problems


def pick_submission(files: list[Path], names: tuple[str, str]) -> Path | None:
    """The one rule for which file a submission folder is graded from (grade, the nbgrader course flow,
    Gradescope): the assignment's notebook, else its module (`names`), else the only .ipynb/.py."""
    code = [p for p in files if p.suffix in (".ipynb", ".py")]
    named = {p.name: p for p in reversed(code)}  # the first of a name, in the order given
    return next((named[name] for name in names if name in named), code[0] if len(code) == 1 else None)


def layout_assignments(found: list[Found]) -> set[str]:
    """The assignments nbgrader's layout names (the path's <assignment> folders)."""
    return {f.assignment for f in found if f.assignment is not None}


def resolve(found: list[Found], names: tuple[str, str]) -> tuple[list[Found], list[str]]:
    """The file graded in each student's folder: the assignment's notebook, else its module, else the
    only notebook, else the only .py/.ipynb, else the first file (it gets a clear zero); an empty
    folder is a problem."""
    resolved, problems = [], []
    for item in found:
        if item.folder is None:
            resolved.append(item)
            continue
        files = [p for p in sorted(item.folder.rglob("*")) if p.is_file()
                 and not any(part.startswith(".") for part in p.relative_to(item.folder).parts)]
        chosen = pick_submission(files, names)
        for candidates in ([p for p in files if p.suffix == ".ipynb"], files[:1]):  # then a clear zero
            if chosen is None and len(candidates) == 1:
                chosen = candidates[0]
        if chosen is None:
            problems.append(f"{item.folder}: no submission file for student {item.student}")
        else:
            resolved.append(Found(chosen, item.student, item.assignment))
    return resolved, problems


def unique_stems(found: list[Found]) -> list[str]:
    """DIR/<key>.json per submission (the student, else the file's stem); a repeated key gets -2, -3...
    so nothing is overwritten."""
    seen: dict[str, int] = {}
    stems = []
    for item in found:
        key = item.student or item.path.stem
        count = seen.get(key, 0) + 1
        seen[key] = count
        stems.append(key if count == 1 else f"{key}-{count}")
    return stems


def student_of(item: Found) -> str:
    """The student column: nbgrader's student id, or the file's stem for a flat folder."""
    return item.student or item.path.stem
