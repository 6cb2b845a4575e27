"""Hostile and broken submissions: the attacked function scores zero, the other functions and a
correct submission graded in the same batch are unaffected, nothing of the sandbox outlives the
batch, and unreadable files get a clear message instead of a traceback."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SUBMISSIONS, Batch, Dom, assert_graded_as_expected, chromium, entries, feedback_pages

CASES = entries("hostile", "broken")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    here = tmp_path_factory.mktemp("inputs")
    first, last = here / "correct_first.py", here / "correct_last.py"
    shutil.copy(SUBMISSIONS / "demo" / "correct.py", first)
    shutil.copy(SUBMISSIONS / "demo" / "correct.py", last)
    files = [first, *(SUBMISSIONS / path for path, _ in CASES), last]
    return Batch(files, tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize(("path", "spec"), CASES, ids=[p for p, _ in CASES])
def test_only_the_attacked_function_loses(batch: Batch, path: str, spec: dict) -> None:
    assert_graded_as_expected(batch, Path(path).stem, spec["wrong"])


@pytest.mark.parametrize("stem", ["correct_first", "correct_last"])
def test_a_correct_submission_in_the_same_batch_keeps_full_marks(batch: Batch, stem: str) -> None:
    result = batch.result(stem)
    assert result["score"] == result["max_score"]


def test_unreadable_files_say_why_without_a_traceback(batch: Batch) -> None:
    for path, spec in CASES:
        if not spec.get("load_error"):
            continue
        result = batch.result(Path(path).stem)
        assert result["score"] == 0
        assert Path(path).name in result["output"] or "syntax" in result["output"].lower(), result["output"]
        assert "Traceback" not in result["output"]
    assert "Traceback" not in batch.process.stderr


def test_no_sandbox_process_outlives_the_batch(batch: Batch) -> None:
    label = f"--for-grader-{batch.process_pid}"
    listing = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    assert label not in listing, listing


def test_fake_results_written_by_student_code_do_not_reach_the_results(batch: Batch) -> None:
    result = batch.result("fake_results")
    assert result["score"] < result["max_score"]
    assert sorted(p.name for p in batch.out.iterdir()) == sorted(
        [f"{s}.json" for s in _stems(batch)] + [f"{s}.log" for s in _stems(batch)] + ["grades.csv", "gradebook.sqlite"])


def _stems(batch: Batch) -> list[str]:
    return [p.stem for p in batch.out.glob("*.json")]


def test_student_html_in_messages_stays_text_in_the_feedback(batch: Batch, tmp_path: Path) -> None:
    """The page and the Markdown show the student's <script>, <img onerror> and [link] as text; in
    headless Chromium no script element exists, the title is ours, the only image is our plot."""
    pages = feedback_pages(batch, ["html_in_messages"], tmp_path)
    page = (pages / "html_in_messages.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<img src=x" not in page and "&lt;script&gt;" in page
    markdown = (pages / "html_in_messages.md").read_text(encoding="utf-8")
    assert "<script" not in markdown and "<img" not in markdown and "\\[link\\]" in markdown
    dom = Dom(chromium("--dump-dom", (pages / "html_in_messages.html").as_uri()).stdout)
    assert "script" not in [tag for tag, _ in dom.tags]
    assert "<script>document.title='pwned'</script>" in "".join(dom.text)  # shown, as text
    assert "pwned" not in "".join(dom.text[:3])  # the <title> is ours
    rows = [attrs.get("class") for tag, attrs in dom.tags if tag == "tr" and attrs.get("class") in ("passed", "failed")]
    assert rows == [t["status"] for t in batch.result("html_in_messages")["tests"]] and "failed" in rows
    images = [attrs for tag, attrs in dom.tags if tag == "img"]
    assert [a.get("id") for a in images] == ["plots"] and str(images[0]["src"]).startswith("data:image/png;base64,")
