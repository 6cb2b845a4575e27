"""Shared test helpers: run the real `autograder` CLI in a subprocess and read what it wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SUBMISSIONS = REPO / "tests" / "submissions" / "homework"  # the homework's corpus; layers/ beside it
AUTOGRADER = [sys.executable, "-m", "autograder.cli"]
FUNCTIONS = ("build_X", "update", "sigmoid", "bce_loss", "train_logistic", "train_linear")


def run_cli(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return start_cli(*args).wait_done(timeout)


class Running(subprocess.Popen):
    def wait_done(self, timeout: float) -> subprocess.CompletedProcess[str]:
        out, err = self.communicate(timeout=timeout)
        return subprocess.CompletedProcess(self.args, self.returncode, out, err)


def start_cli(*args: str) -> Running:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return Running([*AUTOGRADER, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=env)


def manifest() -> dict[str, dict[str, Any]]:
    return json.loads((SUBMISSIONS / "expected.json").read_text(encoding="utf-8"))


def entries(*folders: str) -> list[tuple[str, dict[str, Any]]]:
    return sorted((path, spec) for path, spec in manifest().items() if path.split("/")[0] in folders)


class Batch:
    """One real `autograder grade` run over many files, and its results folder."""

    def __init__(self, files: list[Path], out: Path, assignment: str = "homework") -> None:
        self.out = out
        running = start_cli("grade", *map(str, files), "--assignment", assignment, "--out", str(out))
        self.process_pid = running.pid  # sandbox processes carry it in their command line
        self.process = running.wait_done(timeout=1500)
        assert self.process.returncode == 0, self.process.stderr[-3000:]

    def result(self, stem: str) -> dict[str, Any]:
        return json.loads((self.out / f"{stem}.json").read_text(encoding="utf-8"))

    def function_scores(self, stem: str) -> dict[str, tuple[float, float]]:
        scores: dict[str, tuple[float, float]] = {}
        for test in self.result(stem)["tests"]:
            (function,) = test["tags"]
            got, most = scores.get(function, (0.0, 0.0))
            scores[function] = (got + test["score"], most + test["max_score"])
        return scores


def assert_graded_as_expected(batch: Batch, stem: str, wrong: list[str]) -> None:
    """Exactly the named functions lose points; every other function keeps full marks."""
    scores = batch.function_scores(stem)
    assert set(scores) == set(FUNCTIONS)
    for function, (got, most) in scores.items():
        if function in wrong:
            assert got < most, f"{stem}: {function} should lose points, got {got}/{most}"
        else:
            failed = [t["output"] for t in batch.result(stem)["tests"]
                      if t["tags"] == [function] and t["status"] != "passed"]
            assert got == most, f"{stem}: {function} should keep full marks, got {got}/{most}: {failed}"


@pytest.fixture(scope="session")
def registry_checks() -> list[Any]:
    from autograder.trusted.registry import all_checks

    return all_checks("homework")


def make_course(where: Path) -> Path:
    """A copy of this repository's course (config, assignment source, reference), released for real."""
    import shutil

    course = where / "course"
    course.mkdir()
    shutil.copy(REPO / "nbgrader_config.py", course)
    for folder in ("assignments", "solutions"):
        shutil.copytree(REPO / folder, course / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for assignment in ("homework", "layers"):
        done = run_cli("release", assignment, "--course", str(course))
        assert done.returncode == 0, done.stderr[-3000:]
    return course


def fill_answers(notebook: Any, answers: Path) -> Any:
    """A released notebook with each answer cell holding that function from a .py file, as a student
    would fill it in; the file's imports go into the first answer cell."""
    import ast

    source = answers.read_text(encoding="utf-8")
    tree = ast.parse(source)
    imports = "\n".join(ast.get_source_segment(source, n) for n in tree.body
                        if isinstance(n, ast.Import | ast.ImportFrom))
    functions = {n.name: ast.get_source_segment(source, n) for n in tree.body if isinstance(n, ast.FunctionDef)}
    first = True
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution"):
            cell.source = (imports + "\n\n" if first else "") + functions[meta["grade_id"]]
            first = False
    return notebook


def feedback_pages(batch: Batch, stems: list[str], out: Path, *options: str) -> Path:
    """`autograder feedback` over copies of some of a batch's results (drawing every page would be slow)."""
    import shutil

    results = out / "results"
    results.mkdir(parents=True)
    for stem in stems:
        shutil.copy(batch.out / f"{stem}.json", results / f"{stem}.json")
    done = run_cli("feedback", str(results), "--out", str(out / "feedback"), *options)
    assert done.returncode == 0, done.stderr
    return out / "feedback"


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    """Debian's chromium, headless; the test skips (saying why) where it is not installed."""
    import shutil

    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("chromium is not installed: `make test` installs it with apt when run as root")
    return subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args],
                          capture_output=True, text=True, timeout=120)


class Dom:
    """The tags and text of a page as Chromium left it after loading it (any script would have run)."""

    def __init__(self, page: str) -> None:
        from html.parser import HTMLParser

        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        parser = HTMLParser()
        parser.handle_starttag = lambda tag, attrs: self.tags.append((tag, dict(attrs)))  # type: ignore[method-assign]
        parser.handle_data = self.text.append  # type: ignore[method-assign]
        parser.feed(page)
        parser.close()
