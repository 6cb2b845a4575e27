"""Feedback that teaches: the comparison's hints, the feedback pages (checked in headless Chromium),
and the class report, all made by the real CLI from a real batch."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import torch
from conftest import SUBMISSIONS, Batch, run_cli

from autograder.trusted.compare import COLUMN, LONG_FLOAT, Pitfall, expect_tensor, scaled
from autograder.trusted.verdict import CheckFailed, Said

NAME = Said("The result", "결과")
FILES = ["hostile/html_in_messages.py", "demo/sum_instead_of_mean.py", "demo/no_seed.py"]


def failure(got: torch.Tensor, expected: torch.Tensor, **kwargs: object) -> CheckFailed:
    with pytest.raises(CheckFailed) as raised:
        expect_tensor(NAME, {"kind": "tensor"}, got, expected, **kwargs)
    return raised.value


def test_long_where_float_is_due_gets_the_long_vs_float_hint() -> None:
    found = failure(torch.tensor([[1, 2]]), torch.tensor([[1.0, 2.0]]))
    assert (found.kind, found.hint, found.detail["pitfall"]) == ("dtype", LONG_FLOAT, "long_vs_float")
    assert found.detail["got_dtype"] == "int64" and found.detail["expected_shape"] == [1, 2]


def test_a_vector_where_a_column_is_due_gets_the_shape_hint() -> None:
    found = failure(torch.zeros(4), torch.zeros(4, 1))
    assert (found.kind, found.hint) == ("shape", COLUMN)
    assert "(4,)" in found.message("en") and "(4, 1)" in found.message("en")
    assert failure(torch.zeros(4, 4), torch.zeros(4, 1)).detail["pitfall"] == "broadcast"


def test_values_give_index_errors_and_a_matching_pitfall_only() -> None:
    expected = torch.tensor([[0.5], [1.0], [2.0]])
    n_times = Pitfall("sum_not_mean", Said("n times", "n배"), scaled(3))
    found = failure(expected * 3, expected, pitfalls=[n_times])
    assert found.detail["pitfall"] == "sum_not_mean" and found.detail["index"] == [0, 0]
    assert found.detail["max_abs_error"] == pytest.approx(4.0) and found.detail["max_rel_error"] == pytest.approx(2.0)
    assert failure(expected * 2, expected, pitfalls=[n_times]).hint is None  # 2x is not this mistake
    assert "n배" in found.message("ko") and "n times" not in found.message("ko")


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("graded")
    Batch([SUBMISSIONS / f for f in FILES], out)
    done = run_cli("feedback", str(out))
    assert done.returncode == 0, done.stderr
    done = run_cli("report", str(out))
    assert done.returncode == 0, done.stderr
    return out


def test_student_html_and_markdown_stay_text(graded: Path) -> None:
    page = (graded / "feedback" / "html_in_messages.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<img src=x" not in page and "&lt;script&gt;" in page
    markdown = (graded / "feedback" / "html_in_messages.md").read_text(encoding="utf-8")
    assert "<script" not in markdown and "<img" not in markdown and "\\[link\\]" in markdown
    assert "```text" in markdown or "````text" in markdown


class Dom(HTMLParser):
    """The tags and text of the page as Chromium left it after loading (scripts would have run)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("chromium is not installed: `make test` installs it with apt when run as root")
    return subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args],
                          capture_output=True, text=True, timeout=120)


def test_feedback_page_renders_in_headless_chromium(graded: Path, tmp_path: Path) -> None:
    page = graded / "feedback" / "html_in_messages.html"
    dom = Dom()
    dom.feed(chromium("--dump-dom", page.as_uri()).stdout)
    tags = [tag for tag, _ in dom.tags]
    assert "script" not in tags
    assert "pwned" not in "".join(dom.text[:3])  # the <title> is ours, not the student's
    rows = [attrs.get("class") for tag, attrs in dom.tags if tag == "tr" and attrs.get("class") in ("passed", "failed")]
    tests = json.loads((graded / "html_in_messages.json").read_text(encoding="utf-8"))["tests"]
    assert rows == [t["status"] for t in tests] and "failed" in rows
    images = [attrs for tag, attrs in dom.tags if tag == "img"]
    assert [a.get("id") for a in images] == ["plots"] and images[0]["src"].startswith("data:image/png;base64,")
    assert "<script>document.title='pwned'</script>" in "".join(dom.text)  # shown, as text
    shot = tmp_path / "page.png"
    chromium(f"--screenshot={shot}", "--window-size=1000,3200", (graded / "feedback" / "sum_instead_of_mean.html")
             .as_uri())
    from PIL import Image

    pixels = Image.open(shot).convert("RGB")
    colours = {pixels.getpixel((x, y)) for x in range(0, 1000, 4) for y in range(0, 3200, 4)}
    assert (255, 248, 197) in colours  # the hint's yellow box is on screen


def test_feedback_explains_each_failure_with_a_hint(graded: Path) -> None:
    markdown = (graded / "feedback" / "sum_instead_of_mean.md").read_text(encoding="utf-8")
    assert "times too large" in markdown and "배 큽니다" in markdown
    page = (graded / "feedback" / "no_seed.html").read_text(encoding="utf-8")
    assert "torch.manual_seed(seed)" in page and "max abs error" in page
    assert (graded / "feedback" / "no_seed.png").read_bytes()[:4] == b"\x89PNG"


def test_feedback_in_one_language(graded: Path, tmp_path: Path) -> None:
    done = run_cli("feedback", str(graded), "--lang", "ko", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "sum_instead_of_mean.html").read_text(encoding="utf-8")
    assert "배 큽니다" in page and "times too large" not in page and 'lang="ko"' in page


def test_class_report_counts_the_reasons(graded: Path) -> None:
    with open(graded / "report" / "reasons.csv", encoding="utf-8") as table:
        reasons = {(row["function"], row["reason"]): int(row["count"]) for row in csv.DictReader(table)}
    assert reasons[("bce_loss", "sum_not_mean")] == 1 and reasons[("train_logistic", "seed")] == 1
    with open(graded / "report" / "checks.csv", encoding="utf-8") as table:
        rates = {row["check"]: float(row["pass_rate"]) for row in csv.DictReader(table)}
    assert rates["bce_loss.values"] == round(2 / 3, 3) and rates["build_X.lecture_example"] == 1.0
    with open(graded / "report" / "scores.csv", encoding="utf-8") as table:
        assert len(list(csv.DictReader(table))) == len(FILES)
    page = (graded / "report" / "report.html").read_text(encoding="utf-8")
    assert 'id="histogram"' in page and "sum instead of mean" in page


def test_report_of_a_folder_without_results_says_so(tmp_path: Path) -> None:
    done = run_cli("report", str(tmp_path))
    assert done.returncode == 2 and "no results" in done.stderr and "Traceback" not in done.stderr


def test_feedback_files_are_deterministic(graded: Path, tmp_path: Path) -> None:
    from autograder.trusted.feedback import write_feedback

    data = json.loads((graded / "no_seed.json").read_text(encoding="utf-8"))
    first = [p.read_bytes() for p in write_feedback(data, tmp_path / "a", "no_seed", "both")]
    second = [p.read_bytes() for p in write_feedback(data, tmp_path / "b", "no_seed", "both")]
    assert first == second and first == [p.read_bytes() for p in sorted((graded / "feedback").glob("no_seed.*"),
                                                                         key=lambda p: [".html", ".md", ".png"]
                                                                         .index(p.suffix))]
