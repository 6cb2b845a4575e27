"""The README's "Adding an assignment", followed to the letter: a tiny third assignment is built in a
temporary course from the section's blocks alone (its files, then its commands), released and graded."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

SECTION = re.search(r"^## Adding an assignment\n(.*?)^## ", (REPO / "README.md").read_text(encoding="utf-8"),
                    flags=re.MULTILINE | re.DOTALL)
FENCE = re.compile(r"^(`{3,})(\w+)\n(.*?)\n\1$", flags=re.MULTILINE | re.DOTALL)
FILE = re.compile(r"^(?:# file: |<!-- file: )(\S+?)(?: -->)?\n")


def steps() -> tuple[dict[str, str], list[list[str]]]:
    """The files (path -> text) and the commands the section shows."""
    assert SECTION, "README has no section 'Adding an assignment'"
    files, commands = {}, []
    for _, language, body in FENCE.findall(SECTION.group(1)):
        named = FILE.match(body)
        if named:
            files[named.group(1)] = body[named.end():] + "\n"
        elif language == "sh":
            commands += [line.split() for line in body.splitlines() if line.startswith("autograder ")]
    return files, commands


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[subprocess.CompletedProcess[str]]]:
    course = tmp_path_factory.mktemp("tiny") / "course"
    course.mkdir()
    shutil.copy(REPO / "nbgrader_config.py", course)
    files, commands = steps()
    for name, text in files.items():
        (course / name).parent.mkdir(parents=True, exist_ok=True)
        (course / name).write_text(text, encoding="utf-8")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("AUTOGRADER_COURSE", None)
    done = [subprocess.run([sys.executable, "-m", "autograder.cli", *command[1:]], cwd=course, env=env,
                           capture_output=True, text=True, timeout=600) for command in commands]
    return course, done


def test_the_section_names_every_file_of_an_assignment() -> None:
    files, commands = steps()
    assert {"solutions/tiny/assignment.toml", "solutions/tiny/reference.py", "solutions/tiny/checks/double.py",
            "assignments/tiny/tiny.py", "assignments/tiny/notebook.md"} <= set(files)
    assert [c[1] for c in commands] == ["notebook", "assignments", "release", "check", "grade"]


def test_every_step_succeeds(course: tuple[Path, list[subprocess.CompletedProcess[str]]]) -> None:
    _, done = course
    for step in done:
        assert step.returncode == 0, f"{step.args[3:]}: {step.stdout[-2000:]}{step.stderr[-2000:]}"


def test_the_tiny_assignment_is_listed_released_and_graded(
        course: tuple[Path, list[subprocess.CompletedProcess[str]]]) -> None:
    root, done = course
    notebook, listed, release, check, grade = done
    assert (root / "assignments" / "tiny" / "tiny.ipynb").is_file()
    assert "tiny" in listed.stdout and "double" in listed.stdout
    assert sorted(p.name for p in (root / "release" / "tiny").iterdir()) == ["tiny.ipynb", "tiny.py"]
    assert check.returncode == 0 and "double" in check.stdout  # the source notebook passes the public checks
    result = json.loads((root / "results" / "tiny" / "tiny.json").read_text(encoding="utf-8"))
    assert result["extra_data"]["assignment"] == "tiny" and result["max_score"] == 3
    assert result["score"] == 0 and "NotImplementedError" in json.dumps(result)
    assert [t["extra_data"]["check"] for t in result["tests"]] == ["tiny/double.values", "tiny/double.leaves_x_alone"]
